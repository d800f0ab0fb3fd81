import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { withRoundTrips } from "../helpers/round-trips";
import { makeTrack } from "../tracks/fixtures";
import { admin, moderator } from "./fixtures";

/** Round trips of one request as `user`, whose auth state is already cached at the edge. */
async function roundTrips(user: SignedInUser, method: string, path: string, body?: unknown) {
  expect((await api("GET", "/v1/me/appeals", { headers: user.headers })).status).toBe(200); // warms the auth state cache
  const headers: Record<string, string> = { ...user.headers, ...(body !== undefined ? { "content-type": "application/json" } : {}) };
  const { response, roundTrips } = await withRoundTrips(
    new Request(`https://veza.test${path}`, { method, headers, body: body !== undefined ? JSON.stringify(body) : undefined }),
  );
  const json = (await response.json()) as { id?: string };
  return { status: response.status, roundTrips, id: json.id };
}

const one = (status: number) => expect.objectContaining({ status, roundTrips: 1 });

describe("moderation's database round trips", () => {
  it("every read and write is one round trip", async () => {
    const [reporter, author, mod, boss] = await Promise.all([signedInUser(), signedInUser(), moderator(), admin()]);
    const track = await makeTrack(author.id);
    const report = await roundTrips(reporter, "POST", "/v1/reports", { target_type: "track", target_id: track.id, reason_category: "spam" });
    expect(report).toEqual(one(201));
    expect(await roundTrips(reporter, "POST", "/v1/reports", { target_type: "track", target_id: track.id, reason_category: "spam" })).toEqual(one(409));
    expect(await roundTrips(mod, "GET", "/v1/moderation/reports?target_type=track")).toEqual(one(200));
    expect(await roundTrips(mod, "PATCH", `/v1/moderation/reports/${report.id}`, { assigned_to: mod.id })).toEqual(one(200));
    const hidden = await roundTrips(mod, "POST", "/v1/moderation/actions", { action_type: "hide_content", target_type: "track", target_id: track.id, reason: "spam", report_id: report.id });
    expect(hidden).toEqual(one(201));
    expect(await roundTrips(mod, "POST", `/v1/moderation/actions/${hidden.id}/reverse`, { reason: "ok" })).toEqual(one(200));
    expect(await roundTrips(mod, "GET", `/v1/moderation/users/${author.id}/actions`)).toEqual(one(200));
    const warned = await roundTrips(mod, "POST", "/v1/moderation/actions", { action_type: "warn", user_id: author.id, reason: "careful" });
    expect(warned).toEqual(one(201));
    expect(await roundTrips(author, "POST", "/v1/me/appeals", { action_id: warned.id, text: "why" })).toEqual(one(200));
    expect(await roundTrips(mod, "GET", "/v1/moderation/appeals")).toEqual(one(200));
    expect(await roundTrips(mod, "POST", `/v1/moderation/appeals/${warned.id}/decision`, { decision: "rejected" })).toEqual(one(200));
    expect(await roundTrips(boss, "POST", `/v1/admin/users/${author.id}/ban`, { reason: "fraud" })).toEqual(one(201));
    expect(await roundTrips(boss, "POST", `/v1/admin/users/${author.id}/unban`, { reason: "cleared" })).toEqual(one(200));
    expect(await roundTrips(boss, "POST", `/v1/admin/users/${author.id}/suspend`, { reason: "cool down", duration_hours: 1 })).toEqual(one(201));
  });
});
