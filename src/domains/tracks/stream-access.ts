import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, notFound } from "../../lib/errors";
import type { TrackStatus, Visibility } from "./schemas";

/** What serving a track's media needs to know about it. */
export interface StreamAccess {
  trackId: string;
  creatorId: string;
  visibility: Visibility;
  status: TrackStatus;
  progress: number;
  error: string | null;
  hlsPath: string | null;
  /** Not deleted, and its creator's account is live and not banned. */
  live: boolean;
}

/**
 * Players fetch a segment every few seconds per listener, so unsigned segment and playlist requests
 * look the track up in a small per-isolate cache before the database. Only playable tracks (live and
 * ready) are kept, for ACCESS_TTL_MS: everything else is read fresh, so a track becoming ready is
 * seen at once. The cost is staleness, bounded by the TTL: after a track is made private or
 * deleted, isolates that cached it may keep serving its segments (by their old, unsigned URLs) for
 * up to 30 seconds; the isolate that made the change forgets it at once (forgetStreamAccess). This
 * is small next to what caching already implies: a public segment is `public, immutable`, so
 * copies that browsers and shared caches hold cannot be recalled anyway.
 */
export const ACCESS_TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

const cache = new Map<string, { access: StreamAccess; until: number }>();

export function forgetStreamAccess(trackId: string): void {
  cache.delete(trackId);
}

function remember(access: StreamAccess, now: number): void {
  if (!access.live || access.status !== "ready") return;
  if (cache.size >= MAX_ENTRIES) {
    // Map iterates in insertion order: drop the oldest entry.
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(access.trackId, { access, until: now + ACCESS_TTL_MS });
}

/** One round trip: the track's visibility, state and HLS prefix, whatever they are. */
export async function loadStreamAccess(db: Database, trackId: string, now = Date.now()): Promise<StreamAccess | null> {
  const { rows } = await db.execute<{
    creator_id: string;
    visibility: Visibility;
    status: TrackStatus;
    processing_progress: number;
    processing_error: string | null;
    hls_path: string | null;
    live: boolean;
  }>(sql`
    SELECT t.creator_id, t.visibility, t.status, t.processing_progress, t.processing_error, t.hls_path,
           (t.deleted_at IS NULL AND u.deleted_at IS NULL AND NOT u.is_banned) AS live
      FROM tracks t JOIN users u ON u.id = t.creator_id
     WHERE t.id = ${trackId}`);
  const row = rows[0];
  if (!row) return null;
  const access: StreamAccess = {
    trackId,
    creatorId: row.creator_id,
    visibility: row.visibility,
    status: row.status,
    progress: Number(row.processing_progress),
    error: row.processing_error,
    hlsPath: row.hls_path,
    live: row.live,
  };
  remember(access, now);
  return access;
}

/** The cached access when fresh, else one round trip. */
export async function cachedStreamAccess(db: Database, trackId: string, now = Date.now()): Promise<StreamAccess | null> {
  const hit = cache.get(trackId);
  if (hit && hit.until > now) return hit.access;
  if (hit) cache.delete(trackId);
  return loadStreamAccess(db, trackId, now);
}

/**
 * The track's media is for `viewerId` (null: anonymous) when it is live and public, unlisted or
 * theirs; otherwise 404, as for a track that does not exist. Then it must be ready: 409 saying it is
 * still processing, or that it failed (why, to the owner).
 */
export function checkPlayable(access: StreamAccess | null, viewerId: string | null): asserts access is StreamAccess & { hlsPath: string } {
  if (!access || !access.live || (access.visibility === "private" && access.creatorId !== viewerId)) throw notFound("This track");
  if (access.status === "ready" && access.hlsPath) return;
  if (access.status === "failed") {
    const why = access.creatorId === viewerId && access.error ? `: ${access.error}` : ".";
    throw new ApiError("conflict", `This track could not be processed${why}`);
  }
  throw new ApiError("conflict", `This track is still being processed (${access.progress}%); try again shortly.`, { headers: { "Retry-After": "10" } });
}
