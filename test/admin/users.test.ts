import { describe, expect, it } from "vitest";
import { authStateOf } from "../users/fixtures";
import { api, signedInUser } from "../helpers/auth";
import { createUser, MISSING, one, sql, unique } from "../helpers/db";
import { banUser, softDeleteUser } from "../tracks/fixtures";
import { as, signedInAdmin, withQuery } from "./fixtures";

const list = (admin: { headers: Record<string, string> }, params: Record<string, string | number | undefined>) =>
  api("GET", withQuery("/v1/admin/users", params), { headers: admin.headers });

describe("GET /v1/admin/users", () => {
  it("finds accounts by the start of their email or username, case-insensitively, deleted and banned ones too", async () => {
    const admin = await signedInAdmin();
    const tag = unique();
    const live = await createUser({ username: `adm_${tag}_live`, email: `Adm.${tag}.live@example.com` });
    const banned = await createUser({ username: `adm_${tag}_banned` });
    const deleted = await createUser({ username: `adm_${tag}_gone` });
    await banUser(banned.id);
    await softDeleteUser(deleted.id);
    const res = await list(admin, { q: `ADM_${tag}` });
    expect(res.status).toBe(200);
    expect(res.body.items.map((u: { id: string }) => u.id)).toEqual([deleted.id, banned.id, live.id]);
    expect(res.body.items[2]).toEqual({
      id: live.id,
      email: live.email,
      username: live.username,
      display_name: null,
      role: "user",
      is_banned: false,
      email_verified: false,
      created_at: expect.stringMatching(/Z$/),
      last_login_at: null,
      deleted_at: null,
    });
    expect((await list(admin, { q: `adm.${tag}.LIVE@` })).body.items.map((u: { id: string }) => u.id)).toEqual([live.id]);
    expect((await list(admin, { q: live.id })).body.items.map((u: { id: string }) => u.id)).toEqual([live.id]);
    expect((await list(admin, { q: `adm_${tag}`, status: "active" })).body.items.map((u: { id: string }) => u.id)).toEqual([live.id]);
    expect((await list(admin, { q: `adm_${tag}`, status: "banned" })).body.items.map((u: { id: string }) => u.id)).toEqual([banned.id]);
    expect((await list(admin, { q: `adm_${tag}`, status: "deleted" })).body.items.map((u: { id: string }) => u.id)).toEqual([deleted.id]);
    // LIKE wildcards are searched literally
    expect((await list(admin, { q: `adm%${tag}` })).body.items).toEqual([]);
  });

  it("filters by role and pages with a cursor", async () => {
    const admin = await signedInAdmin();
    const tag = unique();
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await createUser({ username: `pg_${tag}_${i}`, role: "premium" }));
    await createUser({ username: `pg_${tag}_plain` });
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await list(admin, { q: `pg_${tag}`, role: "premium", limit: 2, cursor });
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((u: { id: string }) => u.id));
      cursor = res.body.next_cursor ?? undefined;
      pages++;
    } while (cursor && pages < 5);
    expect(pages).toBe(2);
    expect(seen).toEqual(made.map((u) => u.id).reverse());
  });

  it("answers 422 for bad input", async () => {
    const admin = await signedInAdmin();
    for (const [params, path] of [
      [{ role: "root" }, "query.role"],
      [{ status: "frozen" }, "query.status"],
      [{ limit: 0 }, "query.limit"],
      [{ cursor: "x" }, "query.cursor"],
    ] as const) {
      const res = await list(admin, params);
      expect(res.status, JSON.stringify(params)).toBe(422);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
  });
});

