import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { expectSignedInOnly, send, type Route } from "../helpers/authorisation";
import { sql } from "../helpers/db";
import { banUser, softDeleteUser } from "../tracks/fixtures";
import { admin, flagKey } from "./fixtures";

/** Every admin route, against an existing flag and setting. */
function routes(flag: string, config: string): Route[] {
  return [
    ["GET", "/v1/admin/flags"],
    ["POST", "/v1/admin/flags", { key: flagKey() }],
    ["GET", `/v1/admin/flags/${flag}`],
    ["PATCH", `/v1/admin/flags/${flag}`, { enabled: true, rollout_percent: 100 }],
    ["DELETE", `/v1/admin/flags/${flag}`],
    ["GET", "/v1/admin/configs"],
    ["POST", "/v1/admin/configs", { key: flagKey("cfg"), value_type: "string", value: "x" }],
    ["GET", `/v1/admin/configs/${config}`],
    ["PATCH", `/v1/admin/configs/${config}`, { value: "changed" }],
    ["DELETE", `/v1/admin/configs/${config}`],
  ];
}

async function fixtures() {
  const root = await admin();
  const flag = flagKey();
  const config = flagKey("cfg");
  expect((await api("POST", "/v1/admin/flags", { headers: root.headers, body: { key: flag } })).status).toBe(201);
  expect((await api("POST", "/v1/admin/configs", { headers: root.headers, body: { key: config, value_type: "string", value: "original" } })).status).toBe(201);
  return { flag, config };
}

async function unchanged(flag: string, config: string) {
  const [f] = await sql.query("SELECT enabled, rollout_percent FROM feature_flags WHERE key = $1", [flag]);
  expect(f).toEqual({ enabled: false, rollout_percent: 0 });
  const [c] = await sql.query("SELECT value FROM system_configs WHERE key = $1", [config]);
  expect(c).toEqual({ value: "original" });
}

describe("who may administer flags and settings", () => {
  it("refuses every admin route anonymously (401), to a banned account (403) and to a deleted one (401)", async () => {
    const { flag, config } = await fixtures();
    await expectSignedInOnly(routes(flag, config));
    const [bannedAdmin, deletedAdmin] = await Promise.all([admin(), admin()]);
    await banUser(bannedAdmin.id);
    await softDeleteUser(deletedAdmin.id);
    for (const route of routes(flag, config)) {
      expect((await send(bannedAdmin, route)).status, `banned admin ${route[0]} ${route[1]}`).toBe(403);
      expect((await send(deletedAdmin, route)).status, `deleted admin ${route[0]} ${route[1]}`).toBe(401);
    }
    await unchanged(flag, config);
  });

  it("refuses users, creators, premium members and moderators (403)", async () => {
    const { flag, config } = await fixtures();
    for (const role of ["user", "creator", "premium", "moderator"] as const) {
      const who = await signedInUser({ role });
      for (const route of routes(flag, config)) expect((await send(who, route)).status, `${role} ${route[0]} ${route[1]}`).toBe(403);
    }
    await unchanged(flag, config);
  });

  it("lets admins through every route", async () => {
    const { flag, config } = await fixtures();
    const root = await admin();
    const expected = [200, 201, 200, 200, 204, 200, 201, 200, 200, 204];
    const statuses = [];
    for (const route of routes(flag, config)) statuses.push((await send(root, route)).status);
    expect(statuses).toEqual(expected);
  });
});
