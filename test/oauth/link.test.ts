import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { forgetAuthState } from "../../src/lib/auth/state";
import bcrypt from "bcryptjs";
import { api, signedInUser as anySignedInUser, type SignedInUser } from "../helpers/auth";
import { sql, unique } from "../helpers/db";
import { send } from "../mail/outbox";
import { codeAt, enableTwoFactor, ensureReplayColumn, TWO_FACTOR_TEST_TIMEOUT_MS, wrongCode } from "../two-factor/fixtures";
import { github, listenToProviders, providerServer, resetProviders, type GitHubAccount } from "./fake-providers";
import { callback, flowCookie, fragmentOf, startFlow } from "./flow";

beforeAll(listenToProviders);
afterEach(resetProviders);
afterAll(() => providerServer.close());

let nextId = 3_000_000_000 + Math.floor(Math.random() * 1_000_000_000);
function githubAccount(email = `gh_${unique()}@example.com`): GitHubAccount {
  return { id: nextId++, login: `gh_${unique()}`, emails: [{ email, primary: true, verified: true }] };
}

export const PASSWORD = "correct horse battery staple";

/** A signed-in user who may link: a verified email and PASSWORD as password (bcrypt at low cost). */
async function signedInUser(): Promise<SignedInUser> {
  const user = await anySignedInUser();
  await sql.query(`UPDATE users SET email_verified_at = now(), password_hash = $2 WHERE id = $1`, [user.id, bcrypt.hashSync(PASSWORD, 4)]);
  return user;
}

/** POST …/link as `user`, re-authenticated with the password: the authorize URL and the flow cookie. */
async function startLink(user: SignedInUser, provider = "github", redirectTo?: string) {
  const res = await api("POST", `/v1/me/oauth/${provider}/link${redirectTo ? `?redirect_to=${encodeURIComponent(redirectTo)}` : ""}`, {
    headers: user.headers,
    body: { password: PASSWORD },
  });
  expect(res.status, res.text).toBe(200);
  return { authorizeUrl: res.body.authorizationUrl as string, cookie: flowCookie(res.headers, provider)! };
}

async function linkGitHub(user: SignedInUser, account: GitHubAccount, json = true) {
  const { authorizeUrl, cookie } = await startLink(user);
  const { code, state } = github.authorize(authorizeUrl, account);
  return callback("github", { code, state }, { cookie, json });
}

describe("linking GitHub to a signed-in account", () => {
  it("links the identity to me, audits it, and later signs me in with it", async () => {
    const me = await signedInUser();
    const account = githubAccount();
    const { authorizeUrl, cookie } = await startLink(me, "github", "/settings/accounts");
    expect(new URL(authorizeUrl).origin).toBe("https://github.com");
    const { code, state } = github.authorize(authorizeUrl, account);
    const res = await callback("github", { code, state }, { cookie });
    expect(res.status, res.text).toBe(302);
    const fragment = fragmentOf(res.headers.get("location")!);
    expect(Object.fromEntries(fragment)).toEqual({ outcome: "linked", provider: "github", redirect_to: "/settings/accounts" });

    const [identity] = await sql.query(`SELECT user_id, is_primary, provider_username FROM federated_identities WHERE provider = 'github' AND provider_user_id = $1`, [String(account.id)]);
    expect(identity).toEqual({ user_id: me.id, is_primary: false, provider_username: account.login });
    const audit = await sql.query(`SELECT severity, metadata FROM audit_logs WHERE action = 'auth.oauth_link' AND user_id = $1 AND actor_id = $1`, [me.id]);
    expect(audit).toEqual([{ severity: "warning", metadata: { provider: "github", providerUsername: account.login, relinked: false } }]);

    const { authorizeUrl: again, cookie: againCookie } = await startFlow("github");
    const grant = github.authorize(again, account);
    const signIn = await callback("github", { code: grant.code, state: grant.state }, { cookie: againCookie, json: true });
    expect(signIn.status, signIn.text).toBe(200);
    expect(signIn.body).toMatchObject({ outcome: "signed_in", user: { id: me.id, username: me.username } });
  });

  it("links even when the provider's email is my own (no 409 for the owner), and relinking refreshes the tokens", async () => {
    const me = await signedInUser();
    const account = githubAccount(me.email);
    const first = await linkGitHub(me, account);
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({ outcome: "linked", session: null, user: { id: me.id } });
    const [before] = await sql.query(`SELECT access_token FROM federated_identities WHERE provider_user_id = $1`, [String(account.id)]);
    const second = await linkGitHub(me, account);
    expect(second.status, second.text).toBe(200);
    const [after] = await sql.query(`SELECT access_token, (SELECT count(*)::int FROM federated_identities WHERE user_id = $2) AS n FROM federated_identities WHERE provider_user_id = $1`, [String(account.id), me.id]);
    expect(after!.n).toBe(1);
    expect(after!.access_token).not.toBe(before!.access_token);
  });

  it("answers 409 when the GitHub account is linked to someone else, or I already have another GitHub account", async () => {
    const owner = await signedInUser();
    const other = await signedInUser();
    const account = githubAccount();
    expect((await linkGitHub(owner, account)).status).toBe(200);
    const stolen = await linkGitHub(other, account);
    expect(stolen.status).toBe(409);
    const [identity] = await sql.query(`SELECT user_id FROM federated_identities WHERE provider_user_id = $1`, [String(account.id)]);
    expect(identity!.user_id).toBe(owner.id);
    const second = await linkGitHub(owner, githubAccount());
    expect(second.status).toBe(409);
    expect(second.body.detail).toMatch(/unlink it first/);
  });

  it("answers 401 when I signed out everywhere between the start and the callback", async () => {
    const me = await signedInUser();
    const { authorizeUrl, cookie } = await startLink(me);
    const account = githubAccount();
    const { code, state } = github.authorize(authorizeUrl, account);
    await sql.query(`UPDATE users SET token_version = token_version + 1 WHERE id = $1`, [me.id]);
    await forgetAuthState(me.id);
    const res = await callback("github", { code, state }, { cookie });
    expect(res.status).toBe(401);
    expect(await sql.query(`SELECT 1 FROM federated_identities WHERE provider_user_id = $1`, [String(account.id)])).toHaveLength(0);
  });

  it("needs a signed-in, live, unbanned user (401 / 403 / 401) and a known provider (404)", async () => {
    expect((await api("POST", "/v1/me/oauth/github/link")).status).toBe(401);
    const me = await signedInUser();
    expect((await api("POST", "/v1/me/oauth/myspace/link", { headers: me.headers })).status).toBe(404);
    const badRedirect = await api("POST", "/v1/me/oauth/github/link?redirect_to=//evil.example", { headers: me.headers });
    expect(badRedirect.status).toBe(422);
    expect(badRedirect.body.errors[0].path).toBe("query.redirect_to");
    const banned = await signedInUser();
    await sql.query(`UPDATE users SET is_banned = true WHERE id = $1`, [banned.id]);
    await forgetAuthState(banned.id);
    expect((await api("POST", "/v1/me/oauth/github/link", { headers: banned.headers })).status).toBe(403);
    const deleted = await signedInUser();
    await sql.query(`UPDATE users SET deleted_at = now() WHERE id = $1`, [deleted.id]);
    await forgetAuthState(deleted.id);
    expect((await api("POST", "/v1/me/oauth/github/link", { headers: deleted.headers })).status).toBe(401);
  });
});

