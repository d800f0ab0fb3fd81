import { urlSigner, type UrlSignature } from "../../lib/signed-url";

/**
 * Signed cover URLs for private playlists (src/lib/signed-url.ts), under a key of their own
 * ("playlist-cover"), so a track's media signature never opens a playlist's cover nor the reverse.
 * An <img> cannot send a bearer token; the URL is minted only for members, valid 4 to 5 hours.
 */
export type CoverSignature = UrlSignature;

const signer = urlSigner("playlist-cover", {
  ttlSeconds: 4 * 3600,
  invalid: "This cover link is not valid; read the playlist again for a new one.",
  expired: "This cover link has expired; read the playlist again for a new one.",
});

export const signCover = (secret: string, playlistId: string, now = Date.now()) => signer.sign(secret, playlistId, now);

/** null without `exp` and `sig`; 403 when malformed, forged, for another playlist or expired. */
export const verifyCoverQuery = (secret: string, playlistId: string, query: { exp?: string; sig?: string }, now = Date.now()) =>
  signer.verify(secret, playlistId, query, now);
