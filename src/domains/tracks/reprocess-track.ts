import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { Env } from "../../env";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { enqueueProcessing, HLS_TARGET, STUCK_AFTER_MINUTES } from "./processing";
import type { Track } from "./schemas";
import { selectTrack, toTrack, type TrackRow } from "./track-view";

interface ReprocessRow extends Partial<TrackRow> {
  target_creator: string | null;
  target_visibility: string | null;
  target_status: Track["status"] | null;
  conversion_id: string | null;
}

/**
 * POST /v1/tracks/:id/reprocess, by the owner, for a track that will not get ready by itself:
 *  - failed (a corrupt upload stays failed, but a transient failure that exhausted the retries
 *    may succeed now);
 *  - whose latest conversion failed while the track is still pending (its message could not be
 *    queued: see enqueueProcessing);
 *  - pending or processing with no change for STUCK_AFTER_MINUTES (a lost message).
 * One statement: older unfinished conversions of the file are marked failed ("superseded"), a new
 * conversion is created and the track goes back to pending; then the new run is queued. A ready
 * track is not reprocessed (409), nor one that is making progress.
 */
export async function reprocessTrack(db: Database, env: Pick<Env, "MEDIA_QUEUE" | "JWT_SECRET">, trackId: string, userId: string): Promise<Track> {
  const { rows } = await db.execute<ReprocessRow>(sql`
    WITH target AS (
      SELECT t.id, t.creator_id, t.visibility, t.status, t.file_id,
             t.status = 'failed'
             OR (t.status = 'pending' AND latest.status = 'failed')
             OR (t.status IN ('pending', 'processing') AND t.updated_at < now() - make_interval(mins => ${STUCK_AFTER_MINUTES})) AS reprocessable
        FROM tracks t JOIN users u ON u.id = t.creator_id
        LEFT JOIN LATERAL (
          SELECT c.status FROM file_conversions c WHERE c.source_file_id = t.file_id ORDER BY c.created_at DESC, c.id DESC LIMIT 1
        ) latest ON true
       WHERE t.id = ${trackId} AND t.deleted_at IS NULL AND u.deleted_at IS NULL AND NOT u.is_banned
    ), eligible AS (
      SELECT id, file_id FROM target WHERE creator_id = ${userId} AND reprocessable
    ), superseded AS (
      UPDATE file_conversions SET status = 'failed', error_message = 'Superseded by a new processing run.'
       WHERE source_file_id IN (SELECT file_id FROM eligible) AND status IN ('pending', 'processing')
      RETURNING id
    ), conversion AS (
      INSERT INTO file_conversions (source_file_id, target_format, target_quality)
      SELECT file_id, ${HLS_TARGET.format}, ${HLS_TARGET.quality} FROM eligible
      RETURNING id
    ), updated AS (
      UPDATE tracks SET status = 'pending', processing_progress = 0, processing_error = NULL
       WHERE id IN (SELECT id FROM eligible)
      RETURNING *
    )
    SELECT target.creator_id AS target_creator, target.visibility AS target_visibility, target.status AS target_status,
           (SELECT id FROM conversion) AS conversion_id, (SELECT count(*) FROM superseded) AS superseded, v.*
      FROM (SELECT 1) AS one
      LEFT JOIN target ON true
      LEFT JOIN (${selectTrack(sql`updated`, { waveform: true })}) v ON true`);
  const row = rows[0]!;
  if (!row.id || !row.conversion_id) {
    if (!row.target_creator || (row.target_visibility === "private" && row.target_creator !== userId)) throw notFound("This track");
    if (row.target_creator !== userId) throw forbidden("Only the track's creator can reprocess it.");
    throw new ApiError(
      "conflict",
      row.target_status === "ready"
        ? "This track is ready; there is nothing to reprocess."
        : `This track is being processed; it can be reprocessed if it fails, or if it makes no progress for ${STUCK_AFTER_MINUTES} minutes.`,
    );
  }
  await enqueueProcessing(db, env, row.id, row.conversion_id);
  return toTrack(row as TrackRow, userId, env.JWT_SECRET);
}
