import { http, HttpResponse, type HttpHandler } from "msw";
import { setupServer } from "msw/node";
import { unique } from "../helpers/db";

/**
 * Stand-ins for the providers' token and profile endpoints, intercepted at the HTTP boundary with
 * MSW. Each behaves like the real one where the flow depends on it: a code is issued for one
 * redirect URI, is good once, must come with the client's Basic credentials and, for PKCE, with
 * the verifier whose S256 challenge the authorize URL carried; profile endpoints want the token.
 */

export interface GitHubAccount {
  id: number;
  login: string;
  name?: string;
  emails: { email: string; primary: boolean; verified: boolean }[];
}
export interface GoogleAccount {
  sub: string;
  email: string;
  email_verified: boolean;
  name?: string;
  picture?: string;
  /** Overrides the id token's audience (Veza's client id by default). */
  aud?: string;
}
export interface DiscordAccount {
  id: string;
  username: string;
  global_name?: string;
  avatar?: string;
  email: string;
  verified: boolean;
}

export interface SpotifyAccount {
  id: string;
  display_name: string | null;
  email: string;
  images: { url: string }[];
}

interface Grant<A> {
  account: A;
  redirectUri: string;
  challenge: string | null;
}

const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const s256 = async (verifier: string) => b64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
const basic = (id: string, secret: string) => `Basic ${btoa(`${id}:${secret}`)}`;

/** One provider's authorization server: codes -> tokens -> accounts. */
class FakeProvider<A> {
  readonly grants = new Map<string, Grant<A>>();
  readonly tokens = new Map<string, A>();
  /** Every access token handed out, to check they are never stored in the clear. */
  readonly issued: string[] = [];
  /** When set, the token endpoint answers this instead (provider trouble). */
  failToken: (() => Response) | null = null;
  /** When set, the profile endpoints answer this instead. */
  failProfile: (() => Response) | null = null;

  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
    readonly pkce: boolean,
    private readonly tokenBody: (account: A, accessToken: string) => Record<string, unknown>,
    /** GitHub answers a refused code with 200 and an `error` field, not with 400. */
    private readonly errorStatus = 400,
  ) {}

  /**
   * Plays the provider's consent page for `authorizeUrl`: the person signs in as `account`, and
   * the provider redirects to the callback with a code. Returns what that redirect carries.
   */
  authorize(authorizeUrl: string, account: A): { code: string; state: string; redirectUri: string } {
    const url = new URL(authorizeUrl);
    if (url.searchParams.get("client_id") !== this.clientId) throw new Error("authorize URL has the wrong client_id");
    const challenge = url.searchParams.get("code_challenge");
    if (this.pkce && (!challenge || url.searchParams.get("code_challenge_method") !== "S256")) throw new Error("authorize URL lacks an S256 challenge");
    const code = `code_${unique()}`;
    const redirectUri = url.searchParams.get("redirect_uri")!;
    this.grants.set(code, { account, redirectUri, challenge });
    return { code, state: url.searchParams.get("state")!, redirectUri };
  }

  tokenHandler(url: string): HttpHandler {
    return http.post(url, async ({ request }) => {
      if (this.failToken) return this.failToken();
      const form = new URLSearchParams(await request.text());
      const grant = this.grants.get(form.get("code") ?? "");
      this.grants.delete(form.get("code") ?? "");
      const invalid = (error: string) => HttpResponse.json({ error, error_description: "The code is incorrect or expired." }, { status: this.errorStatus });
      if (request.headers.get("authorization") !== basic(this.clientId, this.clientSecret)) return HttpResponse.json({ error: "invalid_client" }, { status: 401 });
      if (!grant || form.get("grant_type") !== "authorization_code" || form.get("redirect_uri") !== grant.redirectUri) return invalid("invalid_grant");
      if (grant.challenge && (await s256(form.get("code_verifier") ?? "")) !== grant.challenge) return invalid("invalid_grant");
      const accessToken = `at_${unique()}${unique()}`;
      this.tokens.set(accessToken, grant.account);
      this.issued.push(accessToken);
      return HttpResponse.json(this.tokenBody(grant.account, accessToken));
    });
  }

  /** The account of a request's bearer token, or the 401 a provider API answers. */
  accountOf(request: { headers: Headers }): A | Response {
    if (this.failProfile) return this.failProfile();
    const token = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
    return this.tokens.get(token) ?? HttpResponse.json({ message: "Bad credentials" }, { status: 401 });
  }

  reset() {
    this.failToken = null;
    this.failProfile = null;
  }
}

