import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, notFound } from "../../lib/errors";
import { COUNTED_PLAY_SECONDS, type RecordPlayInput } from "./schemas";
import { visibleTo } from "./track-view";

export interface PlayRecorded {
  counted: boolean;
  completion_percentage: number;
  play_count: number;
}

/**
 * POST /v1/tracks/:id/plays, one statement (one round trip): the track must be visible to the
 * listener and ready; the completion is computed here from the measured duration (clamped to
 * 0-100: a listener who seeks back may play more than the track's length).
 *
 * Every play of a ready track is a playback_history row (the listener's history shows it); it counts
 * from COUNTED_PLAY_SECONDS: play_count is bumped by the insert of such a row only
 * (trg_playback_history_play_count, `WHEN played_duration >= 30`, migration 0015). Anonymous plays
 * are recorded with user_id NULL.
 */
export async function recordPlay(db: Database, trackId: string, viewerId: string | null, input: RecordPlayInput): Promise<PlayRecorded> {
  const { rows } = await db.execute<{ status: string | null; processing_progress: number | null; completion: number | null; play_count: number | null; counted: boolean }>(sql`
    WITH target AS (
      SELECT t.id, t.status, t.processing_progress, t.play_count,
             LEAST(100, GREATEST(0, round(${input.played_duration}::numeric * 100000 / NULLIF(COALESCE(t.duration_ms, t.duration * 1000), 0))))::int AS completion
        FROM tracks t JOIN users u ON u.id = t.creator_id
       WHERE t.id = ${trackId} AND ${visibleTo(viewerId)}
    ), played AS (
      INSERT INTO playback_history (user_id, track_id, played_duration, completion_percentage, source, source_id, device_type)
      SELECT ${viewerId}::uuid, id, ${input.played_duration}::int, COALESCE(completion, 0),
             ${input.source ?? null}, ${input.source_id ?? null}::uuid, ${input.device_type ?? null}
        FROM target
       WHERE status = 'ready'
      RETURNING id, played_duration >= ${COUNTED_PLAY_SECONDS} AS counted
    )
    SELECT target.status, target.processing_progress, COALESCE(target.completion, 0) AS completion,
           -- the trigger's +1 happens after this statement's snapshot
           target.play_count + (SELECT count(*) FROM played WHERE counted)::int AS play_count,
           EXISTS (SELECT 1 FROM played WHERE counted) AS counted
      FROM (SELECT 1) AS one LEFT JOIN target ON true`);
  const row = rows[0]!;
  if (!row.status) throw notFound("This track");
  if (row.status !== "ready") throw new ApiError("conflict", "This track is not ready to be played yet.");
  return { counted: row.counted, completion_percentage: Number(row.completion), play_count: Number(row.play_count) };
}
