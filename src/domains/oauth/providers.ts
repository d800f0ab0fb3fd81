import { Discord, GitHub, Google, Spotify, type OAuth2Tokens } from "arctic";
import type { Env } from "../../env";
import { ApiError } from "../../lib/errors";

export const PROVIDERS = ["google", "github", "discord", "spotify"] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export const providerLabels: Record<ProviderName, string> = {
  google: "Google",
  github: "GitHub",
  discord: "Discord",
  spotify: "Spotify",
};

/**
 * One provider's OAuth client, reduced to what the flow needs. `pkce` says whether the flow carries
 * a code verifier: arctic's GitHub client has no PKCE (GitHub relies on the client secret and state).
 */
export interface ProviderClient {
  name: ProviderName;
  pkce: boolean;
  authorizationUrl(state: string, codeVerifier: string | null): URL;
  exchangeCode(code: string, codeVerifier: string | null): Promise<OAuth2Tokens>;
}

/** The scopes asked for: identity and email only, nothing that acts on the person's behalf. */
const scopes: Record<ProviderName, string[]> = {
  google: ["openid", "profile", "email"],
  github: ["read:user", "user:email"],
  discord: ["identify", "email"],
  spotify: ["user-read-email"],
};

function credentials(env: Env, provider: ProviderName): { id: string; secret: string } | null {
  const prefix = provider.toUpperCase() as "GOOGLE" | "GITHUB" | "DISCORD" | "SPOTIFY";
  const id = env[`${prefix}_CLIENT_ID`];
  const secret = env[`${prefix}_CLIENT_SECRET`];
  return id && secret ? { id, secret } : null;
}

/** The providers this deployment offers: those with both a client id and a secret. */
export const configuredProviders = (env: Env): ProviderName[] => PROVIDERS.filter((p) => credentials(env, p) !== null);

/** Where every provider sends the browser back: the API's own callback route. */
export const redirectUri = (env: Env, provider: ProviderName) =>
  `${env.APP_URL.replace(/\/+$/, "")}/v1/auth/oauth/${provider}/callback`;

export function isProviderName(value: string): value is ProviderName {
  return (PROVIDERS as readonly string[]).includes(value);
}

/**
 * The client of `provider`, or 404 when the name is unknown or this deployment has no credentials
 * for it (an unconfigured provider looks exactly like one that does not exist).
 */
export function providerClient(env: Env, provider: string): ProviderClient {
  const creds = isProviderName(provider) ? credentials(env, provider) : null;
  if (!creds || !isProviderName(provider)) throw new ApiError("not_found", `Sign-in with "${provider}" is not available.`);
  const uri = redirectUri(env, provider);
  switch (provider) {
    case "google": {
      const google = new Google(creds.id, creds.secret, uri);
      return {
        name: provider,
        pkce: true,
        authorizationUrl: (state, verifier) => google.createAuthorizationURL(state, verifier!, scopes.google),
        exchangeCode: (code, verifier) => google.validateAuthorizationCode(code, verifier!),
      };
    }
    case "github": {
      const github = new GitHub(creds.id, creds.secret, uri);
      return {
        name: provider,
        pkce: false,
        authorizationUrl: (state) => github.createAuthorizationURL(state, scopes.github),
        exchangeCode: (code) => github.validateAuthorizationCode(code),
      };
    }
    case "discord": {
      const discord = new Discord(creds.id, creds.secret, uri);
      return {
        name: provider,
        pkce: true,
        authorizationUrl: (state, verifier) => discord.createAuthorizationURL(state, verifier, scopes.discord),
        exchangeCode: (code, verifier) => discord.validateAuthorizationCode(code, verifier),
      };
    }
    case "spotify": {
      const spotify = new Spotify(creds.id, creds.secret, uri);
      return {
        name: provider,
        pkce: true,
        authorizationUrl: (state, verifier) => spotify.createAuthorizationURL(state, verifier, scopes.spotify),
        exchangeCode: (code, verifier) => spotify.validateAuthorizationCode(code, verifier),
      };
    }
  }
}

/** Client id of a configured provider (Google's id token must be addressed to it). */
export const clientIdOf = (env: Env, provider: ProviderName) => credentials(env, provider)?.id ?? "";
