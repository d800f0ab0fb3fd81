import { urlSigner, type UrlSignature } from "../../lib/signed-url";

/**
 * Signed media URLs for private tracks (src/lib/signed-url.ts), under the "hls-url" key. HLS players
 * (Safari's native player, hls.js) cannot add an Authorization header to the playlist and segment
 * requests they make, so the URL itself carries the permission.
 *
 * A signature covers the whole track (every run, rendition, segment and the cover), not a single
 * URL: the master playlist hands the same exp/sig to every URI inside it. It is minted only for the
 * owner. Making the track public/unlisted or deleting it changes nothing for a URL already handed
 * out, until it expires (4-5 hours).
 */
export const STREAM_URL_TTL_SECONDS = 4 * 3600;

export type StreamSignature = UrlSignature;

const signer = urlSigner("hls-url", {
  ttlSeconds: STREAM_URL_TTL_SECONDS,
  invalid: "This media link is not valid; ask for a new one (GET /v1/tracks/{id}/stream).",
  expired: "This media link has expired; ask for a new one (GET /v1/tracks/{id}/stream).",
});

export const signStream = (secret: string, trackId: string, now = Date.now()) => signer.sign(secret, trackId, now);

/** The signature of a request, when it carries one; 403 when forged, for another track or expired. */
export const verifyStreamQuery = (secret: string, trackId: string, query: { exp?: string; sig?: string }, now = Date.now()) =>
  signer.verify(secret, trackId, query, now);

export { expiresAt, signedQuery } from "../../lib/signed-url";
