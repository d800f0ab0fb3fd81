import { OAuth2RequestError, type OAuth2Tokens } from "arctic";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { encryptSecret } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";
import type { IssuedSession } from "../auth/sessions";
import type { FlowState } from "./flow-cookie";
import { resolveIdentity, type AccountState } from "./identity-queries";
import { linkIdentity, signInLinked, signUp, type SealedTokens, type SignedInAccount } from "./identity-writes";
import { notifyLinked } from "./mails";
import { fetchProfile } from "./profiles";
import { providerLabels, type ProviderClient } from "./providers";
import { signTicket } from "./second-factor-ticket";

export type FlowOutcome =
  | { outcome: "signed_in" | "signed_up"; account: SignedInAccount; session: IssuedSession; twoFactorTicket?: undefined }
  | { outcome: "linked"; account: SignedInAccount; session: null; twoFactorTicket?: undefined }
  /** The linked account has TOTP on: no session, only a ticket for POST /v1/auth/oauth/second-factor. */
  | { outcome: "two_factor_required"; account: null; session: null; twoFactorTicket: string };

/** The provider refused the code (expired, used, forged) -> 401; it could not be reached -> 503. */
async function exchangeCode(client: ProviderClient, code: string, codeVerifier: string | null): Promise<OAuth2Tokens> {
  try {
    return await client.exchangeCode(code, codeVerifier);
  } catch (err) {
    const label = providerLabels[client.name];
    if (err instanceof OAuth2RequestError) {
      throw new ApiError("invalid_token", `${label} refused the authorization code (${err.code}). Start the sign-in again.`, { cause: err });
    }
    throw new ApiError("service_unavailable", `${label} could not be reached; try signing in again.`, { headers: { "Retry-After": "5" }, cause: err });
  }
}

async function sealTokens(client: ProviderClient, tokens: OAuth2Tokens, key: string): Promise<SealedTokens> {
  let accessToken: string;
  try {
    accessToken = tokens.accessToken();
  } catch (err) {
    throw new ApiError("service_unavailable", `${providerLabels[client.name]} answered without an access token; try again.`, { cause: err });
  }
  const data = tokens.data as { expires_in?: unknown };
  return {
    accessToken: await encryptSecret(accessToken, key),
    refreshToken: tokens.hasRefreshToken() ? await encryptSecret(tokens.refreshToken(), key) : null,
    expiresAt: typeof data.expires_in === "number" ? new Date(Date.now() + data.expires_in * 1000) : null,
  };
}

/** 409 for linking to an account whose own email nobody has proved to own yet. */
export const unverifiedLinkTarget = () =>
  new ApiError("conflict", "Verify your email address before linking a sign-in provider: check your inbox, or ask for a new link from your settings.");

const accountOf = (a: AccountState): SignedInAccount => ({ id: a.userId, username: a.username, email: a.email, emailVerified: a.emailVerified, role: a.role });

/**
 * The end of a flow whose state checked out: code for tokens, tokens for a profile, then one of
 *  - a link flow (started by a signed-in user): link the identity to that user;
 *  - an identity already linked: sign its account in — or, when its TOTP is on, answer only a
 *    short-lived ticket that POST /v1/auth/oauth/second-factor exchanges, with a code, for a session;
 *  - a new identity whose email a live account already uses: 409 — never linked silently, which
 *    would hand the account to whoever controls the provider account;
 *  - otherwise: a new account, only from an email the provider marks verified (an unverified one is
 *    422: sign up with the email, then link) and with the explicit data-processing consent.
 * Linking needs a verified Veza email (409 otherwise): an unverified account may be a squatter's.
 * Two round trips on every path: one read that answers every question, one batch that writes.
 */
export async function completeFlow(c: Context<AppEnv>, client: ProviderClient, flow: FlowState, code: string): Promise<FlowOutcome> {
  const provider = client.name;
  const label = providerLabels[provider];
  const tokens = await exchangeCode(client, code, flow.codeVerifier);
  const profile = await fetchProfile(c.env, provider, tokens);
  const sealed = await sealTokens(client, tokens, c.env.ENCRYPTION_KEY);
  const { linked, linkTarget, emailTaken } = await resolveIdentity(c.var.db, provider, profile.providerUserId, profile.email, flow.link?.userId ?? null);

  if (flow.link) {
    if (!linkTarget || linkTarget.deleted || linkTarget.tokenVersion !== flow.link.tokenVersion) {
      throw new ApiError("invalid_token", "The session that started this link has ended; sign in and link again.");
    }
    if (linkTarget.banned) throw new ApiError("forbidden", "This account is banned.");
    if (!linkTarget.emailVerified) throw unverifiedLinkTarget();
    if (linked && linked.userId !== linkTarget.userId) throw new ApiError("conflict", `This ${label} account is already linked to another Veza account.`);
    if (!linked && linkTarget.hasProvider) throw new ApiError("conflict", `Another ${label} account is linked to yours: unlink it first.`);
    await linkIdentity(c, provider, profile, sealed, linkTarget.userId, linked !== null);
    notifyLinked(c, linkTarget, provider, profile.username);
    return { outcome: "linked", account: accountOf(linkTarget), session: null };
  }

  if (linked) {
    if (linked.deleted) throw new ApiError("invalid_token", "This account has been deleted.");
    if (linked.banned) throw new ApiError("forbidden", "This account is banned.");
    if (linked.twoFactor) {
      const twoFactorTicket = await signTicket({ userId: linked.userId, tokenVersion: linked.tokenVersion, provider }, c.env.JWT_SECRET);
      return { outcome: "two_factor_required", account: null, session: null, twoFactorTicket };
    }
    const session = await signInLinked(c, provider, profile, sealed, linked);
    return { outcome: "signed_in", account: accountOf(linked), session };
  }

  if (emailTaken) {
    throw new ApiError(
      "conflict",
      `A Veza account already uses the email address of this ${label} account. Sign in to that account and link ${label} from your settings.`,
    );
  }
  const email = profile.email;
  if (email === null) {
    throw new ApiError("validation_failed", `${label} did not share a usable email address, which a new Veza account needs.`, {
      errors: [{ path: `${provider}.email`, message: "is missing or not a valid address" }],
    });
  }
  if (!profile.emailVerified) {
    // users.email is NOT NULL and an account must not start from an address nobody proved to own
    // (that is how accounts get squatted): sign up with the email, then link the provider.
    throw new ApiError(
      "validation_failed",
      `${label} does not confirm that this email address is verified, so it cannot create a Veza account. ` +
        `Sign up with your email address, then link ${label} from your settings.`,
      { errors: [{ path: `${provider}.email`, message: "is not verified by the provider" }] },
    );
  }
  if (!flow.dataProcessingConsent) {
    throw new ApiError("validation_failed", "Creating an account needs your explicit consent to data processing: start again with data_processing_consent=true.", {
      errors: [{ path: "query.data_processing_consent", message: "must be true to create an account" }],
    });
  }
  const { account, session } = await signUp(c, provider, { ...profile, email }, sealed, {
    dataProcessingConsent: true,
    marketingConsent: flow.marketingConsent,
  });
  return { outcome: "signed_up", account, session };
}
