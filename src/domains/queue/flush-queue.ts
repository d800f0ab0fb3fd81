import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { QueueData } from "../../../durable-objects/playback-queue/state";
import { visibleTo } from "../tracks/track-view";

/**
 * Writes a PlaybackQueue's state to Postgres: one `db.batch` (one round trip, one transaction)
 * that upserts the queues row and replaces its items. Idempotent: flushing the same version twice
 * writes the same rows, and a version older than the stored one changes nothing (the items are
 * only replaced when the queues row is at exactly this version after the upsert).
 *
 * Items whose track row is gone are left out (queue_items.track_id must reference a track); the
 * positions are renumbered 0..n-1 over what is written. Answers each queued track's availability
 * (visible to the user and ready), so the object can mark items that became unplayable.
 */
export async function flushQueue(db: Database, userId: string, queue: QueueData, positionMs: number): Promise<Map<string, boolean>> {
  const current = queue.items.find((i) => i.item_id === queue.current_item_id)?.track_id ?? null;
  const items = JSON.stringify(queue.items.map((item, ord) => ({ item_id: item.item_id, track_id: item.track_id, ord, added_at: item.added_at })));
  const at = sql`(SELECT id FROM queues WHERE user_id = ${userId} AND version = ${queue.version})`;
  const [, , , availability] = await db.batch([
    db.execute(sql`
      INSERT INTO queues (user_id, current_track_id, current_position, is_playing, shuffle, repeat_mode, volume, version)
      SELECT u.id, (SELECT id FROM tracks WHERE id = ${current}::uuid), ${Math.floor(positionMs / 1000)}, ${queue.is_playing},
             ${queue.shuffle}, ${queue.repeat}, ${queue.volume}, ${queue.version}
        FROM users u WHERE u.id = ${userId}
      ON CONFLICT (user_id) DO UPDATE
        SET current_track_id = EXCLUDED.current_track_id, current_position = EXCLUDED.current_position,
            is_playing = EXCLUDED.is_playing, shuffle = EXCLUDED.shuffle, repeat_mode = EXCLUDED.repeat_mode,
            volume = EXCLUDED.volume, version = EXCLUDED.version
        WHERE queues.version <= EXCLUDED.version`),
    db.execute(sql`DELETE FROM queue_items WHERE queue_id = ${at}`),
    db.execute(sql`
      INSERT INTO queue_items (id, queue_id, track_id, position, added_at)
      SELECT x.item_id, q.id, t.id, (row_number() OVER (ORDER BY x.ord) - 1)::int, x.added_at
        FROM jsonb_to_recordset(${items}::jsonb) AS x(item_id uuid, track_id uuid, ord int, added_at timestamptz)
        JOIN tracks t ON t.id = x.track_id
        JOIN queues q ON q.id = ${at}`),
    db.execute<{ track_id: string; available: boolean }>(sql`
      SELECT x.track_id::text AS track_id,
             EXISTS (SELECT 1 FROM tracks t JOIN users u ON u.id = t.creator_id
                      WHERE t.id = x.track_id AND t.status = 'ready' AND ${visibleTo(userId)}) AS available
        FROM (SELECT DISTINCT track_id FROM jsonb_to_recordset(${items}::jsonb) AS r(track_id uuid)) x`),
  ]);
  return new Map(availability.rows.map((r) => [r.track_id, r.available]));
}
