import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { notFound } from "../../lib/errors";

/**
 * DELETE /v1/me/history: every play of mine is really deleted (not hidden), in every partition;
 * one round trip. tracks.play_count does not go down: it counts plays that happened (see
 * trg_playback_history_play_count, 0004/0015), and anonymous aggregates never depended on my rows.
 */
export async function clearHistory(db: Database, userId: string): Promise<{ deleted: number }> {
  const { rows } = await db.execute<{ deleted: number }>(sql`
    WITH gone AS (DELETE FROM playback_history WHERE user_id = ${userId} RETURNING 1)
    SELECT count(*)::int AS deleted FROM gone`);
  return { deleted: Number(rows[0]?.deleted ?? 0) };
}

/**
 * DELETE /v1/me/history/:id: one play of mine; 404 when no play of mine has that id (someone
 * else's included, so ids of others' plays reveal nothing). The PK is (id, played_at): the id
 * alone is found through my rows of idx_playback_history_user_id_played_at_id. One round trip.
 */
export async function deleteHistoryEntry(db: Database, userId: string, playId: string): Promise<void> {
  const { rows } = await db.execute<{ id: string }>(sql`
    DELETE FROM playback_history WHERE user_id = ${userId} AND id = ${playId} RETURNING id`);
  if (rows.length === 0) throw notFound("This play");
}
