// PUT /v1/me/password: proof of the current password, the last-5 rule, and every other session ending.
import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql, unique } from "../helpers/db";
import { accountWithPassword, bearer, device, login, PASSWORD } from "./support";

type Session = { accessToken: string; refreshToken: string; sessionId: string };

const change = (accessToken: string, body: unknown, headers: Record<string, string> = device()) =>
  api("PUT", "/v1/me/password", { body, headers: bearer(accessToken, headers) });

/** An account whose history holds `passwords` (oldest first; the last one is the current password), cheaply hashed. */
async function accountWithHistory(passwords: string[]) {
  const account = await accountWithPassword(passwords[passwords.length - 1]);
  for (const [i, password] of passwords.entries()) {
    await sql.query(`INSERT INTO password_history (user_id, password_hash, created_at) VALUES ($1, $2, now() - make_interval(days => $3))`, [
      account.id,
      bcrypt.hashSync(password, 4),
      passwords.length - i,
    ]);
  }
  const headers = device();
  const session = (await login(account.username, passwords[passwords.length - 1]!, headers)).body.session as Session;
  return { account, headers, session };
}

describe("PUT /v1/me/password", { timeout: 60_000 }, () => {
  it("changes the password, ends every other session and token, and answers a fresh session", async () => {
    const account = await accountWithPassword();
    const headers = device();
    const current = (await login(account.username, PASSWORD, headers)).body.session as Session;
    const other = (await login(account.username, PASSWORD, device())).body.session as Session;
    const next = `new password ${unique()}`;

    const res = await change(current.accessToken, { current_password: PASSWORD, new_password: next }, headers);
    expect(res.status, res.text).toBe(200);
    const fresh = res.body.session as Session;
    expect(fresh.sessionId).not.toBe(current.sessionId);

    for (const token of [current.accessToken, other.accessToken]) expect((await api("GET", "/v1/me/sessions", { headers: bearer(token) })).status).toBe(401);
    for (const token of [current.refreshToken, other.refreshToken]) {
      expect((await api("POST", "/v1/auth/refresh", { body: { refresh_token: token }, headers })).status).toBe(401);
    }
    const sessions = await api("GET", "/v1/me/sessions", { headers: bearer(fresh.accessToken) });
    expect(sessions.body.items.map((s: { id: string }) => s.id)).toEqual([fresh.sessionId]);

    expect((await login(account.username, PASSWORD, headers)).status).toBe(401);
    expect((await login(account.username, next, headers)).status).toBe(200);

    const [user] = await sql.query(
      `SELECT u.last_password_change_at, u.token_version, (SELECT count(*)::int FROM password_history h WHERE h.user_id = u.id) AS history,
              (SELECT count(*)::int FROM audit_logs a WHERE a.user_id = u.id AND a.action = 'auth.password_change') AS audits
       FROM users u WHERE u.id = $1`,
      [account.id],
    );
    expect(user).toMatchObject({ token_version: 1, history: 1, audits: 1 });
    expect(user!.last_password_change_at).not.toBeNull();
  });

  it("refuses a wrong current password with 403 and counts it toward the sign-in lockout", async () => {
    const { account, headers, session } = await accountWithHistory([PASSWORD]);
    const res = await change(session.accessToken, { current_password: "not the password", new_password: `new password ${unique()}` }, headers);
    expect(res.status).toBe(403);
    expect(res.body.errors).toEqual([{ path: "json.current_password", message: "is not correct" }]);
    const [row] = await sql.query(`SELECT failure_reason FROM login_attempts WHERE identifier = $1 AND NOT success`, [account.email.toLowerCase()]);
    expect(row!.failure_reason).toBe("invalid_current_password");
    for (let i = 0; i < 4; i++) await change(session.accessToken, { current_password: `wrong ${i}`, new_password: `new password ${unique()}` }, headers);
    const locked = await change(session.accessToken, { current_password: PASSWORD, new_password: `new password ${unique()}` }, headers);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("refuses any of the last five passwords, the current one included, and accepts the sixth", async () => {
    const passwords = Array.from({ length: 6 }, (_, i) => `old password ${i} ${unique()}`);
    const { account, headers, session } = await accountWithHistory(passwords);
    for (const reused of [passwords[5], passwords[1]]) {
      const res = await change(session.accessToken, { current_password: passwords[5], new_password: reused }, headers);
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([{ path: "json.new_password", message: "must differ from your last 5 passwords" }]);
    }
    const ok = await change(session.accessToken, { current_password: passwords[5], new_password: passwords[0] }, headers);
    expect(ok.status, ok.text).toBe(200);
    // the history keeps the last five: the new hash and the four before it
    const history = await sql.query(`SELECT password_hash FROM password_history WHERE user_id = $1 ORDER BY created_at DESC`, [account.id]);
    expect(history).toHaveLength(5);
    expect(bcrypt.compareSync(passwords[0]!, history[0]!.password_hash as string)).toBe(true);
    expect(bcrypt.compareSync(passwords[5]!, history[1]!.password_hash as string)).toBe(true);
  });

  it.each([
    ["a short new password", { current_password: PASSWORD, new_password: "short" }, "json.new_password"],
    ["no current password", { new_password: `new password ${unique()}` }, "json.current_password"],
  ])("refuses %s with 422", async (_what, body, path) => {
    const user = await signedInUser();
    const res = await change(user.accessToken, body);
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe(path);
  });

  it("refuses anonymous (401), banned (403) and deleted (401) users", async () => {
    const body = { current_password: PASSWORD, new_password: `new password ${unique()}` };
    expect((await api("PUT", "/v1/me/password", { body })).status).toBe(401);
    const banned = await signedInUser();
    await sql.query(`UPDATE users SET is_banned = true WHERE id = $1`, [banned.id]);
    expect((await change(banned.accessToken, body)).status).toBe(403);
    const deleted = await signedInUser();
    await sql.query(`UPDATE users SET deleted_at = now() WHERE id = $1`, [deleted.id]);
    expect((await change(deleted.accessToken, body)).status).toBe(401);
  });
});
