import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql, unique } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { auditRows } from "./helpers";

const PASSWORD = "correct horse battery staple";

/** A real account, through the sign-up route: a password, a session, a refresh token. */
async function registered() {
  const tag = unique();
  const email = `del_${tag}@example.com`;
  const username = `del_${tag}`;
  const res = await api("POST", "/v1/auth/register", { body: { email, username, password: PASSWORD, data_processing_consent: true } });
  expect(res.status).toBe(201);
  const { user, session } = res.body;
  return { id: user.id as string, email, username, session, headers: { Authorization: `Bearer ${session.accessToken}` } };
}

describe("DELETE /v1/me", () => {
  it("soft-deletes at once: old tokens and sign-in stop working, the email and username are free again", async () => {
    const account = await registered();
    // A second session, to see every refresh token revoked, not just the request's.
    const other = await api("POST", "/v1/auth/login", { body: { identifier: account.username, password: PASSWORD } });
    expect(other.status).toBe(200);

    const res = await api("DELETE", "/v1/me", {
      body: { password: PASSWORD, confirm: "DELETE" },
      headers: { ...account.headers, "cf-connecting-ip": "203.0.113.9", "user-agent": "DeleteTest/1.0" },
    });
    expect(res.status).toBe(204);
    expect(res.text).toBe("");

    const [row] = await sql.query("SELECT deleted_at IS NOT NULL AS deleted, token_version FROM users WHERE id = $1", [account.id]);
    expect(row).toEqual({ deleted: true, token_version: 1 });
    const tokens = await sql.query("SELECT bool_and(is_revoked) AS all_revoked, count(*)::int AS n, min(revoked_reason) AS reason FROM refresh_tokens WHERE user_id = $1", [account.id]);
    expect(tokens[0]).toEqual({ all_revoked: true, n: 2, reason: "account_deleted" });
    const audit = await auditRows(account.id, "account.delete");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: account.id, ip: "203.0.113.9", user_agent: "DeleteTest/1.0", severity: "warning", metadata: { sessions_revoked: 2 } });

    // Every old access token is refused at once, and no way back in.
    expect((await api("PATCH", "/v1/me/consents", { body: { marketing_consent: true }, headers: account.headers })).status).toBe(401);
    expect((await api("PATCH", "/v1/me/consents", { body: { marketing_consent: true }, headers: { Authorization: `Bearer ${other.body.session.accessToken}` } })).status).toBe(401);
    expect((await api("POST", "/v1/auth/refresh", { body: { refresh_token: account.session.refreshToken } })).status).toBe(401);
    expect((await api("POST", "/v1/auth/login", { body: { identifier: account.username, password: PASSWORD } })).status).toBe(401);
    expect((await api("POST", "/v1/auth/login", { body: { identifier: account.email, password: PASSWORD } })).status).toBe(401);

    // Someone else may now take the same email and username.
    const again = await api("POST", "/v1/auth/register", {
      body: { email: account.email, username: account.username, password: "another good password", data_processing_consent: true },
    });
    expect(again.status).toBe(201);
    expect(again.body.user.id).not.toBe(account.id);
  }, 30_000);

  it("needs the password of an account that has one: missing is 422, wrong is 403, and nothing changes", async () => {
    const account = await registered();
    const missing = await api("DELETE", "/v1/me", { body: { confirm: "DELETE" }, headers: account.headers });
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual([{ path: "json.password", message: expect.any(String) }]);
    const wrong = await api("DELETE", "/v1/me", { body: { password: "not the password", confirm: "DELETE" }, headers: account.headers });
    expect(wrong.status).toBe(403);
    const [row] = await sql.query("SELECT deleted_at, token_version FROM users WHERE id = $1", [account.id]);
    expect(row).toEqual({ deleted_at: null, token_version: 0 });
    expect(await auditRows(account.id, "account.delete")).toHaveLength(0);
  }, 30_000);

  it("counts wrong passwords toward the account's lockout: after 5, the 6th attempt is 429 (even the right one)", async () => {
    const account = await registered();
    const headers = { ...account.headers, "cf-connecting-ip": `198.51.100.${Math.floor(Math.random() * 250) + 1}` };
    for (let i = 0; i < 5; i++) {
      expect((await api("DELETE", "/v1/me", { body: { password: `wrong ${i}`, confirm: "DELETE" }, headers })).status).toBe(403);
    }
    const locked = await api("DELETE", "/v1/me", { body: { password: PASSWORD, confirm: "DELETE" }, headers });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    const [row] = await sql.query(
      "SELECT count(*)::int AS n FROM login_attempts WHERE identifier = $1 AND failure_reason = 'invalid_current_password'",
      [account.email.toLowerCase()],
    );
    expect(row!.n).toBe(5);
    // the lockout is the account's: sign-in is locked too
    expect((await api("POST", "/v1/auth/login", { body: { identifier: account.username, password: PASSWORD }, headers })).status).toBe(429);
    const [live] = await sql.query("SELECT deleted_at FROM users WHERE id = $1", [account.id]);
    expect(live!.deleted_at).toBeNull();
  }, 60_000);

  it("deletes an account without a password (signed up with a provider) on the confirmation alone", async () => {
    const user = await signedInUser();
    await sql.query("UPDATE users SET password_hash = NULL WHERE id = $1", [user.id]);
    const res = await api("DELETE", "/v1/me", { body: { confirm: "DELETE" }, headers: user.headers });
    expect(res.status).toBe(204);
    expect((await sql.query("SELECT deleted_at IS NOT NULL AS deleted FROM users WHERE id = $1", [user.id]))[0]!.deleted).toBe(true);
  });

  it("removes the account's export archives from storage", async () => {
    const user = await signedInUser();
    await sql.query("UPDATE users SET password_hash = NULL, export_requested_at = now(), exported_at = now() WHERE id = $1", [user.id]);
    await env.MEDIA.put(`exports/${user.id}/previous-archive-0001.json`, "{}");
    expect((await api("DELETE", "/v1/me", { body: { confirm: "DELETE" }, headers: user.headers })).status).toBe(204);
    expect((await env.MEDIA.list({ prefix: `exports/${user.id}/` })).objects).toEqual([]);
  });

  it("costs two round trips once the auth state is cached (read the password hash, then one batch)", async () => {
    const user = await signedInUser();
    await sql.query("UPDATE users SET password_hash = NULL WHERE id = $1", [user.id]);
    await api("PATCH", "/v1/me/consents", { body: { marketing_consent: false }, headers: user.headers }); // warms the auth cache
    const { response, roundTrips } = await withRoundTrips(
      new Request("https://veza.test/v1/me", { method: "DELETE", headers: { ...user.headers, "content-type": "application/json" }, body: JSON.stringify({ confirm: "DELETE" }) }),
    );
    expect(response.status).toBe(204);
    expect(roundTrips).toBe(2);
  });

  describe("bad input", () => {
    it.each([
      [{}, "json.confirm"],
      [{ confirm: "delete" }, "json.confirm"],
      [{ confirm: "DELETE", password: "" }, "json.password"],
      [{ confirm: "DELETE", reason: "bye" }, "json"],
    ])("answers 422 for %j with the path %s", async (body, path) => {
      const user = await signedInUser();
      const res = await api("DELETE", "/v1/me", { body, headers: user.headers });
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
      expect((await sql.query("SELECT deleted_at FROM users WHERE id = $1", [user.id]))[0]!.deleted_at).toBeNull();
    });
  });

  describe("authorisation", () => {
    it("refuses anonymous requests (401)", async () => {
      expect((await api("DELETE", "/v1/me", { body: { confirm: "DELETE" } })).status).toBe(401);
    });

    it("refuses a banned user (403)", async () => {
      const user = await signedInUser();
      await sql.query("UPDATE users SET is_banned = true, password_hash = NULL WHERE id = $1", [user.id]);
      expect((await api("DELETE", "/v1/me", { body: { confirm: "DELETE" }, headers: user.headers })).status).toBe(403);
      expect((await sql.query("SELECT deleted_at FROM users WHERE id = $1", [user.id]))[0]!.deleted_at).toBeNull();
    });

    it("refuses an account already deleted (401)", async () => {
      const user = await signedInUser();
      await sql.query("UPDATE users SET deleted_at = now(), password_hash = NULL WHERE id = $1", [user.id]);
      expect((await api("DELETE", "/v1/me", { body: { confirm: "DELETE" }, headers: user.headers })).status).toBe(401);
    });
  });
});