describe("GET /v1/admin/users/:id", () => {
  it("shows an account with its sessions, verified roles and sanctions", async () => {
    const admin = await signedInAdmin();
    const moderator = await createUser({ role: "moderator" });
    const user = await signedInUser();
    await sql.query("INSERT INTO user_roles (user_id, role, verified, verified_at, verified_by) VALUES ($1, 'educator', true, now(), $2)", [user.id, moderator.id]);
    await sql.query("INSERT INTO moderation_actions (moderator_id, target_user_id, action_type, reason) VALUES ($1, $2, 'warn', 'spam in comments')", [moderator.id, user.id]);
    const res = await as(admin, "GET", `/v1/admin/users/${user.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: user.id,
      email: user.email,
      role: "user",
      is_active: true,
      login_count: 0,
      two_factor_enabled: false,
      active_sessions: 1,
      verified_roles: [{ role: "educator", verified_at: expect.stringMatching(/Z$/) }],
      sanctions: [{ action_type: "warn", reason: "spam in comments", expires_at: null, reversed_at: null }],
    });
  });

  it("shows a deleted account, and 404 for an unknown one", async () => {
    const admin = await signedInAdmin();
    const gone = await createUser();
    await softDeleteUser(gone.id);
    const res = await as(admin, "GET", `/v1/admin/users/${gone.id}`);
    expect(res.status).toBe(200);
    expect(res.body.deleted_at).toMatch(/Z$/);
    expect((await as(admin, "GET", `/v1/admin/users/${MISSING}`)).status).toBe(404);
    expect((await as(admin, "GET", "/v1/admin/users/not-a-uuid")).status).toBe(422);
  });
});

describe("PATCH /v1/admin/users/:id/role", () => {
  it("changes the role, effective on the next request, audited with the old and new role", async () => {
    const admin = await signedInAdmin();
    const target = await signedInUser();
    await api("GET", "/v1/me", { headers: target.headers }); // caches the target's auth state as "user"
    const res = await as(admin, "PATCH", `/v1/admin/users/${target.id}/role`, { role: "moderator" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ user_id: target.id, role: "moderator", previous_role: "user" });
    expect((await authStateOf(target.id))?.role).toBe("moderator");
    const audit = await one("SELECT actor_id, severity, old_data, new_data FROM audit_logs WHERE action = 'role.change' AND user_id = $1", [target.id]);
    expect(audit).toEqual({ actor_id: admin.id, severity: "warning", old_data: { role: "user" }, new_data: { role: "moderator" } });
    // the users trigger attributes the row change to the admin
    const change = await one("SELECT actor_id, old_data, new_data FROM audit_logs WHERE table_name = 'users' AND record_id = $1 AND operation = 'UPDATE'", [target.id]);
    expect(change).toEqual({ actor_id: admin.id, old_data: { role: "user" }, new_data: { role: "moderator" } });
    // the target, now a moderator, is still not an admin
    expect((await as(target, "GET", "/v1/admin/users")).status).toBe(403);
  });

  it("setting the same role again changes and audits nothing", async () => {
    const admin = await signedInAdmin();
    const target = await createUser({ role: "creator" });
    const res = await as(admin, "PATCH", `/v1/admin/users/${target.id}/role`, { role: "creator" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ user_id: target.id, role: "creator", previous_role: "creator" });
    expect((await sql.query("SELECT 1 FROM audit_logs WHERE user_id = $1 AND (action = 'role.change' OR operation = 'UPDATE')", [target.id])).length).toBe(0);
  });

  it("refuses an admin's own role (409), deleted or unknown accounts (404) and unknown roles (422)", async () => {
    const admin = await signedInAdmin();
    const self = await as(admin, "PATCH", `/v1/admin/users/${admin.id}/role`, { role: "user" });
    expect(self.status).toBe(409);
    expect((await one("SELECT role FROM users WHERE id = $1", [admin.id])).role).toBe("admin");
    const gone = await createUser();
    await softDeleteUser(gone.id);
    expect((await as(admin, "PATCH", `/v1/admin/users/${gone.id}/role`, { role: "admin" })).status).toBe(404);
    expect((await one("SELECT role FROM users WHERE id = $1", [gone.id])).role).toBe("user");
    expect((await as(admin, "PATCH", `/v1/admin/users/${MISSING}/role`, { role: "admin" })).status).toBe(404);
    const bad = await as(admin, "PATCH", `/v1/admin/users/${gone.id}/role`, { role: "root" });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe("json.role");
    expect((await as(admin, "PATCH", `/v1/admin/users/${gone.id}/role`, { role: "user", extra: 1 })).status).toBe(422);
  });
});

describe("POST /v1/admin/users/:id/verify", () => {
  it("verifies an educator, audited as role.grant by the admin", async () => {
    const admin = await signedInAdmin();
    const target = await createUser();
    const res = await as(admin, "POST", `/v1/admin/users/${target.id}/verify`, { role: "educator" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user_id: target.id, role: "educator", verified: true, verified_by: admin.id, account_role: "user" });
    expect(await one("SELECT verified, verified_by FROM user_roles WHERE user_id = $1 AND role = 'educator'", [target.id])).toEqual({ verified: true, verified_by: admin.id });
    expect((await one("SELECT actor_id FROM audit_logs WHERE action = 'role.grant' AND user_id = $1", [target.id])).actor_id).toBe(admin.id);
  });

  it("verifying a creator makes a plain user a creator account", async () => {
    const admin = await signedInAdmin();
    const target = await createUser();
    const res = await as(admin, "POST", `/v1/admin/users/${target.id}/verify`, { role: "creator" });
    expect(res.status).toBe(200);
    expect(res.body.account_role).toBe("creator");
    expect((await one("SELECT role FROM users WHERE id = $1", [target.id])).role).toBe("creator");
  });

  it("404 for a deleted account, 422 for a role that is not verifiable", async () => {
    const admin = await signedInAdmin();
    const gone = await createUser();
    await softDeleteUser(gone.id);
    expect((await as(admin, "POST", `/v1/admin/users/${gone.id}/verify`, { role: "educator" })).status).toBe(404);
    expect((await sql.query("SELECT 1 FROM user_roles WHERE user_id = $1", [gone.id])).length).toBe(0);
    expect((await as(admin, "POST", `/v1/admin/users/${gone.id}/verify`, { role: "admin" })).status).toBe(422);
  });
});

describe("POST /v1/admin/users/:id/force-logout", () => {
  async function sessionWithRefreshToken(userId: string): Promise<string> {
    const token = `rt-${crypto.randomUUID()}`;
    await sql.query(
      `INSERT INTO refresh_tokens (user_id, token_hash, expires_at) VALUES ($1, encode(sha256(convert_to($2, 'UTF8')), 'hex'), now() + interval '30 days')`,
      [userId, token],
    );
    return token;
  }

  it("refuses the user's access tokens at once and revokes every session, audited", async () => {
    const admin = await signedInAdmin();
    const target = await signedInUser();
    const refreshToken = await sessionWithRefreshToken(target.id);
    expect((await api("GET", "/v1/me", { headers: target.headers })).status).toBe(200); // the auth state is cached now
    const res = await as(admin, "POST", `/v1/admin/users/${target.id}/force-logout`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ user_id: target.id, sessions_revoked: 2 });
    const me = await api("GET", "/v1/me", { headers: target.headers });
    expect(me.status).toBe(401);
    expect(me.body.code).toBe("invalid_token");
    expect((await api("POST", "/v1/auth/refresh", { body: { refresh_token: refreshToken } })).status).toBe(401);
    expect(await one("SELECT count(*) FILTER (WHERE NOT is_revoked)::int AS live, count(*)::int AS total FROM refresh_tokens WHERE user_id = $1", [target.id])).toEqual({
      live: 0,
      total: 2,
    });
    const audit = await one("SELECT actor_id, severity, metadata FROM audit_logs WHERE action = 'admin.force_logout' AND user_id = $1", [target.id]);
    expect(audit).toEqual({ actor_id: admin.id, severity: "warning", metadata: { sessions_revoked: 2 } });
    // the admin's own session is untouched
    expect((await api("GET", "/v1/me", { headers: admin.headers })).status).toBe(200);
  });

  it("404 for a deleted or unknown account", async () => {
    const admin = await signedInAdmin();
    const gone = await createUser();
    await softDeleteUser(gone.id);
    expect((await as(admin, "POST", `/v1/admin/users/${gone.id}/force-logout`)).status).toBe(404);
    expect((await as(admin, "POST", `/v1/admin/users/${MISSING}/force-logout`)).status).toBe(404);
    expect((await sql.query("SELECT 1 FROM audit_logs WHERE action = 'admin.force_logout' AND user_id = $1", [gone.id])).length).toBe(0);
  });
});
