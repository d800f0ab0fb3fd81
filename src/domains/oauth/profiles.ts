import { decodeIdToken, type OAuth2Tokens } from "arctic";
import { z } from "zod";
import type { Env } from "../../env";
import { ApiError } from "../../lib/errors";
import { clientIdOf, providerLabels, type ProviderName } from "./providers";

/** Who the provider says the person is, reduced to what Veza stores. */
export interface ProviderProfile {
  providerUserId: string;
  /** An address that passes users' email CHECK, or null. */
  email: string | null;
  /** True only when the provider vouches for the address (Spotify never does). */
  emailVerified: boolean;
  username: string | null;
  displayName: string | null;
  avatarUrl: string | null;
  /** The provider's own profile document, kept in provider_profile_data. */
  raw: Record<string, unknown>;
}

/** The same pattern as users' chk_users_email_format, so a provider address never breaks the insert. */
const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;
const usableEmail = (email: string | null | undefined) => {
  const trimmed = email?.trim();
  return trimmed && trimmed.length <= 255 && EMAIL.test(trimmed) ? trimmed : null;
};
const clip = (text: string | null | undefined, max: number) => (text ? text.slice(0, max) : null);

const unreachable = (provider: ProviderName, cause?: unknown) =>
  new ApiError("service_unavailable", `${providerLabels[provider]} did not answer as expected; try signing in again.`, {
    headers: { "Retry-After": "5" },
    cause,
  });

/** GET a provider API with the person's access token; anything but a 2xx JSON body is "unreachable". */
async function getJson(provider: ProviderName, url: string, accessToken: string): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { Authorization: `Bearer ${accessToken}`, Accept: "application/json", "User-Agent": "Veza" },
    });
  } catch (err) {
    throw unreachable(provider, err);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw unreachable(provider, new Error(`${url} answered ${res.status}`));
  }
  try {
    return await res.json();
  } catch (err) {
    throw unreachable(provider, err);
  }
}

function parse<T extends z.ZodType>(provider: ProviderName, schema: T, data: unknown): z.infer<T> {
  const result = schema.safeParse(data);
  if (!result.success) throw unreachable(provider, result.error);
  return result.data;
}

const GoogleClaims = z.looseObject({
  iss: z.enum(["https://accounts.google.com", "accounts.google.com"]),
  aud: z.union([z.string(), z.array(z.string())]),
  exp: z.number(),
  sub: z.string().min(1).max(255),
  email: z.string().optional(),
  email_verified: z.boolean().optional(),
  name: z.string().optional(),
  picture: z.string().optional(),
});

/**
 * Google: the claims of the OpenID id token. It came straight from Google's token endpoint over
 * TLS in exchange for our client secret, so (OpenID Connect Core §3.1.3.7) its issuer, audience and
 * expiry are checked but its signature need not be; no extra request to userinfo.
 */
function googleProfile(env: Env, tokens: OAuth2Tokens): ProviderProfile {
  let claims: unknown;
  try {
    claims = decodeIdToken(tokens.idToken());
  } catch (err) {
    throw unreachable("google", err);
  }
  const c = parse("google", GoogleClaims, claims);
  const audience = Array.isArray(c.aud) ? c.aud : [c.aud];
  if (!audience.includes(clientIdOf(env, "google")) || c.exp * 1000 < Date.now()) {
    throw new ApiError("invalid_token", "Google's identity token is not addressed to Veza or has expired.");
  }
  const email = usableEmail(c.email);
  return {
    providerUserId: c.sub,
    email,
    emailVerified: email !== null && c.email_verified === true,
    username: email ? email.split("@")[0]! : null,
    displayName: clip(c.name, 100),
    avatarUrl: c.picture ?? null,
    raw: c,
  };
}

const GitHubUser = z.looseObject({
  id: z.number().int(),
  login: z.string(),
  name: z.string().nullish(),
  avatar_url: z.string().nullish(),
  email: z.string().nullish(),
});
const GitHubEmails = z.array(z.looseObject({ email: z.string(), primary: z.boolean(), verified: z.boolean() }));

/** GitHub: /user for who, /user/emails for the primary address and whether GitHub verified it. */
async function githubProfile(accessToken: string): Promise<ProviderProfile> {
  const [userData, emailData] = await Promise.all([
    getJson("github", "https://api.github.com/user", accessToken),
    getJson("github", "https://api.github.com/user/emails", accessToken),
  ]);
  const user = parse("github", GitHubUser, userData);
  const emails = parse("github", GitHubEmails, emailData);
  const primary = emails.find((e) => e.primary && e.verified) ?? emails.find((e) => e.primary) ?? null;
  const email = usableEmail(primary?.email ?? user.email);
  return {
    providerUserId: String(user.id),
    email,
    emailVerified: email !== null && primary?.verified === true && primary.email.trim() === email,
    username: user.login,
    displayName: clip(user.name ?? user.login, 100),
    avatarUrl: user.avatar_url ?? null,
    raw: user,
  };
}

const DiscordUser = z.looseObject({
  id: z.string().min(1).max(255),
  username: z.string(),
  global_name: z.string().nullish(),
  avatar: z.string().nullish(),
  email: z.string().nullish(),
  verified: z.boolean().optional(),
});

async function discordProfile(accessToken: string): Promise<ProviderProfile> {
  const user = parse("discord", DiscordUser, await getJson("discord", "https://discord.com/api/v10/users/@me", accessToken));
  const email = usableEmail(user.email);
  return {
    providerUserId: user.id,
    email,
    emailVerified: email !== null && user.verified === true,
    username: user.username,
    displayName: clip(user.global_name ?? user.username, 100),
    avatarUrl: user.avatar ? `https://cdn.discordapp.com/avatars/${user.id}/${user.avatar}.png` : null,
    raw: user,
  };
}

const SpotifyUser = z.looseObject({
  id: z.string().min(1).max(255),
  display_name: z.string().nullish(),
  email: z.string().nullish(),
  images: z.array(z.looseObject({ url: z.string() })).nullish(),
});

/** Spotify does not say whether it verified the address: it is stored as unverified. */
async function spotifyProfile(accessToken: string): Promise<ProviderProfile> {
  const user = parse("spotify", SpotifyUser, await getJson("spotify", "https://api.spotify.com/v1/me", accessToken));
  return {
    providerUserId: user.id,
    email: usableEmail(user.email),
    emailVerified: false,
    username: user.display_name ?? user.id,
    displayName: clip(user.display_name ?? user.id, 100),
    avatarUrl: user.images?.[0]?.url ?? null,
    raw: user,
  };
}

export function fetchProfile(env: Env, provider: ProviderName, tokens: OAuth2Tokens): Promise<ProviderProfile> {
  switch (provider) {
    case "google":
      return Promise.resolve().then(() => googleProfile(env, tokens));
    case "github":
      return githubProfile(tokens.accessToken());
    case "discord":
      return discordProfile(tokens.accessToken());
    case "spotify":
      return spotifyProfile(tokens.accessToken());
  }
}
