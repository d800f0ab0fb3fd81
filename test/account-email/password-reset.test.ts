import bcrypt from "bcryptjs";
import { env } from "cloudflare:workers";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/lib/crypto";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { one, sql, uniq } from "../helpers/db";
import { deliver, mailbox, send, tokenIn } from "../mail/outbox";
import { github, listenToProviders, providerServer, resetProviders, type GitHubAccount } from "../oauth/fake-providers";
import { callback, startFlow } from "../oauth/flow";

/**
 * Gives `user` a password history, oldest first; the last one is the current password. Hashed at
 * bcrypt's lowest cost to keep the suite fast (a compare runs at the cost stored in the hash).
 */
async function setPasswords(user: { id: string }, passwords: string[]) {
  const hashes = passwords.map((p) => bcrypt.hashSync(p, 4));
  for (const [i, hash] of hashes.entries()) {
    await sql.query("INSERT INTO password_history (user_id, password_hash, created_at) VALUES ($1, $2, now() - make_interval(days => $3))", [
      user.id,
      hash,
      hashes.length - i,
    ]);
  }
  await sql.query("UPDATE users SET password_hash = $2 WHERE id = $1", [user.id, hashes.at(-1)]);
}

/** Asks for a reset link for `email`, delivers the queued mail, and reads the token from the mailbox. */
async function resetToken(email: string): Promise<string> {
  const res = await send("POST", "/v1/auth/password-reset", { body: { email } });
  expect(res.status).toBe(202);
  expect(res.outbox).toHaveLength(1);
  await deliver(res.outbox);
  const [mail] = await mailbox(email);
  expect(mail!.subject).toBe("Reset your Veza password");
  return tokenIn(mail!, "reset-password");
}

const confirm = (token: string, new_password: string) => api("POST", "/v1/auth/password-reset/confirm", { body: { token, new_password } });

async function expectInvalidToken(res: Awaited<ReturnType<typeof confirm>>, detail: RegExp) {
  expect(res.status).toBe(401);
  expect(res.body).toMatchObject({ code: "invalid_token" });
  expect(res.body.detail).toMatch(detail);
}

const passwordHash = async (userId: string) => (await one("SELECT password_hash FROM users WHERE id = $1", [userId])).password_hash as string;

describe("POST /v1/auth/password-reset", () => {
  it("answers an unknown address exactly like a known one, and mails only the account", async () => {
    const user = await signedInUser();
    const known = await send("POST", "/v1/auth/password-reset", { body: { email: user.email.toUpperCase() } });
    const unknown = await send("POST", "/v1/auth/password-reset", { body: { email: `nobody_${uniq()}@example.com` } });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    expect(unknown.headers.get("content-type")).toBe(known.headers.get("content-type"));
    expect(known.outbox).toHaveLength(1);
    expect(known.outbox[0]).toMatchObject({ type: "mail.send", to: user.email });
    expect(unknown.outbox).toEqual([]);
  });

  it("stores only the token's hash, valid for one hour, with the requester's device", async () => {
    const user = await signedInUser();
    const res = await send("POST", "/v1/auth/password-reset", {
      body: { email: user.email },
      headers: { "cf-connecting-ip": "203.0.113.7", "user-agent": "ResetTest/1.0" },
    });
    await deliver(res.outbox);
    const token = tokenIn((await mailbox(user.email))[0]!, "reset-password");
    const row = await one(
      "SELECT used, host(ip_address) AS ip, user_agent, extract(epoch FROM expires_at - created_at)::int AS seconds FROM password_reset_tokens WHERE token_hash = $1",
      [await sha256Hex(token)],
    );
    expect(row).toEqual({ used: false, ip: "203.0.113.7", user_agent: "ResetTest/1.0", seconds: 3600 });
  });

  it("sends nothing to banned or deleted accounts, with the same answer", async () => {
    const banned = await signedInUser();
    const deleted = await signedInUser();
    await sql.query("UPDATE users SET is_banned = true WHERE id = $1", [banned.id]);
    await sql.query("UPDATE users SET deleted_at = now() WHERE id = $1", [deleted.id]);
    for (const email of [banned.email, deleted.email]) {
      const res = await send("POST", "/v1/auth/password-reset", { body: { email } });
      expect(res.status).toBe(202);
      expect(res.outbox).toEqual([]);
    }
  });

  it("sends at most one link a minute, answering the same each time", async () => {
    const user = await signedInUser();
    const first = await send("POST", "/v1/auth/password-reset", { body: { email: user.email } });
    const second = await send("POST", "/v1/auth/password-reset", { body: { email: user.email } });
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body).toEqual(first.body);
    expect([first.outbox.length, second.outbox.length]).toEqual([1, 0]);
  });

  it("answers 422 with the field path for a malformed address", async () => {
    const res = await api("POST", "/v1/auth/password-reset", { body: { email: "not-an-address" } });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["json.email"]);
  });
});

