import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { notFound } from "../../lib/errors";
import { hlsPrefix } from "../media/messages";
import { rewriteMaster, rewriteMediaPlaylist, runOf } from "./hls-playlists";
import { serveObject } from "./serve-object";
import { cachedStreamAccess, checkPlayable, loadStreamAccess } from "./stream-access";
import { expiresAt, signedQuery, signStream, verifyStreamQuery, type StreamSignature } from "./stream-signature";
import { masterPath } from "./track-view";
import { viewerOf } from "./viewer";

export const PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
export const SEGMENT_TYPE = "audio/mpeg";

/**
 * Caching. A segment's bytes never change (a new processing run writes under a new run id, and
 * the master names the run), so segments are immutable for a year; media playlists are versioned
 * the same way but kept shorter (a day), the master briefly (a minute: it is what moves to a new
 * run). What a public or unlisted track serves to anyone is `public`; what only its owner may get
 * (a private track, by signature or bearer token) is `private`: a shared cache keyed on the URL
 * would otherwise keep handing it out after the signature expired, or to people without the token.
 */
const CACHE = {
  master: { public: "public, max-age=60", private: "private, max-age=60" },
  media: { public: "public, max-age=86400", private: "private, max-age=86400" },
  segment: { public: "public, max-age=31536000, immutable", private: "private, max-age=31536000, immutable" },
} as const;

type Query = { exp?: string; sig?: string };

/**
 * GET /v1/tracks/:id/hls/master.m3u8: always read fresh (one round trip: the current run, and it
 * is the request that sees a track become ready or private). Anyone for public and unlisted tracks;
 * for a private one a valid signature or the owner's bearer token, and then every URI inside is
 * signed, so that the player's next requests need neither.
 */
export async function serveMaster(c: Context<AppEnv>, trackId: string, query: Query): Promise<Response> {
  const signature = await verifyStreamQuery(c.env.JWT_SECRET, trackId, query);
  const access = await loadStreamAccess(c.var.db, trackId);
  // A valid signature is the owner's permission, handed to their player.
  const viewerId = signature ? (access?.creatorId ?? null) : (viewerOf(c)?.userId ?? null);
  checkPlayable(access, viewerId);
  const sign: StreamSignature | null = signature ?? (access.visibility === "private" ? await signStream(c.env.JWT_SECRET, trackId) : null);

  const object = await c.env.MEDIA.get(`${access.hlsPath}/master.m3u8`);
  if (!object) throw notFound("This track's stream");
  const text = rewriteMaster(await object.text(), runOf(access.hlsPath), signedQuery(sign));
  const headers: Record<string, string> = {
    "Content-Type": PLAYLIST_TYPE,
    "Cache-Control": sign ? CACHE.master.private : CACHE.master.public,
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Resource-Policy": "cross-origin",
  };
  if (sign) headers["X-Stream-Expires-At"] = expiresAt(sign)!;
  return new Response(text, { status: 200, headers });
}

/**
 * Whether a media playlist or segment request may be served, and how it may be cached. A valid
 * signature needs no database; an unsigned request is checked against the track's visibility
 * (per-isolate cache, else one round trip). Any run of a playable track is served, not only the
 * current one: a player that loaded the master before a reprocess finishes its playback, and run
 * ids are random UUIDs that only a master playlist hands out.
 */
async function authorise(c: Context<AppEnv>, trackId: string, query: Query): Promise<{ signature: StreamSignature | null; shared: boolean }> {
  const signature = await verifyStreamQuery(c.env.JWT_SECRET, trackId, query);
  if (signature) return { signature, shared: false };
  const viewerId = viewerOf(c)?.userId ?? null;
  const access = await cachedStreamAccess(c.var.db, trackId);
  checkPlayable(access, viewerId);
  return { signature: null, shared: access.visibility !== "private" };
}

/** GET /v1/tracks/:id/hls/:run/:rendition/index.m3u8 (the R2 object hls/<id>/<run>/<rendition>/index.m3u8). */
export async function serveMediaPlaylist(c: Context<AppEnv>, params: { id: string; run: string; rendition: string }, query: Query): Promise<Response> {
  const { signature, shared } = await authorise(c, params.id, query);
  const object = await c.env.MEDIA.get(`${hlsPrefix(params.id, params.run)}/${params.rendition}/index.m3u8`);
  if (!object) throw notFound("This playlist");
  const text = rewriteMediaPlaylist(await object.text(), signedQuery(signature));
  return new Response(text, {
    status: 200,
    headers: {
      "Content-Type": PLAYLIST_TYPE,
      "Cache-Control": shared ? CACHE.media.public : CACHE.media.private,
      "X-Content-Type-Options": "nosniff",
      "Cross-Origin-Resource-Policy": "cross-origin",
    },
  });
}

/** GET /v1/tracks/:id/hls/:run/:rendition/:segment, Range honoured. */
export async function serveSegment(c: Context<AppEnv>, params: { id: string; run: string; rendition: string; segment: string }, query: Query): Promise<Response> {
  const { shared } = await authorise(c, params.id, query);
  const response = await serveObject(c.env.MEDIA, `${hlsPrefix(params.id, params.run)}/${params.rendition}/${params.segment}`, c.req.raw, {
    contentType: SEGMENT_TYPE,
    cacheControl: shared ? CACHE.segment.public : CACHE.segment.private,
    requestId: c.get("requestId"),
  });
  if (!response) throw notFound("This segment");
  return response;
}

/**
 * GET /v1/tracks/:id/stream: where to play a track, one round trip. Public and unlisted tracks get
 * the plain master URL; a private one, for its owner, a signed one and when it expires.
 */
export async function streamUrl(c: Context<AppEnv>, trackId: string): Promise<{ master_url: string; expires_at: string | null }> {
  const access = await loadStreamAccess(c.var.db, trackId);
  checkPlayable(access, viewerOf(c)?.userId ?? null);
  const signature = access.visibility === "private" ? await signStream(c.env.JWT_SECRET, trackId) : null;
  return { master_url: masterPath(trackId) + signedQuery(signature), expires_at: expiresAt(signature) };
}
