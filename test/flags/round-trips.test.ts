import { describe, expect, it } from "vitest";
import { signedInUser } from "../helpers/auth";
import { admin, counted, flagKey, send } from "./fixtures";

describe("flags' database round trips", () => {
  it("GET /v1/flags costs none once the snapshot and the viewer's auth state are cached", async () => {
    const ada = await signedInUser();
    expect((await send("GET", "/v1/me", ada)).status).toBe(200); // caches ada's auth state
    const first = await counted("GET", "/v1/flags", ada);
    expect(first.status).toBe(200);
    expect(first.roundTrips).toBeLessThanOrEqual(1);
    for (const who of [ada, null]) {
      const again = await counted("GET", "/v1/flags", who);
      expect({ status: again.status, roundTrips: again.roundTrips }).toEqual({ status: 200, roundTrips: 0 });
    }
  });

  it("every admin read and write is one round trip, and the write leaves a fresh snapshot behind", async () => {
    const root = await admin();
    expect((await send("GET", "/v1/me", root)).status).toBe(200);
    const key = flagKey();
    const config = flagKey("cfg");
    const one = (res: { status: number; roundTrips: number }) => ({ status: res.status, roundTrips: res.roundTrips });
    expect(one(await counted("POST", "/v1/admin/flags", root, { key, enabled: true, rollout_percent: 100 }))).toEqual({ status: 201, roundTrips: 1 });
    const after = await counted("GET", "/v1/flags", null);
    expect({ roundTrips: after.roundTrips, on: after.body.flags.includes(key) }).toEqual({ roundTrips: 0, on: true });
    expect(one(await counted("PATCH", `/v1/admin/flags/${key}`, root, { rollout_percent: 40 }))).toEqual({ status: 200, roundTrips: 1 });
    expect(one(await counted("GET", "/v1/admin/flags", root))).toEqual({ status: 200, roundTrips: 1 });
    expect(one(await counted("GET", `/v1/admin/flags/${key}`, root))).toEqual({ status: 200, roundTrips: 1 });
    expect(one(await counted("POST", "/v1/admin/flags", root, { key, enabled: true }))).toEqual({ status: 409, roundTrips: 1 });
    expect(one(await counted("DELETE", `/v1/admin/flags/${key}`, root))).toEqual({ status: 204, roundTrips: 1 });
    expect(one(await counted("POST", "/v1/admin/configs", root, { key: config, value_type: "number", value: 3 }))).toEqual({ status: 201, roundTrips: 1 });
    expect(one(await counted("PATCH", `/v1/admin/configs/${config}`, root, { value: "three" }))).toEqual({ status: 422, roundTrips: 1 });
    expect(one(await counted("PATCH", `/v1/admin/configs/${config}`, root, { value: 4 }))).toEqual({ status: 200, roundTrips: 1 });
    expect(one(await counted("GET", "/v1/admin/configs", root))).toEqual({ status: 200, roundTrips: 1 });
    expect(one(await counted("GET", `/v1/admin/configs/${config}`, root))).toEqual({ status: 200, roundTrips: 1 });
    expect(one(await counted("DELETE", `/v1/admin/configs/${config}`, root))).toEqual({ status: 204, roundTrips: 1 });
  });
});