describe("POST /v1/auth/password-reset/confirm", () => {
  it("sets the new password and ends every session", async () => {
    const user: SignedInUser = await signedInUser();
    await setPasswords(user, ["the old password 1"]);
    await sql.query(
      "INSERT INTO refresh_tokens (user_id, token_hash, expires_at) VALUES ($1, encode(sha256(gen_random_uuid()::text::bytea), 'hex'), now() + interval '30 days')",
      [user.id],
    );
    // The access token works, and its auth state is now in the edge cache.
    expect((await send("POST", "/v1/auth/verify-email/resend", { headers: user.headers })).status).toBe(202);

    const token = await resetToken(user.email);
    const res = await api("POST", "/v1/auth/password-reset/confirm", {
      body: { token, new_password: "a brand new passphrase" },
      headers: { "cf-connecting-ip": "198.51.100.4", "user-agent": "ResetTest/2.0" },
    });
    expect(res.status).toBe(204);
    expect(res.text).toBe("");

    // The old access token is refused at once (token_version bumped, cached state dropped).
    const old = await api("POST", "/v1/auth/verify-email/resend", { headers: user.headers });
    expect(old.status).toBe(401);
    expect(old.body.code).toBe("invalid_token");

    const row = await one("SELECT token_version, last_password_change_at IS NOT NULL AS changed FROM users WHERE id = $1", [user.id]);
    expect(row).toEqual({ token_version: 1, changed: true });
    const hash = await passwordHash(user.id);
    expect(await bcrypt.compare("a brand new passphrase", hash)).toBe(true);
    expect(await bcrypt.compare("the old password 1", hash)).toBe(false);
    expect(hash).toMatch(/^\$2[aby]\$12\$/);

    const sessions = await sql.query("SELECT is_revoked, revoked_reason FROM refresh_tokens WHERE user_id = $1", [user.id]);
    expect(sessions).toEqual([
      { is_revoked: true, revoked_reason: "password_reset" },
      { is_revoked: true, revoked_reason: "password_reset" },
    ]);
    const history = await sql.query("SELECT password_hash FROM password_history WHERE user_id = $1 ORDER BY created_at DESC", [user.id]);
    expect(history.map((h) => h.password_hash)).toContain(hash);
    expect(await one("SELECT used, used_at IS NOT NULL AS stamped FROM password_reset_tokens WHERE token_hash = $1", [await sha256Hex(token)])).toEqual({
      used: true,
      stamped: true,
    });

    const audit = await one("SELECT actor_id, host(ip_address) AS ip, user_agent, severity, metadata FROM audit_logs WHERE action = 'auth.password_reset' AND user_id = $1", [user.id]);
    expect(audit).toMatchObject({ actor_id: user.id, ip: "198.51.100.4", user_agent: "ResetTest/2.0", severity: "warning" });
    expect(audit.metadata).toMatchObject({ sessions_revoked: 2 });
    // The users audit row names the account holder, and keeps no hash.
    const change = await one(
      "SELECT actor_id, new_data FROM audit_logs WHERE table_name = 'users' AND operation = 'UPDATE' AND record_id = $1 AND new_data ? 'token_version'",
      [user.id],
    );
    expect(change.actor_id).toBe(user.id);
    expect(JSON.stringify(change.new_data)).not.toContain("$2");
  });

  it("signs out a real session: its refresh and access tokens and the old password stop working", async () => {
    const user = await signedInUser();
    await setPasswords(user, ["the old password 2"]);
    const ip = { "cf-connecting-ip": `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}` };
    const login = (identifier: string, password: string) => api("POST", "/v1/auth/login", { body: { identifier, password }, headers: ip });
    const signedIn = await login(user.email, "the old password 2");
    expect(signedIn.status).toBe(200);
    const { accessToken, refreshToken } = signedIn.body.session;

    expect((await confirm(await resetToken(user.email), "my fresh new password")).status).toBe(204);

    const refreshed = await api("POST", "/v1/auth/refresh", { body: { refresh_token: refreshToken } });
    expect(refreshed.status).toBe(401);
    const old = await api("POST", "/v1/auth/verify-email/resend", { headers: { Authorization: `Bearer ${accessToken}` } });
    expect(old.status).toBe(401);
    expect((await login(user.email, "the old password 2")).status).toBe(401);
    expect((await login(user.username, "my fresh new password")).status).toBe(200);
  });

  it("works once: the same link is refused afterwards", async () => {
    const user = await signedInUser();
    const token = await resetToken(user.email);
    expect((await confirm(token, "first new password")).status).toBe(204);
    const hash = await passwordHash(user.id);
    await expectInvalidToken(await confirm(token, "second new password"), /already been used/);
    expect(await passwordHash(user.id)).toBe(hash);
  });

  it("lets exactly one of two simultaneous uses of a link succeed", async () => {
    const user = await signedInUser();
    const token = await resetToken(user.email);
    const results = await Promise.all([confirm(token, "racing password one"), confirm(token, "racing password two")]);
    expect(results.map((r) => r.status).sort()).toEqual([204, 401]);
    expect(await one("SELECT count(*)::int AS n FROM audit_logs WHERE action = 'auth.password_reset' AND user_id = $1", [user.id])).toEqual({ n: 1 });
  });

  it("refuses an expired link", async () => {
    const user = await signedInUser();
    const token = await resetToken(user.email);
    await sql.query("UPDATE password_reset_tokens SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' WHERE token_hash = $1", [
      await sha256Hex(token),
    ]);
    const before = await passwordHash(user.id);
    await expectInvalidToken(await confirm(token, "a fine new password"), /expired/);
    expect(await passwordHash(user.id)).toBe(before);
  });

  it("refuses a forged link", async () => {
    await expectInvalidToken(await confirm("Zm9yZ2VkLXRva2VuLWZvcmdlZC10b2tlbi1mb3JnZWQtdG9r", "a fine new password"), /not valid/);
  });

  it("refuses the link of an account banned since it was sent", async () => {
    const user = await signedInUser();
    const token = await resetToken(user.email);
    await sql.query("UPDATE users SET is_banned = true WHERE id = $1", [user.id]);
    await expectInvalidToken(await confirm(token, "a fine new password"), /not valid/);
  });

  it("spends the account's other reset links", async () => {
    const user = await signedInUser();
    const first = await resetToken(user.email);
    await sql.query("UPDATE password_reset_tokens SET created_at = created_at - interval '2 minutes' WHERE user_id = $1", [user.id]);
    const second = await resetToken(user.email);
    expect(second).not.toBe(first);
    expect((await confirm(second, "the newest password")).status).toBe(204);
    await expectInvalidToken(await confirm(first, "another new password"), /already been used/);
  });

  it("refuses any of the last 5 passwords, allows an older one, and keeps 5 in the history", async () => {
    const user = await signedInUser();
    const passwords = ["password number 0", "password number 1", "password number 2", "password number 3", "password number 4", "password number 5"];
    await setPasswords(user, passwords);
    const token = await resetToken(user.email);
    for (const reused of ["password number 1", "password number 5"]) {
      const res = await confirm(token, reused);
      expect(res.status).toBe(422);
      expect(res.body.code).toBe("validation_failed");
      expect(res.body.errors).toEqual([{ path: "json.new_password", message: "must differ from your last 5 passwords" }]);
    }
    // A refused password does not spend the link; the sixth most recent is old enough.
    expect((await confirm(token, "password number 0")).status).toBe(204);
    const history = await sql.query("SELECT password_hash FROM password_history WHERE user_id = $1 ORDER BY created_at DESC", [user.id]);
    expect(history).toHaveLength(5);
    expect(history[0]!.password_hash).toBe(await passwordHash(user.id));
    const kept = await Promise.all(["password number 2", "password number 3", "password number 4", "password number 5"].map((p, i) => bcrypt.compare(p, history[4 - i]!.password_hash as string)));
    expect(kept).toEqual([true, true, true, true]);
  });

  it("answers 422 with field paths for a password that is too short, too long or over 72 bytes", async () => {
    for (const new_password of ["short", "x".repeat(129), "é".repeat(40)]) {
      const res = await confirm("some-token", new_password);
      expect(res.status, new_password).toBe(422);
      expect([...new Set(res.body.errors.map((e: { path: string }) => e.path))]).toEqual(["json.new_password"]);
    }
    const missing = await api("POST", "/v1/auth/password-reset/confirm", { body: { new_password: "long enough password" } });
    expect(missing.status).toBe(422);
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toEqual(["json.token"]);
  });

  it("links to the app configured in APP_URL", async () => {
    const user = await signedInUser();
    const token = await resetToken(user.email);
    const [mail] = await mailbox(user.email);
    expect(mail!.text).toContain(`${env.APP_URL}/reset-password?token=${token}`);
    expect(mail!.text).toContain("expires in 1 hour");
  });
});

