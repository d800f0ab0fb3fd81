import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { QueueItem, RepeatMode } from "../../../durable-objects/playback-queue/protocol";
import type { QueueData } from "../../../durable-objects/playback-queue/state";
import { signedQuery } from "../tracks/stream-signature";
import { coverPath, iso, trackSignature, visibleTo } from "../tracks/track-view";

type LoadedRow = {
  version: number;
  current_track_id: string | null;
  current_position: number;
  is_playing: boolean;
  shuffle: boolean;
  repeat_mode: RepeatMode;
  volume: number;
  updated_ms: string;
  items: Array<Omit<QueueItem, "cover_url"> & { cover_file_id: string | null; visibility: "public" | "unlisted" | "private" }>;
};

/**
 * The user's queue as last flushed to Postgres (queues + queue_items), for a PlaybackQueue whose
 * storage is empty (a new object, or one whose storage was lost); null when the user has none.
 * One round trip.
 *
 * What Postgres does not keep comes back as follows: the position at second precision, set at the
 * flush (`updated_at`), so a playing queue extrapolates from there; the current item is the first
 * one of the current track; the unshuffled order is the play order (shuffle off keeps it). Items
 * whose track is no longer playable for the user (deleted, private, creator banned or deleted) come
 * back with `available: false` and no cover: kept, so the user sees what went away, but skipped.
 */
export async function loadQueue(db: Database, secret: string, userId: string): Promise<QueueData | null> {
  const { rows } = await db.execute<LoadedRow>(sql`
    SELECT q.version, q.current_track_id, q.current_position, q.is_playing, q.shuffle, q.repeat_mode, q.volume,
           (extract(epoch FROM q.updated_at) * 1000)::bigint::text AS updated_ms,
           COALESCE((
             SELECT json_agg(json_build_object(
                      'item_id', qi.id, 'track_id', t.id, 'title', t.title, 'artist', t.artist, 'duration_ms', t.duration_ms,
                      'creator_username', u.username, 'visibility', t.visibility,
                      'cover_file_id', CASE WHEN cf.deleted_at IS NULL AND cf.mime_type LIKE 'image/%' THEN cf.id END,
                      'available', (t.status = 'ready' AND ${visibleTo(userId)}),
                      'added_at', ${iso("qi.added_at")}) ORDER BY qi.position)
               FROM queue_items qi
               JOIN tracks t ON t.id = qi.track_id
               JOIN users u ON u.id = t.creator_id
               LEFT JOIN files cf ON cf.id = t.cover_art_file_id
              WHERE qi.queue_id = q.id), '[]'::json) AS items
      FROM queues q
     WHERE q.user_id = ${userId}`);
  const row = rows[0];
  if (!row) return null;
  const items: QueueItem[] = [];
  for (const { cover_file_id, visibility, ...item } of row.items) {
    const cover = item.available && cover_file_id ? coverPath(item.track_id, cover_file_id) + signedQuery(await trackSignature(secret, { id: item.track_id, visibility })) : null;
    items.push({ ...item, cover_url: cover });
  }
  const current = items.find((i) => i.track_id === row.current_track_id) ?? null;
  return {
    version: Number(row.version),
    items,
    original: items.map((i) => i.item_id),
    current_item_id: current?.item_id ?? null,
    position_ms: current ? Number(row.current_position) * 1000 : 0,
    position_updated_at: Number(row.updated_ms),
    is_playing: current !== null && row.is_playing,
    shuffle: row.shuffle,
    repeat: row.repeat_mode,
    volume: Number(row.volume),
  };
}
