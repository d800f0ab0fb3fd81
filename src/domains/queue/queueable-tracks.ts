import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { signedQuery } from "../tracks/stream-signature";
import { coverPath, trackSignature, visibleTo } from "../tracks/track-view";

/** What a queue item captures of its track when it is added (display metadata, no second lookup to show a queue). */
export interface QueueableTrack {
  track_id: string;
  title: string;
  artist: string | null;
  duration_ms: number | null;
  creator_username: string;
  cover_url: string | null;
}

/**
 * The tracks of `trackIds` that `userId` may queue: visible to them and ready to play. One round
 * trip; ids not in the answer are unknown, invisible or unready (the caller refuses them together,
 * never saying which reason, so private tracks do not reveal that they exist).
 *
 * A private track's cover URL is signed as everywhere else (only its owner can queue it); the
 * signature expires in 4-5 hours like any media link, after which a client refreshes the track.
 */
export async function findQueueableTracks(db: Database, secret: string, userId: string, trackIds: string[]): Promise<Map<string, QueueableTrack>> {
  const ids = JSON.stringify([...new Set(trackIds.map((id) => id.toLowerCase()))]);
  const { rows } = await db.execute<{
    id: string;
    title: string;
    artist: string | null;
    duration_ms: number | null;
    username: string;
    visibility: "public" | "unlisted" | "private";
    cover_file_id: string | null;
  }>(sql`
    SELECT t.id, t.title, t.artist, t.duration_ms, u.username, t.visibility,
           CASE WHEN cf.deleted_at IS NULL AND cf.mime_type LIKE 'image/%' THEN cf.id END AS cover_file_id
      FROM tracks t
      JOIN users u ON u.id = t.creator_id
      LEFT JOIN files cf ON cf.id = t.cover_art_file_id
     WHERE t.id IN (SELECT jsonb_array_elements_text(${ids}::jsonb)::uuid)
       AND t.status = 'ready' AND ${visibleTo(userId)}`);
  const found = new Map<string, QueueableTrack>();
  for (const row of rows) {
    const signature = row.cover_file_id ? await trackSignature(secret, row) : null;
    found.set(row.id, {
      track_id: row.id,
      title: row.title,
      artist: row.artist,
      duration_ms: row.duration_ms === null ? null : Number(row.duration_ms),
      creator_username: row.username,
      cover_url: row.cover_file_id ? coverPath(row.id, row.cover_file_id) + signedQuery(signature) : null,
    });
  }
  return found;
}
