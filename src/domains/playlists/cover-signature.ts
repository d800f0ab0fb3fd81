import { base64url, derivedKey, timingSafeEqual } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";

/**
 * Signed, expiring cover URLs for private playlists: `?exp=<unix seconds>&sig=<base64url
 * HMAC-SHA-256 of "<playlistId>.<exp>">` under a key derived for "playlist-cover" only, so a track's
 * media signature never opens a playlist's cover (nor the reverse). An <img> cannot send a bearer
 * token; the URL is minted only for members, valid 4 to 5 hours (expiries rounded up to the hour,
 * so URLs minted within the hour are identical and browser caches keep working).
 */
const TTL_SECONDS = 4 * 3600;
const GRANULARITY_SECONDS = 3600;

export interface CoverSignature {
  exp: number;
  sig: string;
}

const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = derivedKey(secret, "playlist-cover").then((raw) => crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]));
    keys.set(secret, key);
  }
  return key;
}

async function signatureOf(secret: string, playlistId: string, exp: number): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), new TextEncoder().encode(`${playlistId}.${exp}`));
  return base64url(new Uint8Array(mac));
}

export async function signCover(secret: string, playlistId: string, now = Date.now()): Promise<CoverSignature> {
  const exp = Math.ceil((Math.floor(now / 1000) + TTL_SECONDS) / GRANULARITY_SECONDS) * GRANULARITY_SECONDS;
  return { exp, sig: await signatureOf(secret, playlistId, exp) };
}

/** null without `exp` and `sig`; 403 when malformed, forged, for another playlist or expired. */
export async function verifyCoverQuery(secret: string, playlistId: string, query: { exp?: string; sig?: string }, now = Date.now()): Promise<CoverSignature | null> {
  if (query.exp === undefined && query.sig === undefined) return null;
  const invalid = new ApiError("forbidden", "This cover link is not valid; read the playlist again for a new one.");
  if (!query.exp || !query.sig || !/^[0-9]{1,12}$/.test(query.exp) || !/^[A-Za-z0-9_-]{43}$/.test(query.sig)) throw invalid;
  const exp = Number(query.exp);
  if (!timingSafeEqual(await signatureOf(secret, playlistId, exp), query.sig)) throw invalid;
  if (exp * 1000 <= now) throw new ApiError("forbidden", "This cover link has expired; read the playlist again for a new one.");
  return { exp, sig: query.sig };
}
