import { jwtVerify, SignJWT } from "jose";
import { derivedKey } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";
import type { ProviderName } from "./providers";

/** A provider sign-in of an account with 2FA on must be finished with a code within five minutes. */
export const TICKET_TTL_SECONDS = 5 * 60;

const ISSUER = "veza";
/** Not the access tokens' audience ("veza-api"), nor their typ, nor their key: a ticket never passes as one. */
const AUDIENCE = "veza-oauth-second-factor";
const TYP = "veza-2fa-ticket+jwt";

/**
 * The tickets' own HS256 key: HMAC-SHA-256(JWT_SECRET, label). Access tokens are signed with
 * JWT_SECRET itself, so neither kind of token verifies under the other's key.
 */
const ticketKey = (secret: string) => derivedKey(secret, "veza/oauth-second-factor-ticket/v1");

export interface TicketClaims {
  userId: string;
  tokenVersion: number;
  provider: ProviderName;
}

export async function signTicket(claims: TicketClaims, secret: string, now = new Date()): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ tv: claims.tokenVersion, provider: claims.provider })
    .setProtectedHeader({ alg: "HS256", typ: TYP })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + TICKET_TTL_SECONDS)
    .setJti(crypto.randomUUID())
    .sign(await ticketKey(secret));
}

/** Signature (HS256 only), typ, issuer, audience and expiry; any failure is a 401 that says no more. */
export async function verifyTicket(ticket: string, secret: string): Promise<TicketClaims> {
  const refused = () => new ApiError("invalid_token", "This sign-in ticket is not valid or has expired (5 minutes): sign in with the provider again.");
  try {
    const { payload } = await jwtVerify(ticket, await ticketKey(secret), { algorithms: ["HS256"], issuer: ISSUER, audience: AUDIENCE, typ: TYP });
    const { sub, tv, provider } = payload as Record<string, unknown>;
    if (typeof sub !== "string" || typeof tv !== "number" || typeof provider !== "string") throw refused();
    return { userId: sub, tokenVersion: tv, provider: provider as ProviderName };
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw refused();
  }
}
