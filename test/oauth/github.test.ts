import { env } from "cloudflare:workers";
import { HttpResponse } from "msw";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { decryptSecret } from "../../src/lib/crypto";
import { api } from "../helpers/auth";
import { createUser, sql, unique } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { github, listenToProviders, providerServer, resetProviders, type GitHubAccount } from "./fake-providers";
import { callback, flowCookie, fragmentOf, navigate, startFlow } from "./flow";

beforeAll(listenToProviders);
afterEach(resetProviders);
afterAll(() => providerServer.close());

let nextId = 7_000_000 + Math.floor(Math.random() * 1_000_000_000);
function githubAccount(overrides: Partial<GitHubAccount> = {}): GitHubAccount {
  const tag = unique();
  return {
    id: nextId++,
    login: `gh_${tag}`,
    name: `Octo ${tag}`,
    emails: [
      { email: `old_${tag}@example.com`, primary: false, verified: true },
      { email: `gh_${tag}@example.com`, primary: true, verified: true },
    ],
    ...overrides,
  };
}

/** start -> GitHub's consent page as `account` -> callback, as a browser would. */
async function signInWithGitHub(account: GitHubAccount, query: Record<string, string> = {}, json = false) {
  const { authorizeUrl, cookie } = await startFlow("github", query);
  const { code, state } = github.authorize(authorizeUrl, account);
  return callback("github", { code, state }, { cookie, json });
}

describe("GET /v1/auth/oauth/github/start", () => {
  it("redirects to GitHub's authorize page with state, and keeps it in a sealed, HttpOnly, Secure, Lax cookie for 10 minutes", async () => {
    const { authorizeUrl, cookie, headers } = await startFlow("github", { redirect_to: "/library?tab=liked" });
    const url = new URL(authorizeUrl);
    expect(url.origin + url.pathname).toBe("https://github.com/login/oauth/authorize");
    expect(url.searchParams.get("client_id")).toBe("github-client");
    expect(url.searchParams.get("redirect_uri")).toBe("https://app.veza.test/v1/auth/oauth/github/callback");
    expect(url.searchParams.get("scope")).toBe("read:user user:email");
    const state = url.searchParams.get("state")!;
    expect(state.length).toBeGreaterThanOrEqual(20);
    const set = headers.getSetCookie().find((c) => c.startsWith("veza_oauth_github="))!;
    expect(set).toMatch(/; HttpOnly/);
    expect(set).toMatch(/; Secure/);
    expect(set).toMatch(/; SameSite=Lax/);
    expect(set).toMatch(/; Max-Age=600/);
    expect(set).toMatch(/; Path=\/v1\/auth\/oauth/);
    // Sealed, not readable: neither the state nor the redirect appears in the cookie.
    expect(cookie).not.toContain(state);
    expect(decodeURIComponent(cookie)).not.toContain("/library");
    expect(headers.get("cache-control")).toBe("no-store");
  });

  it("answers 404 for an unknown provider", async () => {
    const res = await navigate("/v1/auth/oauth/myspace/start");
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("not_found");
  });

  it.each(["//evil.example/x", "https://evil.example/", "/\\evil.example", "library", "/a b"])("refuses redirect_to=%s (422, no open redirect)", async (to) => {
    const res = await navigate(`/v1/auth/oauth/github/start?redirect_to=${encodeURIComponent(to)}`);
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain("query.redirect_to");
    expect(flowCookie(res.headers, "github")).toBeNull();
  });
});

