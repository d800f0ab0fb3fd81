import { base64url, derivedKey, timingSafeEqual } from "./crypto";
import { ApiError } from "./errors";

/**
 * Signed, expiring URLs for media a browser fetches without a bearer token (an HLS player's playlist
 * and segment requests, an <img>'s cover): `?exp=<unix seconds>&sig=<base64url HMAC-SHA-256 of
 * "<subject>.<exp>">`, under a key derived from JWT_SECRET for one purpose only, so a signature made
 * for one kind of URL (a track's media) never opens another (a playlist's cover). Verifying needs no
 * database. A signature cannot be revoked before it expires, which is why it lives hours, not days.
 *
 * Expiries are rounded up to the hour: every URL minted within the same hour is identical, so players'
 * and browsers' caches keep working across page loads; a URL is valid `ttlSeconds` to one hour more.
 */
export interface UrlSignature {
  exp: number;
  sig: string;
}

const EXPIRY_GRANULARITY_SECONDS = 3600;

export interface UrlSigner {
  readonly ttlSeconds: number;
  sign(secret: string, subject: string, now?: number): Promise<UrlSignature>;
  /** null without `exp` and `sig`; 403 when malformed, forged, for another subject or expired. */
  verify(secret: string, subject: string, query: { exp?: string; sig?: string }, now?: number): Promise<UrlSignature | null>;
}

export function urlSigner(purpose: string, options: { ttlSeconds: number; invalid: string; expired: string }): UrlSigner {
  const keys = new Map<string, Promise<CryptoKey>>();
  const hmacKey = (secret: string) => {
    let key = keys.get(secret);
    if (!key) {
      key = derivedKey(secret, purpose).then((raw) => crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]));
      keys.set(secret, key);
    }
    return key;
  };
  const signatureOf = async (secret: string, subject: string, exp: number) =>
    base64url(new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), new TextEncoder().encode(`${subject}.${exp}`))));

  return {
    ttlSeconds: options.ttlSeconds,
    async sign(secret, subject, now = Date.now()) {
      const earliest = Math.floor(now / 1000) + options.ttlSeconds;
      const exp = Math.ceil(earliest / EXPIRY_GRANULARITY_SECONDS) * EXPIRY_GRANULARITY_SECONDS;
      return { exp, sig: await signatureOf(secret, subject, exp) };
    },
    async verify(secret, subject, query, now = Date.now()) {
      if (query.exp === undefined && query.sig === undefined) return null;
      const invalid = new ApiError("forbidden", options.invalid);
      if (!query.exp || !query.sig || !/^[0-9]{1,12}$/.test(query.exp) || !/^[A-Za-z0-9_-]{43}$/.test(query.sig)) throw invalid;
      const exp = Number(query.exp);
      if (!timingSafeEqual(await signatureOf(secret, subject, exp), query.sig)) throw invalid;
      if (exp * 1000 <= now) throw new ApiError("forbidden", options.expired);
      return { exp, sig: query.sig };
    },
  };
}

/** `?exp=…&sig=…` for a URL, or "" for none. */
export const signedQuery = (signature: UrlSignature | null) => (signature ? `?exp=${signature.exp}&sig=${signature.sig}` : "");

export const expiresAt = (signature: UrlSignature | null) => (signature ? new Date(signature.exp * 1000).toISOString() : null);
