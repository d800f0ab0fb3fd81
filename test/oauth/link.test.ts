import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { forgetAuthState } from "../../src/lib/auth/state";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { sql, unique } from "../helpers/db";
import { github, listenToProviders, providerServer, resetProviders, type GitHubAccount } from "./fake-providers";
import { callback, flowCookie, fragmentOf, startFlow } from "./flow";

beforeAll(listenToProviders);
afterEach(resetProviders);
afterAll(() => providerServer.close());

let nextId = 3_000_000_000 + Math.floor(Math.random() * 1_000_000_000);
function githubAccount(email = `gh_${unique()}@example.com`): GitHubAccount {
  return { id: nextId++, login: `gh_${unique()}`, emails: [{ email, primary: true, verified: true }] };
}

/** POST …/link as `user`: the authorize URL and the flow cookie. */
async function startLink(user: SignedInUser, provider = "github", redirectTo?: string) {
  const res = await api("POST", `/v1/me/oauth/${provider}/link${redirectTo ? `?redirect_to=${encodeURIComponent(redirectTo)}` : ""}`, { headers: user.headers });
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