describe("GitHub sign-in, happy path", () => {
  it("creates an account and a session, then signs the same account in again", async () => {
    const account = githubAccount();
    const first = await signInWithGitHub(account, { data_processing_consent: "true", redirect_to: "/library" });
    expect(first.status, first.text).toBe(302);
    const location = first.headers.get("location")!;
    expect(location.startsWith("https://app.veza.test/auth/callback#")).toBe(true);
    const fragment = fragmentOf(location);
    expect(fragment.get("outcome")).toBe("signed_up");
    expect(fragment.get("provider")).toBe("github");
    expect(fragment.get("token_type")).toBe("Bearer");
    expect(fragment.get("expires_in")).toBe("900");
    expect(fragment.get("redirect_to")).toBe("/library");
    expect(first.headers.get("referrer-policy")).toBe("no-referrer");
    // The flow's cookie is cleared: its state is good once.
    expect(first.headers.getSetCookie().some((c) => /^veza_oauth_github=;.*Max-Age=0/.test(c))).toBe(true);

    const [user] = await sql.query(
      `SELECT u.id, u.username, u.email, u.email_verified_at, u.password_hash, u.data_processing_consent, u.data_processing_consent_at,
              u.marketing_consent, u.display_name, u.login_count
         FROM users u JOIN federated_identities f ON f.user_id = u.id
        WHERE f.provider = 'github' AND f.provider_user_id = $1`,
      [String(account.id)],
    );
    expect(user).toMatchObject({
      username: account.login,
      email: account.emails[1]!.email,
      password_hash: null,
      data_processing_consent: true,
      marketing_consent: false,
      display_name: account.name,
      login_count: 1,
    });
    expect(user!.email_verified_at).not.toBeNull();
    expect(user!.data_processing_consent_at).not.toBeNull();

    // The access token works, and the refresh token is a stored session of this user.
    const me = await api("GET", "/v1/me/oauth", { headers: { Authorization: `Bearer ${fragment.get("access_token")}` } });
    expect(me.status).toBe(200);
    expect(me.body.identities).toEqual([expect.objectContaining({ provider: "github", providerUsername: account.login, isPrimary: true })]);
    expect(me.body.hasPassword).toBe(false);
    const [session] = await sql.query(
      `SELECT user_id FROM refresh_tokens WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex') AND family_id = $2`,
      [fragment.get("refresh_token"), fragment.get("session_id")],
    );
    expect(session?.user_id).toBe(user!.id);

    // Second sign-in: no consent needed, same account, a second session.
    const second = await signInWithGitHub(account, {}, true);
    expect(second.status, second.text).toBe(200);
    expect(second.body).toMatchObject({ outcome: "signed_in", provider: "github", user: { id: user!.id, username: account.login }, redirectTo: null });
    expect(second.body.session.sessionId).not.toBe(fragment.get("session_id"));
    const [after] = await sql.query(`SELECT login_count, (SELECT count(*)::int FROM federated_identities WHERE user_id = $1) AS identities FROM users WHERE id = $1`, [user!.id]);
    expect(after).toEqual({ login_count: 2, identities: 1 });
  });

  it("stores GitHub's tokens encrypted, never in the clear", async () => {
    const account = githubAccount();
    const res = await signInWithGitHub(account, { data_processing_consent: "true" }, true);
    expect(res.status, res.text).toBe(200);
    const issued = github.issued.at(-1)!;
    const [row] = await sql.query(`SELECT access_token, provider_email, provider_profile_data FROM federated_identities WHERE provider = 'github' AND provider_user_id = $1`, [String(account.id)]);
    expect(row!.access_token).not.toBe(issued);
    expect(row!.access_token).not.toContain(issued);
    expect(row!.access_token).toMatch(/^v1\./);
    expect(await decryptSecret(row!.access_token as string, env.ENCRYPTION_KEY)).toBe(issued);
    expect(row!.provider_email).toBe(account.emails[1]!.email);
    expect(row!.provider_profile_data).toMatchObject({ id: account.id, login: account.login });
  });

  it("makes a taken username unique, and refuses (422) to create an account from an email GitHub has not verified", async () => {
    const unverified = githubAccount({ emails: [{ email: `unv_${unique()}@example.com`, primary: true, verified: false }] });
    const refused = await signInWithGitHub(unverified, { data_processing_consent: "true" }, true);
    expect(refused.status, refused.text).toBe(422);
    expect(refused.body.detail).toMatch(/Sign up with your email address, then link GitHub/);
    expect(refused.body.errors).toEqual([{ path: "github.email", message: "is not verified by the provider" }]);
    expect(await sql.query(`SELECT 1 FROM users WHERE email = $1`, [unverified.emails[0]!.email])).toHaveLength(0);
    expect(await sql.query(`SELECT 1 FROM federated_identities WHERE provider_user_id = $1`, [String(unverified.id)])).toHaveLength(0);

    const taken = await createUser();
    const account = githubAccount({ login: taken.username.toUpperCase() });
    const res = await signInWithGitHub(account, { data_processing_consent: "true", marketing_consent: "true" }, true);
    expect(res.status, res.text).toBe(200);
    expect(res.body.outcome).toBe("signed_up");
    expect(res.body.user.username).not.toBe(account.login);
    expect(res.body.user.username).toMatch(new RegExp(`^${account.login}_[0-9a-f]+$|^${account.login.slice(0, 21)}_[0-9a-f]{8}$`));
    const [user] = await sql.query(`SELECT email_verified_at, marketing_consent, marketing_consent_at FROM users WHERE id = $1`, [res.body.user.id]);
    expect(user!.email_verified_at).not.toBeNull();
    expect(user!.marketing_consent).toBe(true);
    expect(user!.marketing_consent_at).not.toBeNull();
  });

  it("costs two database round trips to sign a linked account in", async () => {
    const account = githubAccount();
    expect((await signInWithGitHub(account, { data_processing_consent: "true" }, true)).status).toBe(200);
    const { authorizeUrl, cookie } = await startFlow("github");
    const { code, state } = github.authorize(authorizeUrl, account);
    const { response, roundTrips } = await withRoundTrips(
      new Request(`https://veza.test/v1/auth/oauth/github/callback?${new URLSearchParams({ code, state })}`, { headers: { Cookie: cookie, Accept: "application/json" } }),
    );
    expect(response.status).toBe(200);
    expect(roundTrips).toBe(2);
  });
});