describe("a password reset takes back a pre-hijacked (unverified) account", () => {
  beforeAll(listenToProviders);
  afterEach(resetProviders);
  afterAll(() => providerServer.close());

  /** The squatter's state: victim's address unverified, their own GitHub linked, their own TOTP on. */
  async function squatted(githubId: string, verified: boolean) {
    const account = await signedInUser();
    await sql.query("UPDATE users SET email_verified_at = CASE WHEN $2 THEN now() END WHERE id = $1", [account.id, verified]);
    await sql.query(
      `INSERT INTO federated_identities (user_id, provider, provider_user_id, access_token, provider_username) VALUES ($1, 'github', $2, 'v1.sealed.token', 'squatter')`,
      [account.id, githubId],
    );
    await sql.query(`INSERT INTO two_factor_configs (user_id, totp_secret, totp_enabled, totp_enabled_at) VALUES ($1, 'v1.sealed.secret', true, now())`, [account.id]);
    return account;
  }

  it("verifies the address and removes the linked providers and 2FA in the reset itself: the squatter's GitHub no longer signs in", async () => {
    const githubId = String(7_000_000_000 + Math.floor(Math.random() * 1_000_000_000));
    const victim = await squatted(githubId, false);
    const res = await confirm(await resetToken(victim.email), "the owner's own passphrase");
    expect(res.status, res.text).toBe(204);

    expect(await one("SELECT email_verified_at IS NOT NULL AS verified FROM users WHERE id = $1", [victim.id])).toEqual({ verified: true });
    expect(await sql.query("SELECT 1 FROM federated_identities WHERE user_id = $1", [victim.id])).toHaveLength(0);
    expect(await sql.query("SELECT 1 FROM two_factor_configs WHERE user_id = $1", [victim.id])).toHaveLength(0);
    const audit = await one("SELECT metadata FROM audit_logs WHERE action = 'auth.password_reset' AND user_id = $1", [victim.id]);
    expect(audit.metadata).toMatchObject({ email_verified_by_reset: true, identities_removed: 1, two_factor_removed: true });

    const { authorizeUrl, cookie } = await startFlow("github");
    const squatterGitHub: GitHubAccount = { id: Number(githubId), login: "squatter", emails: [{ email: `sq_${uniq()}@example.com`, primary: true, verified: true }] };
    const { code, state } = github.authorize(authorizeUrl, squatterGitHub);
    const signIn = await callback("github", { code, state }, { cookie, json: true });
    expect(signIn.body?.user?.id).not.toBe(victim.id);
    expect(signIn.body?.outcome).not.toBe("signed_in");
  });

  it("leaves the providers and 2FA of an already verified account alone", async () => {
    const githubId = String(7_000_000_000 + Math.floor(Math.random() * 1_000_000_000));
    const owner = await squatted(githubId, true);
    expect((await confirm(await resetToken(owner.email), "the owner's own passphrase")).status).toBe(204);
    expect(await sql.query("SELECT 1 FROM federated_identities WHERE user_id = $1", [owner.id])).toHaveLength(1);
    expect(await sql.query("SELECT 1 FROM two_factor_configs WHERE user_id = $1", [owner.id])).toHaveLength(1);
    const audit = await one("SELECT metadata FROM audit_logs WHERE action = 'auth.password_reset' AND user_id = $1", [owner.id]);
    expect(audit.metadata).toMatchObject({ email_verified_by_reset: false, identities_removed: 0, two_factor_removed: false });
  });
});
