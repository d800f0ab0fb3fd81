import { base64url, derivedKey, timingSafeEqual } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";

/**
 * Signed, expiring media URLs for private tracks: `?exp=<unix seconds>&sig=<base64url HMAC-SHA-256
 * of "<trackId>.<exp>">` under a key derived from JWT_SECRET for this purpose only. HLS players
 * (Safari's native player, hls.js) cannot add an Authorization header to the playlist and segment
 * requests they make, so the URL itself carries the permission; verifying it needs no database.
 *
 * A signature covers the whole track (every run, rendition, segment and the cover), not a single
 * URL: the master playlist hands the same exp/sig to every URI inside it. It is minted only for the
 * owner. It cannot be revoked before it expires (making the track public/unlisted or deleting it
 * changes nothing for a URL already handed out), which is why it lives hours, not days.
 */
export const STREAM_URL_TTL_SECONDS = 4 * 3600;

/**
 * Expiries are rounded up to the hour: every URL minted within the same hour is identical, so the
 * player's and the browser's caches keep working across page loads. A URL is valid 4 to 5 hours.
 */
const EXPIRY_GRANULARITY_SECONDS = 3600;

export interface StreamSignature {
  exp: number;
  sig: string;
}

const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = derivedKey(secret, "hls-url").then((raw) => crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]));
    keys.set(secret, key);
  }
  return key;
}

async function signatureOf(secret: string, trackId: string, exp: number): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), new TextEncoder().encode(`${trackId}.${exp}`));
  return base64url(new Uint8Array(mac));
}

export async function signStream(secret: string, trackId: string, now = Date.now()): Promise<StreamSignature> {
  const earliest = Math.floor(now / 1000) + STREAM_URL_TTL_SECONDS;
  const exp = Math.ceil(earliest / EXPIRY_GRANULARITY_SECONDS) * EXPIRY_GRANULARITY_SECONDS;
  return { exp, sig: await signatureOf(secret, trackId, exp) };
}

/**
 * The signature of a request, when it carries one: null without `exp` and `sig`; 403 when they are
 * malformed, forged, for another track or expired. Never reveals whether the track exists.
 */
export async function verifyStreamQuery(secret: string, trackId: string, query: { exp?: string; sig?: string }, now = Date.now()): Promise<StreamSignature | null> {
  if (query.exp === undefined && query.sig === undefined) return null;
  const invalid = new ApiError("forbidden", "This media link is not valid; ask for a new one (GET /v1/tracks/{id}/stream).");
  if (!query.exp || !query.sig || !/^[0-9]{1,12}$/.test(query.exp) || !/^[A-Za-z0-9_-]{43}$/.test(query.sig)) throw invalid;
  const exp = Number(query.exp);
  if (!timingSafeEqual(await signatureOf(secret, trackId, exp), query.sig)) throw invalid;
  if (exp * 1000 <= now) throw new ApiError("forbidden", "This media link has expired; ask for a new one (GET /v1/tracks/{id}/stream).");
  return { exp, sig: query.sig };
}

/** `?exp=…&sig=…` for a URL, or "" for none. */
export const signedQuery = (signature: StreamSignature | null) => (signature ? `?exp=${signature.exp}&sig=${signature.sig}` : "");

export const expiresAt = (signature: StreamSignature | null) => (signature ? new Date(signature.exp * 1000).toISOString() : null);
