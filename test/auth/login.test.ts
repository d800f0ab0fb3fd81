// POST /v1/auth/login: credentials, the lockouts, banned and deleted accounts, new devices, 2FA.
import { describe, expect, it } from "vitest";
import { api } from "../helpers/auth";
import { sql, unique } from "../helpers/db";
import { accountWithPassword, device, login, PASSWORD } from "./support";

const withoutRequestId = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });

/** Counted failures written straight into login_attempts, `minutesAgo` each. */
async function pastFailures(identifier: string, ip: string, minutesAgo: number[]) {
  for (const m of minutesAgo) {
    await sql.query(
      `INSERT INTO login_attempts (identifier, success, failure_reason, ip_address, attempted_at)
       VALUES ($1, false, 'invalid_credentials', $2, now() - $3::float8 * interval '1 minute')`,
      [identifier, ip, m],
    );
  }
}

describe("POST /v1/auth/login", { timeout: 60_000 }, () => {
  it("signs in by email or username in any case and updates the login stats", async () => {
    const account = await accountWithPassword();
    const headers = device();
    const byEmail = await login(account.email.toUpperCase(), PASSWORD, headers);
    expect(byEmail.status, byEmail.text).toBe(200);
    expect(byEmail.body.user).toMatchObject({ id: account.id, email: account.email, username: account.username });
    const byName = await login(` ${account.username} `, PASSWORD, headers);
    expect(byName.status).toBe(200);
    const [user] = await sql.query(`SELECT login_count, host(last_login_ip) AS ip, last_login_at FROM users WHERE id = $1`, [account.id]);
    expect(user).toMatchObject({ login_count: 2, ip: headers["cf-connecting-ip"] });
    expect(user!.last_login_at).not.toBeNull();
    const attempts = await sql.query(
      `SELECT identifier, success, failure_reason, host(ip_address) AS ip FROM login_attempts WHERE ip_address = $1 ORDER BY attempted_at`,
      [headers["cf-connecting-ip"]],
    );
    expect(attempts).toEqual([
      { identifier: account.email.toLowerCase(), success: true, failure_reason: null, ip: headers["cf-connecting-ip"] },
      { identifier: account.username.toLowerCase(), success: true, failure_reason: null, ip: headers["cf-connecting-ip"] },
    ]);
  });

  it("answers an unknown account and a wrong password alike, and records both", async () => {
    const account = await accountWithPassword();
    const headers = device();
    const wrong = await login(account.username, "not the password", headers);
    const unknown = await login(`nobody_${unique()}`, "not the password", headers);
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(withoutRequestId(wrong.body)).toEqual(withoutRequestId(unknown.body));
    expect(wrong.headers.get("content-type")).toBe(unknown.headers.get("content-type"));
    const reasons = await sql.query(`SELECT failure_reason FROM login_attempts WHERE ip_address = $1`, [headers["cf-connecting-ip"]]);
    expect(reasons.map((r) => r.failure_reason)).toEqual(["invalid_credentials", "invalid_credentials"]);
  });

  it("treats a soft-deleted account as unknown", async () => {
    const account = await accountWithPassword(PASSWORD, { deleted: true });
    const headers = device();
    const deleted = await login(account.email, PASSWORD, headers);
    const unknown = await login(`nobody_${unique()}@example.com`, PASSWORD, headers);
    expect(deleted.status).toBe(401);
    expect(withoutRequestId(deleted.body)).toEqual(withoutRequestId(unknown.body));
  });

  it("refuses a banned account with 403, but only to whoever knows its password", async () => {
    const account = await accountWithPassword(PASSWORD, { is_banned: true });
    const headers = device();
    const right = await login(account.username, PASSWORD, headers);
    expect(right.status).toBe(403);
    expect(right.body.code).toBe("forbidden");
    expect((await login(account.username, "not the password", headers)).status).toBe(401);
    const [live] = await sql.query(`SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1`, [account.id]);
    expect(live!.n).toBe(0);
  });

  it("locks an identifier out after 5 failures, even with the right password, with Retry-After", async () => {
    const account = await accountWithPassword();
    const headers = device();
    for (let i = 0; i < 5; i++) expect((await login(account.username, `wrong ${i}`, headers)).status).toBe(401);
    const locked = await login(account.username, PASSWORD, headers);
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe("rate_limited");
    const retryAfter = Number(locked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(800);
    expect(retryAfter).toBeLessThanOrEqual(900);
    // the same identifier from another address is locked too, and so is the account's other identifier
    expect((await login(account.username, PASSWORD, device())).status).toBe(429);
    expect((await login(account.email, PASSWORD, headers)).status).toBe(429);
    const [row] = await sql.query(`SELECT count(*)::int AS n FROM login_attempts WHERE identifier = $1 AND failure_reason = 'rate_limited'`, [
      account.username.toLowerCase(),
    ]);
    expect(row!.n).toBe(2);
  });

  it("counts an account's failures by email and by username together: 5 by email lock the username out", async () => {
    const account = await accountWithPassword();
    const headers = device();
    for (let i = 0; i < 5; i++) expect((await login(account.email, `wrong ${i}`, headers)).status).toBe(401);
    expect((await login(account.username, `wrong 5`, device())).status).toBe(429);
    expect((await login(account.username.toUpperCase(), PASSWORD, device())).status).toBe(429);
    // an unknown identifier is still keyed by what was typed
    expect((await login(`nobody_${unique()}`, "guess", device())).status).toBe(401);
  });

  it("lets no more than 5 of 10 concurrent wrong passwords through to a 401: the rest are 429", async () => {
    const account = await accountWithPassword();
    const headers = device();
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => login(account.username, `wrong ${i}`, headers)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    const reasons = await sql.query(
      `SELECT failure_reason, count(*)::int AS n FROM login_attempts WHERE ip_address = $1 GROUP BY 1 ORDER BY 1`,
      [headers["cf-connecting-ip"]],
    );
    expect(reasons).toEqual([
      { failure_reason: "invalid_credentials", n: statuses.filter((s) => s === 401).length },
      { failure_reason: "rate_limited", n: statuses.filter((s) => s === 429).length },
    ]);
    // and the right password, now, is refused too
    expect((await login(account.username, PASSWORD, headers)).status).toBe(429);
  });

  it("records one attempt row per sign-in, marked a success, and relabels a refusal's row", async () => {
    const account = await accountWithPassword(PASSWORD, { is_banned: true });
    const headers = device();
    expect((await login(account.username, PASSWORD, headers)).status).toBe(403);
    const rows = await sql.query(`SELECT success, failure_reason FROM login_attempts WHERE ip_address = $1`, [headers["cf-connecting-ip"]]);
    expect(rows).toEqual([{ success: false, failure_reason: "banned" }]);
  });

  it("says when the lockout ends: when the oldest counted failure leaves the 15-minute window", async () => {
    const account = await accountWithPassword();
    const headers = device();
    await pastFailures(account.username.toLowerCase(), headers["cf-connecting-ip"], [14.5, 10, 9, 8, 7]);
    const locked = await login(account.username, PASSWORD, headers);
    expect(locked.status).toBe(429);
    // the oldest of the five leaves the window in 30 seconds
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThanOrEqual(25);
    expect(Number(locked.headers.get("retry-after"))).toBeLessThanOrEqual(30);
    // with a sixth, newer failure, one leaving is not enough: the lockout lasts until only four remain
    await pastFailures(account.username.toLowerCase(), headers["cf-connecting-ip"], [6]);
    const longer = await login(account.username, PASSWORD, headers);
    expect(Number(longer.headers.get("retry-after"))).toBeGreaterThanOrEqual(295);
    expect(Number(longer.headers.get("retry-after"))).toBeLessThanOrEqual(300);
  });

  it("forgets failures older than 15 minutes", async () => {
    const account = await accountWithPassword();
    const headers = device();
    await pastFailures(account.username.toLowerCase(), headers["cf-connecting-ip"], [20, 19, 18, 17, 16]);
    expect((await login(account.username, PASSWORD, headers)).status).toBe(200);
  });

  it("clears the identifier's streak on success", async () => {
    const account = await accountWithPassword();
    const headers = device();
    await pastFailures(account.username.toLowerCase(), headers["cf-connecting-ip"], [9, 8, 7, 6]);
    expect((await login(account.username, PASSWORD, headers)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(account.username, `wrong ${i}`, headers)).status).toBe(401);
    // eight failures in the window, but only four since the success
    expect((await login(account.username, PASSWORD, headers)).status).toBe(200);
  });

  it("locks an address out after 20 failures, whatever the identifiers", async () => {
    const account = await accountWithPassword();
    const headers = device();
    const other = device();
    await pastFailures(`someone_${unique()}`, headers["cf-connecting-ip"], Array.from({ length: 19 }, (_, i) => 14 - i * 0.5));
    // the 20th failure is still answered (401); from then on the address is locked
    expect((await login(`nobody_${unique()}`, "guess", headers)).status).toBe(401);
    const locked = await login(account.username, PASSWORD, headers);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await login(account.username, PASSWORD, other)).status).toBe(200);
  });

  it("audits a sign-in from a new device once", async () => {
    const account = await accountWithPassword();
    const headers = device();
    expect((await login(account.username, PASSWORD, headers)).status).toBe(200);
    expect((await login(account.username, PASSWORD, headers)).status).toBe(200);
    expect((await login(account.username, PASSWORD, { ...headers, "user-agent": "Another browser" })).status).toBe(200);
    const rows = await sql.query(
      `SELECT actor_id, host(ip_address) AS ip, user_agent, severity FROM audit_logs WHERE user_id = $1 AND action = 'auth.login_new_device' ORDER BY created_at`,
      [account.id],
    );
    expect(rows).toEqual([
      { actor_id: account.id, ip: headers["cf-connecting-ip"], user_agent: headers["user-agent"], severity: "info" },
      { actor_id: account.id, ip: headers["cf-connecting-ip"], user_agent: "Another browser", severity: "info" },
    ]);
  });

  it("asks for the second factor when two-factor authentication is on, without counting it as a failure", async () => {
    const account = await accountWithPassword();
    await sql.query(`INSERT INTO two_factor_configs (user_id, totp_secret, totp_enabled, totp_enabled_at) VALUES ($1, 'v1.sealed.secret', true, now())`, [
      account.id,
    ]);
    const headers = device();
    for (let i = 0; i < 6; i++) {
      const res = await login(account.username, PASSWORD, headers);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: "unauthenticated", errors: [{ path: "json.code", message: "required" }] });
    }
    const [row] = await sql.query(`SELECT count(*)::int AS n FROM login_attempts WHERE identifier = $1 AND failure_reason = 'two_factor_required'`, [
      account.username.toLowerCase(),
    ]);
    expect(row!.n).toBe(6);
    // a wrong password says nothing about 2FA
    const wrong = await login(account.username, "not the password", headers);
    expect(wrong.status).toBe(401);
    expect(wrong.body.errors).toBeUndefined();
  });

  it.each([
    ["no identifier", { password: PASSWORD }, "json.identifier"],
    ["an empty identifier", { identifier: "  ", password: PASSWORD }, "json.identifier"],
    ["no password", { identifier: "someone" }, "json.password"],
    ["a numeric password", { identifier: "someone", password: 12345678901 }, "json.password"],
    ["a five-character code", { identifier: "someone", password: PASSWORD, code: "12345" }, "json.code"],
  ])("refuses %s with 422", async (_what, body, path) => {
    const res = await api("POST", "/v1/auth/login", { body, headers: device() });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });
});
