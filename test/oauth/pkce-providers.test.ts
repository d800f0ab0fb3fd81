import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { sql, unique } from "../helpers/db";
import { discord, google, listenToProviders, providerServer, resetProviders, spotify, type DiscordAccount, type GoogleAccount } from "./fake-providers";
import { callback, startFlow } from "./flow";

beforeAll(listenToProviders);
afterEach(resetProviders);
afterAll(() => providerServer.close());

const googleAccount = (overrides: Partial<GoogleAccount> = {}): GoogleAccount => {
  const tag = unique();
  return { sub: `1${tag.replace(/\D/g, "")}${Date.now()}`, email: `zoe.${tag}@gmail.example`, email_verified: true, name: "Zoë Ünderwood", picture: `https://lh3.example/${tag}`, ...overrides };
};

describe("Google sign-in (OpenID, PKCE)", () => {
  it("sends an S256 challenge, exchanges the code with its verifier, and creates a verified account from the id token", async () => {
    const account = googleAccount();
    const { authorizeUrl, cookie } = await startFlow("google", { data_processing_consent: "true" });
    const url = new URL(authorizeUrl);
    expect(url.origin + url.pathname).toBe("https://accounts.google.com/o/oauth2/v2/auth");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("scope")).toBe("openid profile email");
    // The verifier never leaves the sealed cookie.
    expect(authorizeUrl).not.toContain("code_verifier");
    const { code, state } = google.authorize(authorizeUrl, account);
    const res = await callback("google", { code, state }, { cookie, json: true });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ outcome: "signed_up", provider: "google", user: { email: account.email, emailVerified: true } });
    // "zoe.<tag>" from the email, made valid: dots become underscores.
    expect(res.body.user.username).toMatch(/^zoe_[0-9a-f]{12}$/);
    const [row] = await sql.query(
      `SELECT u.display_name, f.refresh_token, f.token_expires_at, f.provider_avatar_url FROM users u JOIN federated_identities f ON f.user_id = u.id WHERE f.provider = 'google' AND f.provider_user_id = $1`,
      [account.sub],
    );
    expect(row!.display_name).toBe("Zoë Ünderwood");
    expect(row!.refresh_token).toMatch(/^v1\./);
    expect(row!.token_expires_at).not.toBeNull();
    expect(row!.provider_avatar_url).toBe(account.picture);
  });

  it("refuses (401) an id token addressed to another client", async () => {
    const account = googleAccount({ aud: "someone-elses-client" });
    const { authorizeUrl, cookie } = await startFlow("google", { data_processing_consent: "true" });
    const { code, state } = google.authorize(authorizeUrl, account);
    const res = await callback("google", { code, state }, { cookie, json: true });
    expect(res.status).toBe(401);
    expect(await sql.query(`SELECT 1 FROM federated_identities WHERE provider_user_id = $1`, [account.sub])).toHaveLength(0);
  });
});

describe("Discord sign-in (PKCE)", () => {
  it("creates an account with Discord's display name and avatar, then signs it in again", async () => {
    const tag = unique();
    const account: DiscordAccount = { id: `9${Date.now()}${tag.replace(/\D/g, "")}`, username: `beat.maker.${tag}`, global_name: "Beat Maker", avatar: `a_${tag}`, email: `bm_${tag}@example.com`, verified: true };
    const first = await startFlow("discord", { data_processing_consent: "true" });
    const grant = discord.authorize(first.authorizeUrl, account);
    const created = await callback("discord", { code: grant.code, state: grant.state }, { cookie: first.cookie, json: true });
    expect(created.status, created.text).toBe(200);
    expect(created.body).toMatchObject({ outcome: "signed_up", user: { username: `beat_maker_${tag}`.slice(0, 24), emailVerified: true } });
    const [row] = await sql.query(`SELECT provider_avatar_url FROM federated_identities WHERE provider = 'discord' AND provider_user_id = $1`, [account.id]);
    expect(row!.provider_avatar_url).toBe(`https://cdn.discordapp.com/avatars/${account.id}/a_${tag}.png`);

    const again = await startFlow("discord");
    const second = discord.authorize(again.authorizeUrl, account);
    const signedIn = await callback("discord", { code: second.code, state: second.state }, { cookie: again.cookie, json: true });
    expect(signedIn.body).toMatchObject({ outcome: "signed_in", user: { id: created.body.user.id } });
  });
});

describe("Spotify sign-in (PKCE)", () => {
  it("refuses (422) to create an account: Spotify never says it verified the address — sign up with email, then link", async () => {
    const tag = unique();
    const account = { id: `sp${tag}`, display_name: "DJ Ça Va", email: `sp_${tag}@example.com`, images: [{ url: `https://i.scdn.example/${tag}` }] };
    const { authorizeUrl, cookie } = await startFlow("spotify", { data_processing_consent: "true" });
    expect(new URL(authorizeUrl).searchParams.get("code_challenge_method")).toBe("S256");
    const { code, state } = spotify.authorize(authorizeUrl, account);
    const res = await callback("spotify", { code, state }, { cookie, json: true });
    expect(res.status, res.text).toBe(422);
    expect(res.body.detail).toMatch(/Spotify does not confirm .* verified.*Sign up with your email address, then link Spotify/);
    expect(res.body.errors).toEqual([{ path: "spotify.email", message: "is not verified by the provider" }]);
    expect(await sql.query(`SELECT 1 FROM users WHERE email = $1`, [account.email])).toHaveLength(0);
    expect(await sql.query(`SELECT 1 FROM federated_identities WHERE provider = 'spotify' AND provider_user_id = $1`, [account.id])).toHaveLength(0);
  });

  it("refuses (422) a Discord account whose email Discord has not verified", async () => {
    const tag = unique();
    const account: DiscordAccount = { id: `8${Date.now()}${tag.replace(/\D/g, "")}`, username: `unv_${tag}`, email: `unv_${tag}@example.com`, verified: false };
    const { authorizeUrl, cookie } = await startFlow("discord", { data_processing_consent: "true" });
    const { code, state } = discord.authorize(authorizeUrl, account);
    const res = await callback("discord", { code, state }, { cookie, json: true });
    expect(res.status, res.text).toBe(422);
    expect(await sql.query(`SELECT 1 FROM users WHERE email = $1`, [account.email])).toHaveLength(0);
  });
});

describe("a provider without credentials", () => {
  it("is not offered: start answers 404", async () => {
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request("https://veza.test/v1/auth/oauth/spotify/start", { redirect: "manual" }),
      { ...env, SPOTIFY_CLIENT_SECRET: undefined },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: string }).code).toBe("not_found");
  });
});