describe("linking needs a verified email and re-authentication", { timeout: TWO_FACTOR_TEST_TIMEOUT_MS }, () => {
  beforeAll(ensureReplayColumn);

  const link = (user: SignedInUser, body?: unknown) => api("POST", "/v1/me/oauth/github/link", { headers: user.headers, body });

  it("refuses (409) to start a link while my email is unverified, and at the callback if it became so", async () => {
    const squatter = await signedInUser();
    await sql.query(`UPDATE users SET email_verified_at = NULL WHERE id = $1`, [squatter.id]);
    const res = await link(squatter, { password: PASSWORD });
    expect(res.status, res.text).toBe(409);
    expect(res.body.detail).toMatch(/Verify your email address before linking/);
    expect(flowCookie(res.headers, "github")).toBeNull();

    const me = await signedInUser();
    const { authorizeUrl, cookie } = await startLink(me);
    await sql.query(`UPDATE users SET email_verified_at = NULL WHERE id = $1`, [me.id]);
    const account = githubAccount();
    const { code, state } = github.authorize(authorizeUrl, account);
    const late = await callback("github", { code, state }, { cookie, json: true });
    expect(late.status, late.text).toBe(409);
    expect(await sql.query(`SELECT 1 FROM federated_identities WHERE provider_user_id = $1`, [String(account.id)])).toHaveLength(0);
  });

  it("needs my password: 422 without it, 403 when wrong (counted toward the lock), 200 when right", async () => {
    const me = await signedInUser();
    const without = await link(me);
    expect(without.status, without.text).toBe(422);
    expect(without.body.errors).toEqual([{ path: "json.password", message: "is required to link a provider" }]);
    expect(flowCookie(without.headers, "github")).toBeNull();
    const wrong = await link(me, { password: "not the password" });
    expect(wrong.status, wrong.text).toBe(403);
    expect(flowCookie(wrong.headers, "github")).toBeNull();
    const [failures] = await sql.query(`SELECT count(*)::int AS n FROM audit_logs WHERE user_id = $1 AND action = 'auth.two_factor_failed'`, [me.id]);
    expect(failures!.n).toBe(1);
    expect((await link(me, { password: PASSWORD })).status).toBe(200);
  });

  it("asks nothing of an account without a password nor 2FA (made through a provider)", async () => {
    const me = await signedInUser();
    await sql.query(`UPDATE users SET password_hash = NULL WHERE id = $1`, [me.id]);
    expect((await link(me)).status).toBe(200);
  });

  it("with 2FA on, needs a code too: 422 without or wrong, 200 with the password and a fresh code", async () => {
    const me = await signedInUser();
    const { secret } = await enableTwoFactor(me);
    const noCode = await link(me, { password: PASSWORD });
    expect(noCode.status, noCode.text).toBe(422);
    expect(noCode.body.errors.map((e: { path: string }) => e.path)).toEqual(["json.code"]);
    expect((await link(me, { password: PASSWORD, code: await wrongCode(secret) })).status).toBe(422);
    expect((await link(me, { password: "not the password", code: await codeAt(secret, 1) })).status).toBe(422);
    const ok = await link(me, { password: PASSWORD, code: await codeAt(secret, 1) });
    expect(ok.status, ok.text).toBe(200);
    expect(flowCookie(ok.headers, "github")).not.toBeNull();
  });

  it("mails a notice to my address when a provider is linked", async () => {
    const me = await signedInUser();
    const account = githubAccount();
    const { authorizeUrl, cookie } = await startLink(me);
    const { code, state } = github.authorize(authorizeUrl, account);
    const res = await send("GET", `/v1/auth/oauth/github/callback?${new URLSearchParams({ code, state })}`, { headers: { Cookie: cookie, Accept: "application/json" } });
    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe("linked");
    expect(res.outbox).toHaveLength(1);
    expect(res.outbox[0]).toMatchObject({ type: "mail.send", to: me.email, subject: "GitHub was linked to your Veza account" });
    expect((res.outbox[0] as unknown as { text: string }).text).toContain(account.login);
  });
});
