import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { createUser, MISSING, one, sql } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { authStateOf, softDeleteUser } from "./fixtures";

const grant = (id: string, role: string, headers?: Record<string, string>) => api("POST", `/v1/users/${id}/roles`, { headers, body: { role } });
const revoke = (id: string, role: string, headers?: Record<string, string>) => api("DELETE", `/v1/users/${id}/roles/${role}`, { headers });

describe("POST /v1/users/:id/roles", () => {
  it("lets a moderator verify a role, with who and when, and an audit row", async () => {
    const moderator = await signedInUser({ role: "moderator" });
    const target = await createUser();
    const res = await grant(target.id, "producer", { ...moderator.headers, "user-agent": "mod-console/1.0" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user_id: target.id, role: "producer", verified: true, verified_by: moderator.id, account_role: "user" });
    expect(res.body.verified_at).toMatch(/Z$/);
    const row = await one("SELECT verified, verified_by FROM user_roles WHERE user_id = $1 AND role = 'producer'", [target.id]);
    expect(row).toEqual({ verified: true, verified_by: moderator.id });
    const audit = await one("SELECT actor_id, user_agent, severity, metadata, old_data, new_data FROM audit_logs WHERE action = 'role.grant' AND user_id = $1", [target.id]);
    expect(audit).toEqual({
      actor_id: moderator.id,
      user_agent: "mod-console/1.0",
      severity: "info",
      metadata: { role: "producer", account_role_promoted: false },
      old_data: { verified: false, account_role: "user" },
      new_data: { verified: true, account_role: "user" },
    });
    const profile = await api("GET", `/v1/users/${target.username}`);
    expect(profile.body.verified_roles).toEqual([{ role: "producer", verified_at: res.body.verified_at }]);
  });

  it("makes a plain user a creator account when verifying creator, and the new role applies at once", async () => {
    const moderator = await signedInUser({ role: "moderator" });
    const target = await signedInUser();
    await api("GET", "/v1/me", { headers: target.headers }); // the target's auth state is now cached as "user"
    expect((await authStateOf(target.id))?.role).toBe("user");
    const res = await grant(target.id, "creator", moderator.headers);
    expect(res.status).toBe(200);
    expect(res.body.account_role).toBe("creator");
    expect((await one("SELECT role FROM users WHERE id = $1", [target.id])).role).toBe("creator");
    expect((await authStateOf(target.id))?.role).toBe("creator");
    // the users audit trigger attributes the role change to the moderator
    const change = await one("SELECT actor_id, new_data FROM audit_logs WHERE table_name = 'users' AND record_id = $1 AND operation = 'UPDATE'", [target.id]);
    expect(change).toEqual({ actor_id: moderator.id, new_data: expect.objectContaining({ role: "creator" }) });
  });

  it("leaves staff and premium account roles alone when verifying creator", async () => {
    const admin = await signedInUser({ role: "admin" });
    const premium = await createUser({ role: "premium" });
    const res = await grant(premium.id, "creator", admin.headers);
    expect(res.status).toBe(200);
    expect(res.body.account_role).toBe("premium");
    expect((await one("SELECT role FROM users WHERE id = $1", [premium.id])).role).toBe("premium");
  });

  it("keeps the first verification when verifying again", async () => {
    const moderator = await signedInUser({ role: "moderator" });
    const other = await signedInUser({ role: "moderator" });
    const target = await createUser();
    const first = await grant(target.id, "label", moderator.headers);
    const second = await grant(target.id, "label", other.headers);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ verified_at: first.body.verified_at, verified_by: moderator.id });
  });

  it("costs one round trip", async () => {
    const moderator = await signedInUser({ role: "moderator" });
    const target = await createUser();
    await api("GET", "/v1/me", { headers: moderator.headers });
    const { response, roundTrips } = await withRoundTrips(
      new Request(`https://veza.test/v1/users/${target.id}/roles`, {
        method: "POST",
        headers: { ...moderator.headers, "content-type": "application/json" },
        body: JSON.stringify({ role: "educator" }),
      }),
    );
    expect(response.status).toBe(200);
    expect(roundTrips).toBe(1);
  });

  it("refuses normal users (403) and anonymous callers (401), writing nothing", async () => {
    const target = await createUser();
    const user = await signedInUser();
    const creator = await signedInUser({ role: "creator" });
    expect((await grant(target.id, "creator", user.headers)).status).toBe(403);
    expect((await grant(target.id, "creator", creator.headers)).status).toBe(403);
    expect((await grant(target.id, "creator")).status).toBe(401);
    expect((await grant(user.id, "creator", user.headers)).status).toBe(403);
    expect(await sql.query("SELECT 1 FROM user_roles WHERE user_id = ANY($1::uuid[])", [[target.id, user.id]])).toHaveLength(0);
    expect((await one("SELECT role FROM users WHERE id = $1", [user.id])).role).toBe("user");
  });

  it("answers 404 for a missing or deleted user, and 422 for a role that cannot be verified", async () => {
    const moderator = await signedInUser({ role: "moderator" });
    expect((await grant(MISSING, "creator", moderator.headers)).status).toBe(404);
    const gone = await createUser();
    await softDeleteUser(gone.id);
    expect((await grant(gone.id, "creator", moderator.headers)).status).toBe(404);
    expect(await sql.query("SELECT 1 FROM user_roles WHERE user_id = $1", [gone.id])).toHaveLength(0);
    const target = await createUser();
    const bad = await grant(target.id, "admin", moderator.headers);
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe("json.role");
    expect((await api("POST", "/v1/users/not-a-uuid/roles", { headers: moderator.headers, body: { role: "creator" } })).status).toBe(422);
  });
});

describe("DELETE /v1/users/:id/roles/:role", () => {
  it("withdraws a verification, demotes a creator account, and writes role.revoke", async () => {
    const moderator = await signedInUser({ role: "moderator" });
    const target = await signedInUser();
    await grant(target.id, "creator", moderator.headers);
    await api("GET", "/v1/me", { headers: target.headers }); // cached as creator
    const res = await revoke(target.id, "creator", moderator.headers);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user_id: target.id, role: "creator", verified: false, verified_at: null, verified_by: null, account_role: "user" });
    expect((await one("SELECT role FROM users WHERE id = $1", [target.id])).role).toBe("user");
    expect((await authStateOf(target.id))?.role).toBe("user");
    const audit = await one("SELECT actor_id, severity, metadata FROM audit_logs WHERE action = 'role.revoke' AND user_id = $1", [target.id]);
    expect(audit).toEqual({ actor_id: moderator.id, severity: "warning", metadata: { role: "creator", account_role_demoted: true } });
    expect((await api("GET", `/v1/users/${target.username}`)).body.verified_roles).toEqual([]);
  });

  it("answers 404 when the role is not verified", async () => {
    const moderator = await signedInUser({ role: "moderator" });
    const target = await createUser();
    expect((await revoke(target.id, "producer", moderator.headers)).status).toBe(404);
    expect(await sql.query("SELECT 1 FROM audit_logs WHERE action = 'role.revoke' AND user_id = $1", [target.id])).toHaveLength(0);
  });

  it("refuses normal users (403) and anonymous callers (401)", async () => {
    const moderator = await signedInUser({ role: "moderator" });
    const target = await createUser();
    await grant(target.id, "label", moderator.headers);
    const user = await signedInUser();
    expect((await revoke(target.id, "label", user.headers)).status).toBe(403);
    expect((await revoke(target.id, "label")).status).toBe(401);
    expect((await one("SELECT verified FROM user_roles WHERE user_id = $1 AND role = 'label'", [target.id])).verified).toBe(true);
  });
});
