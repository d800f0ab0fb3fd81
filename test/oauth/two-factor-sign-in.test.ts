// Signing in with a provider to an account with 2FA on: the callback answers a ticket, never a
// session; POST /v1/auth/oauth/second-factor exchanges the ticket and a code for the session.
import { env } from "cloudflare:workers";
import { SignJWT } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { signTicket } from "../../src/domains/oauth/second-factor-ticket";
import { forgetAuthState } from "../../src/lib/auth/state";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { sql, unique } from "../helpers/db";
import { codeAt, enableTwoFactor, ensureReplayColumn, TWO_FACTOR_TEST_TIMEOUT_MS, wrongCode } from "../two-factor/fixtures";
import { github, listenToProviders, providerServer, resetProviders, type GitHubAccount } from "./fake-providers";
import { callback, fragmentOf, startFlow } from "./flow";

beforeAll(async () => {
  listenToProviders();
  await ensureReplayColumn();
});
afterEach(resetProviders);
afterAll(() => providerServer.close());

let nextId = 5_000_000_000 + Math.floor(Math.random() * 1_000_000_000);

/** A user with TOTP on and a GitHub identity linked (made in the database: linking is tested elsewhere). */
async function twoFactorUserWithGitHub(): Promise<{ user: SignedInUser; secret: string; backupCodes: string[]; account: GitHubAccount }> {
  const user = await signedInUser();
  const { secret, backupCodes } = await enableTwoFactor(user);
  const account: GitHubAccount = { id: nextId++, login: `gh_${unique()}`, emails: [{ email: `gh_${unique()}@example.com`, primary: true, verified: true }] };
  await sql.query(
    `INSERT INTO federated_identities (user_id, provider, provider_user_id, access_token, provider_username) VALUES ($1, 'github', $2, 'v1.sealed.token', $3)`,
    [user.id, String(account.id), account.login],
  );
  return { user, secret, backupCodes, account };
}

async function signInWithGitHub(account: GitHubAccount, json: boolean) {
  const { authorizeUrl, cookie } = await startFlow("github");
  const { code, state } = github.authorize(authorizeUrl, account);
  return callback("github", { code, state }, { cookie, json });
}

const secondFactor = (ticket: string, code: string) => api("POST", "/v1/auth/oauth/second-factor", { body: { ticket, code } });
const sessionsOf = async (userId: string) => (await sql.query(`SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1`, [userId]))[0]!.n as number;

describe("provider sign-in with two-factor authentication on", { timeout: TWO_FACTOR_TEST_TIMEOUT_MS }, () => {
  it("answers two_factor_required with a ticket and no tokens (JSON and fragment); the ticket and a TOTP code give the session", async () => {
    const { user, secret, account } = await twoFactorUserWithGitHub();
    const before = await sessionsOf(user.id);

    const res = await signInWithGitHub(account, true);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ outcome: "two_factor_required", provider: "github", user: null, session: null });
    expect(res.body.twoFactorTicket).toEqual(expect.any(String));
    expect(res.text).not.toContain("accessToken\":\"ey");
    expect(await sessionsOf(user.id)).toBe(before);

    const redirect = await signInWithGitHub(account, false);
    expect(redirect.status).toBe(302);
    const fragment = fragmentOf(redirect.headers.get("location")!);
    expect(fragment.get("outcome")).toBe("two_factor_required");
    expect(fragment.get("two_factor_ticket")).toEqual(expect.any(String));
    for (const name of ["access_token", "refresh_token", "session_id"]) expect(fragment.has(name)).toBe(false);

    // The ticket is not an access token.
    expect((await api("GET", "/v1/me/oauth", { headers: { Authorization: `Bearer ${res.body.twoFactorTicket}` } })).status).toBe(401);

    const ok = await secondFactor(res.body.twoFactorTicket, await codeAt(secret, 1));
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.user).toMatchObject({ id: user.id, username: user.username });
    expect(await sessionsOf(user.id)).toBe(before + 1);
    const me = await api("GET", "/v1/me/oauth", { headers: { Authorization: `Bearer ${ok.body.session.accessToken}` } });
    expect(me.status, me.text).toBe(200);
  });

  it("accepts a backup code once", async () => {
    const { backupCodes, account } = await twoFactorUserWithGitHub();
    const { body } = await signInWithGitHub(account, true);
    expect((await secondFactor(body.twoFactorTicket, backupCodes[0]!)).status).toBe(200);
    expect((await secondFactor(body.twoFactorTicket, backupCodes[0]!)).status).toBe(422);
  });

  it("refuses a wrong or replayed code (422, counted toward the lock, no session), then locks (429)", async () => {
    const { user, secret, account } = await twoFactorUserWithGitHub();
    const { body } = await signInWithGitHub(account, true);
    const before = await sessionsOf(user.id);
    const wrong = await secondFactor(body.twoFactorTicket, await wrongCode(secret));
    expect(wrong.status, wrong.text).toBe(422);
    expect(wrong.body.errors).toEqual([{ path: "json.code", message: "is not a valid code, or was already used" }]);
    // The step enableTwoFactor confirmed with is spent.
    expect((await secondFactor(body.twoFactorTicket, await codeAt(secret, 0))).status).toBe(422);
    for (let i = 0; i < 3; i++) expect((await secondFactor(body.twoFactorTicket, await wrongCode(secret))).status).toBe(422);
    expect((await secondFactor(body.twoFactorTicket, await codeAt(secret, 1))).status).toBe(429);
    expect(await sessionsOf(user.id)).toBe(before);
  });

  it("refuses (401) a forged, expired, access-token or outdated ticket, and a banned account's (403)", async () => {
    const { user, secret, account } = await twoFactorUserWithGitHub();
    const code = await codeAt(secret, 1);
    const claims = { userId: user.id, tokenVersion: 0, provider: "github" as const };

    const expired = await signTicket(claims, env.JWT_SECRET, new Date(Date.now() - 6 * 60_000));
    expect((await secondFactor(expired, code)).status).toBe(401);
    // Same claims, signed with the access-token key instead of the ticket key.
    const forged = await new SignJWT({ tv: 0, provider: "github" })
      .setProtectedHeader({ alg: "HS256", typ: "veza-2fa-ticket+jwt" })
      .setSubject(user.id)
      .setIssuer("veza")
      .setAudience("veza-oauth-second-factor")
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(env.JWT_SECRET));
    expect((await secondFactor(forged, code)).status).toBe(401);
    expect((await secondFactor(user.accessToken, code)).status).toBe(401);
    const good = await signTicket(claims, env.JWT_SECRET);
    expect((await secondFactor(good.slice(0, -2) + (good.endsWith("AA") ? "BB" : "AA"), code)).status).toBe(401);

    const { body } = await signInWithGitHub(account, true);
    const before = await sessionsOf(user.id);
    await sql.query(`UPDATE users SET is_banned = true WHERE id = $1`, [user.id]);
    await forgetAuthState(user.id);
    expect((await secondFactor(body.twoFactorTicket, code)).status).toBe(403);
    await sql.query(`UPDATE users SET is_banned = false, token_version = token_version + 1 WHERE id = $1`, [user.id]);
    expect((await secondFactor(body.twoFactorTicket, code)).status).toBe(401);
    expect(await sessionsOf(user.id)).toBe(before);
  });
});
