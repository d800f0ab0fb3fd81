import { describe, expect, it } from "vitest";
import { signedInUser } from "../helpers/auth";
import { expectSignedInOnly, send, type Route } from "../helpers/authorisation";
import { createUser, one } from "../helpers/db";
import { signedInAdmin } from "./fixtures";

/** Every admin route, against a live target account. */
async function adminRoutes(target?: { id: string }): Promise<Route[]> {
  target ??= await createUser();
  return [
    ["GET", "/v1/admin/audit-logs"],
    ["GET", "/v1/admin/users"],
    ["GET", `/v1/admin/users/${target.id}`],
    ["PATCH", `/v1/admin/users/${target.id}/role`, { role: "creator" }],
    ["POST", `/v1/admin/users/${target.id}/verify`, { role: "educator" }],
    ["POST", `/v1/admin/users/${target.id}/force-logout`],
    ["GET", "/v1/admin/metrics"],
  ];
}

describe("admin routes", () => {
  it("refuse anonymous, banned and deleted callers", async () => {
    await expectSignedInOnly(await adminRoutes());
  });

  it("refuse every role below admin, moderators included, and change nothing", async () => {
    const target = await createUser();
    const routes = await adminRoutes(target);
    for (const role of ["user", "premium", "creator", "moderator"] as const) {
      const caller = await signedInUser({ role });
      for (const route of routes) {
        const res = await send(caller, route);
        expect(res.status, `${role} ${route[0]} ${route[1]}`).toBe(403);
        expect(res.body.code).toBe("forbidden");
      }
    }
    const after = await one(
      `SELECT u.role, u.token_version, (SELECT count(*) FROM user_roles r WHERE r.user_id = u.id)::int AS roles,
              (SELECT count(*) FROM audit_logs a WHERE a.user_id = u.id AND a.action IS NOT NULL)::int AS audited
         FROM users u WHERE u.id = $1`,
      [target.id],
    );
    expect(after).toEqual({ role: "user", token_version: 0, roles: 0, audited: 0 });
  });

  it("admit an admin to each of them", async () => {
    const admin = await signedInAdmin();
    for (const route of await adminRoutes()) {
      expect((await send(admin, route)).status, `${route[0]} ${route[1]}`).toBe(200);
    }
  });
});
