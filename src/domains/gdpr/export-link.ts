import { errors, jwtVerify, SignJWT } from "jose";
import { derivedKey } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";

/** How long a mailed download link works. */
export const EXPORT_LINK_TTL_SECONDS = 7 * 24 * 3600;

const ISSUER = "veza";
const AUDIENCE = "veza-gdpr-export";
const TYPE = "veza-export+jwt";

/** Where an archive lives in R2 (MEDIA): one folder per user, a random name per archive. */
export const exportKey = (userId: string, exportId: string) => `exports/${userId}/${exportId}.json`;
export const exportPrefix = (userId: string) => `exports/${userId}/`;

/**
 * The links' own HMAC key, derived from JWT_SECRET: a download token and an access token never
 * share a key (nor audience, nor `typ`), so neither can pass for the other.
 */
const linkKey = (secret: string) => derivedKey(secret, "veza/gdpr-export-link/v1");

export interface ExportClaims {
  userId: string;
  exportId: string;
  /** users.token_version when the link was made: logout-all or a password change ends the link. */
  tokenVersion: number;
}

/** A signed, expiring token naming one user's one archive: the link works without a session. */
export async function signExportToken(claims: ExportClaims, secret: string, now = new Date(), ttlSeconds = EXPORT_LINK_TTL_SECONDS): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ eid: claims.exportId, tv: claims.tokenVersion })
    .setProtectedHeader({ alg: "HS256", typ: TYPE })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(await linkKey(secret));
}

/** Verifies signature (HS256 only), type, issuer, audience and expiry: any failure is a 401. */
export async function verifyExportToken(token: string, secret: string): Promise<ExportClaims> {
  try {
    const { payload } = await jwtVerify(token, await linkKey(secret), { algorithms: ["HS256"], issuer: ISSUER, audience: AUDIENCE, typ: TYPE });
    if (typeof payload.sub !== "string" || typeof payload.eid !== "string" || typeof payload.tv !== "number") {
      throw new ApiError("invalid_token", "The download link is malformed.");
    }
    return { userId: payload.sub, exportId: payload.eid, tokenVersion: payload.tv };
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (err instanceof errors.JWTExpired) throw new ApiError("invalid_token", "This download link has expired; request a new export.");
    throw new ApiError("invalid_token", "This download link is not valid.");
  }
}

/** The link mailed to the user: the API route that streams the archive. */
export function exportLink(appUrl: string, exportId: string, token: string): string {
  return `${appUrl.replace(/\/+$/, "")}/v1/me/exports/${encodeURIComponent(exportId)}?token=${encodeURIComponent(token)}`;
}