describe("GitHub sign-in, refused", () => {
  it("answers 401 when the state does not match the cookie's, and creates nothing", async () => {
    const account = githubAccount();
    const { authorizeUrl, cookie } = await startFlow("github", { data_processing_consent: "true" });
    const { code } = github.authorize(authorizeUrl, account);
    const res = await callback("github", { code, state: "forged-state-value-000000000000" }, { cookie });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("invalid_token");
    expect(res.headers.getSetCookie().some((c) => /^veza_oauth_github=;.*Max-Age=0/.test(c))).toBe(true);
    expect(await sql.query(`SELECT 1 FROM federated_identities WHERE provider = 'github' AND provider_user_id = $1`, [String(account.id)])).toHaveLength(0);
    // The code was never spent on GitHub either.
    expect(github.grants.has(code)).toBe(true);
  });

  it("answers 401 without the flow cookie (a flow started in another browser)", async () => {
    const { authorizeUrl } = await startFlow("github", { data_processing_consent: "true" });
    const { code, state } = github.authorize(authorizeUrl, githubAccount());
    const res = await callback("github", { code, state });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("invalid_token");
  });

  it("answers 401 for a tampered cookie, a cookie of another provider, or no state", async () => {
    const { authorizeUrl, cookie } = await startFlow("github", { data_processing_consent: "true" });
    const { code, state } = github.authorize(authorizeUrl, githubAccount());
    const value = cookie.split("=")[1]!;
    const tampered = `veza_oauth_github=${value.slice(0, -4)}${value.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`;
    expect((await callback("github", { code, state }, { cookie: tampered })).status).toBe(401);
    expect((await callback("github", { code, state }, { cookie: `veza_oauth_github=${"x".repeat(40)}` })).status).toBe(401);
    const discordStart = await startFlow("discord");
    expect((await callback("github", { code, state }, { cookie: discordStart.cookie.replace("veza_oauth_discord", "veza_oauth_github") })).status).toBe(401);
    expect((await callback("github", { code }, { cookie })).status).toBe(401);
    // The untouched cookie still works: those refusals were about the cookie, not luck.
    expect((await callback("github", { code, state }, { cookie, json: true })).status).toBe(200);
  });

  it("answers 401 when GitHub refuses the code, and when the person cancelled on GitHub", async () => {
    const { authorizeUrl, cookie } = await startFlow("github", { data_processing_consent: "true" });
    const { state } = github.authorize(authorizeUrl, githubAccount());
    const refused = await callback("github", { code: "code_never_issued", state }, { cookie });
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe("invalid_token");
    const cancelled = await callback("github", { error: "access_denied", state }, { cookie });
    expect(cancelled.status).toBe(401);
    expect(cancelled.body.detail).toContain("access_denied");
  });

  it("answers 503 (not 500) when GitHub's API fails", async () => {
    const account = githubAccount();
    github.failProfile = () => HttpResponse.json({ message: "Server Error" }, { status: 502 });
    const res = await signInWithGitHub(account, { data_processing_consent: "true" });
    expect(res.status).toBe(503);
    expect(res.body.code).toBe("service_unavailable");
    github.failProfile = null;
    github.failToken = () => HttpResponse.error();
    expect((await signInWithGitHub(account, { data_processing_consent: "true" })).status).toBe(503);
  });

  it("answers 409 when a verified GitHub email belongs to an existing account, and links nothing", async () => {
    const existing = await createUser();
    const account = githubAccount({ emails: [{ email: existing.email.toUpperCase(), primary: true, verified: true }] });
    const res = await signInWithGitHub(account, { data_processing_consent: "true" });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("conflict");
    expect(res.body.detail).toMatch(/link GitHub from your settings/);
    expect(await sql.query(`SELECT 1 FROM federated_identities WHERE provider_user_id = $1 OR user_id = $2`, [String(account.id), existing.id])).toHaveLength(0);
  });

  it("answers 422 without explicit consent for a new account, and creates nothing", async () => {
    const account = githubAccount();
    const res = await signInWithGitHub(account, { data_processing_consent: "false" });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: "query.data_processing_consent" })]);
    expect(await sql.query(`SELECT 1 FROM users WHERE lower(email) = lower($1)`, [account.emails[1]!.email])).toHaveLength(0);
  });

  it("refuses a banned account (403) and a deleted one (401)", async () => {
    const banned = githubAccount();
    const deleted = githubAccount();
    for (const account of [banned, deleted]) expect((await signInWithGitHub(account, { data_processing_consent: "true" }, true)).status).toBe(200);
    await sql.query(`UPDATE users SET is_banned = true FROM federated_identities f WHERE f.user_id = users.id AND f.provider_user_id = $1`, [String(banned.id)]);
    await sql.query(`UPDATE users SET deleted_at = now() FROM federated_identities f WHERE f.user_id = users.id AND f.provider_user_id = $1`, [String(deleted.id)]);
    expect((await signInWithGitHub(banned)).status).toBe(403);
    expect((await signInWithGitHub(deleted)).status).toBe(401);
  });
});