const unsignedJwt = (claims: Record<string, unknown>) =>
  [{ alg: "RS256", typ: "JWT", kid: "test" }, claims].map((part) => b64url(new TextEncoder().encode(JSON.stringify(part)))).join(".") + ".c2lnbmF0dXJl";

export const github = new FakeProvider<GitHubAccount>("github-client", "github-secret", false, (_, accessToken) => ({
  access_token: accessToken,
  token_type: "bearer",
  scope: "read:user,user:email",
}), 200);

export const google = new FakeProvider<GoogleAccount>("google-client", "google-secret", true, (account, accessToken) => ({
  access_token: accessToken,
  token_type: "Bearer",
  expires_in: 3599,
  refresh_token: `rt_${unique()}`,
  scope: "openid email profile",
  id_token: unsignedJwt({
    iss: "https://accounts.google.com",
    aud: account.aud ?? "google-client",
    sub: account.sub,
    email: account.email,
    email_verified: account.email_verified,
    name: account.name,
    picture: account.picture,
    iat: Math.floor(Date.now() / 1000),
    exp: Math.floor(Date.now() / 1000) + 3600,
  }),
}));

export const discord = new FakeProvider<DiscordAccount>("discord-client", "discord-secret", true, (_, accessToken) => ({
  access_token: accessToken,
  token_type: "Bearer",
  expires_in: 604800,
  refresh_token: `rt_${unique()}`,
  scope: "identify email",
}));

export const spotify = new FakeProvider<SpotifyAccount>("spotify-client", "spotify-secret", true, (_, accessToken) => ({
  access_token: accessToken,
  token_type: "Bearer",
  expires_in: 3600,
  refresh_token: `rt_${unique()}`,
  scope: "user-read-email",
}));

const githubUser = (a: GitHubAccount) => ({ id: a.id, login: a.login, name: a.name ?? null, avatar_url: `https://avatars.githubusercontent.com/u/${a.id}`, email: null });

/** Only the providers are intercepted; the test database (loopback) passes through, anything else fails. */
export const providerServer = setupServer(
  github.tokenHandler("https://github.com/login/oauth/access_token"),
  http.get("https://api.github.com/user", ({ request }) => {
    const account = github.accountOf(request);
    return account instanceof Response ? account : HttpResponse.json(githubUser(account));
  }),
  http.get("https://api.github.com/user/emails", ({ request }) => {
    const account = github.accountOf(request);
    return account instanceof Response ? account : HttpResponse.json(account.emails);
  }),
  google.tokenHandler("https://oauth2.googleapis.com/token"),
  discord.tokenHandler("https://discord.com/api/oauth2/token"),
  http.get("https://discord.com/api/v10/users/@me", ({ request }) => {
    const account = discord.accountOf(request);
    return account instanceof Response ? account : HttpResponse.json(account);
  }),
  spotify.tokenHandler("https://accounts.spotify.com/api/token"),
  http.get("https://api.spotify.com/v1/me", ({ request }) => {
    const account = spotify.accountOf(request);
    return account instanceof Response ? account : HttpResponse.json({ ...account, country: "FR", product: "free" });
  }),
);

export function listenToProviders() {
  providerServer.listen({
    onUnhandledRequest: (request, print) => {
      const host = new URL(request.url).hostname;
      if (host === "127.0.0.1" || host === "localhost") return;
      print.error();
    },
  });
}

export function resetProviders() {
  for (const provider of [github, google, discord, spotify]) provider.reset();
}
