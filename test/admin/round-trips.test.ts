import { describe, expect, it } from "vitest";
import { signedInUser } from "../helpers/auth";
import { createUser } from "../helpers/db";
import { roundTripsOf, signedInAdmin } from "./fixtures";

describe("admin round trips", () => {
  it("every read is one round trip and every write one", async () => {
    const admin = await signedInAdmin();
    const target = await signedInUser();
    const other = await createUser();
    const cases: Array<[string, string, object | undefined, number]> = [
      ["GET", `/v1/admin/audit-logs?actor_id=${admin.id}&severity=warning&from=2026-01-01T00:00:00Z`, undefined, 1],
      ["GET", `/v1/admin/users?q=${target.username}&status=active`, undefined, 1],
      ["GET", `/v1/admin/users/${target.id}`, undefined, 1],
      ["GET", "/v1/admin/metrics?metric=plays,signups", undefined, 1],
      ["PATCH", `/v1/admin/users/${other.id}/role`, { role: "premium" }, 1],
      ["POST", `/v1/admin/users/${other.id}/verify`, { role: "educator" }, 1],
      ["POST", `/v1/admin/users/${target.id}/force-logout`, undefined, 1],
    ];
    for (const [method, path, body, budget] of cases) {
      const { response, roundTrips } = await roundTripsOf(admin, method, path, body);
      expect(response.status, `${method} ${path}`).toBe(200);
      expect(roundTrips, `${method} ${path}`).toBe(budget);
    }
  });
});
