// POST /v1/auth/register: the account, its consents and first session; bad input; taken names.
import { describe, expect, it } from "vitest";
import { api } from "../helpers/auth";
import { sql, unique } from "../helpers/db";
import { bearer, device, newAccount, register } from "./support";

const post = (body: unknown) => api("POST", "/v1/auth/register", { body, headers: device() });

describe("POST /v1/auth/register", { timeout: 30_000 }, () => {
  it("creates the account, stamps the consent, keeps the password hash in history and signs in", async () => {
    const res = await register(device(), { display_name: "  Ada L.  " });
    expect(res.user).toMatchObject({
      email: res.input.email,
      username: res.input.username,
      display_name: "Ada L.",
      role: "user",
      email_verified: false,
    });
    expect(res.session).toMatchObject({ tokenType: "Bearer", expiresIn: 900 });
    const [user] = await sql.query(
      `SELECT u.password_hash, u.data_processing_consent, u.data_processing_consent_at, u.marketing_consent, u.marketing_consent_at,
              (SELECT array_agg(password_hash) FROM password_history h WHERE h.user_id = u.id) AS history,
              (SELECT count(*)::int FROM email_verification_tokens t WHERE t.user_id = u.id AND t.email = u.email) AS verification_links,
              (SELECT count(*)::int FROM refresh_tokens t WHERE t.user_id = u.id AND t.family_id = $2) AS sessions
       FROM users u WHERE u.id = $1`,
      [res.user.id, res.session.sessionId],
    );
    expect(user!.password_hash).toMatch(/^\$2[aby]\$12\$/);
    expect(user!.history).toEqual([user!.password_hash]);
    expect(user).toMatchObject({ data_processing_consent: true, marketing_consent: false, marketing_consent_at: null, verification_links: 1, sessions: 1 });
    expect(user!.data_processing_consent_at).not.toBeNull();
    expect((await api("GET", "/v1/me/sessions", { headers: bearer(res.session.accessToken) })).status).toBe(200);
  });

  it("stamps marketing consent separately when it is given", async () => {
    const res = await register(device(), { marketing_consent: true });
    const [user] = await sql.query(`SELECT marketing_consent, marketing_consent_at FROM users WHERE id = $1`, [res.user.id]);
    expect(user!.marketing_consent).toBe(true);
    expect(user!.marketing_consent_at).not.toBeNull();
  });

  it("refuses an account without data-processing consent", async () => {
    for (const consent of [false, undefined]) {
      const res = await post(newAccount({ data_processing_consent: consent }));
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["json.data_processing_consent"]);
    }
  });

  it.each([
    ["an email without a domain", { email: "nobody@nowhere" }, "json.email"],
    ["an email with a space", { email: "no body@example.com" }, "json.email"],
    ["a two-character username", { username: "ab" }, "json.username"],
    ["a username with a dash", { username: `bad-${unique()}` }, "json.username"],
    ["a 31-character username", { username: "a".repeat(31) }, "json.username"],
    ["a username posing as an erased account", { username: `Deleted_${unique()}` }, "json.username"],
    ["a 9-character password", { password: "123456789" }, "json.password"],
    ["a 129-character password", { password: "p".repeat(129) }, "json.password"],
    ["a password over bcrypt's 72 bytes", { password: "€".repeat(25) }, "json.password"],
    ["an unknown field", { is_admin: true }, "json"],
    ["a non-boolean marketing consent", { marketing_consent: "yes" }, "json.marketing_consent"],
  ])("refuses %s with 422 on its path", async (_what, overrides, path) => {
    const res = await post(newAccount(overrides));
    expect(res.status, res.text).toBe(422);
    expect(res.body.code).toBe("validation_failed");
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it("explains the 72-byte limit", async () => {
    const res = await post(newAccount({ password: "€".repeat(25) }));
    expect(res.body.errors[0].message).toMatch(/72 bytes/);
  });

  it("accepts a 72-byte password of multi-byte characters", async () => {
    const res = await post(newAccount({ password: "€".repeat(24) }));
    expect(res.status, res.text).toBe(201);
  });

  it("refuses a taken email or username in any case with 409, saying nothing of the other account", async () => {
    const first = await register();
    const email = await post(newAccount({ email: first.input.email.toUpperCase() }));
    expect(email.status).toBe(409);
    expect(email.body.errors).toEqual([{ path: "json.email", message: "is already taken" }]);
    const username = await post(newAccount({ username: first.input.username.toUpperCase() }));
    expect(username.status).toBe(409);
    expect(username.body.errors).toEqual([{ path: "json.username", message: "is already taken" }]);
    for (const res of [email, username]) {
      expect(res.text).not.toContain(first.user.id);
      expect(res.text.toLowerCase()).not.toContain(first.input.username.toLowerCase());
    }
    const [count] = await sql.query(`SELECT count(*)::int AS n FROM users WHERE lower(email) = lower($1)`, [first.input.email]);
    expect(count!.n).toBe(1);
  });

  it("lets a new account take the email and username of a soft-deleted one", async () => {
    const old = await register();
    await sql.query(`UPDATE users SET deleted_at = now() WHERE id = $1`, [old.user.id]);
    const res = await post(newAccount({ email: old.input.email, username: old.input.username }));
    expect(res.status, res.text).toBe(201);
    expect(res.body.user.id).not.toBe(old.user.id);
  });
});
