import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "../../db/client";
import type { MessageHandler } from "../../jobs/queue";
import { MediaError, processAudio, type AudioReport, type HlsSink, type ProcessOptions } from "../../media/pipeline";
import { hlsPrefix, MEDIA_PROCESS } from "./messages";

const MessageSchema = z.object({ type: z.literal(MEDIA_PROCESS), trackId: z.uuid(), conversionId: z.uuid() });

/** The types the pipeline decodes; `files.mime_type` is the sniffed type, set when the upload completed. */
const DECODABLE = new Set<ProcessOptions["sourceMime"]>(["audio/wav", "audio/flac", "audio/mpeg"]);

/** Progress is written to the database at most every this many percent. */
const PROGRESS_STEP = 10;

type Job = {
  conversion_status: "pending" | "processing" | "completed" | "failed";
  /** A newer conversion of the same file exists (POST /v1/tracks/:id/reprocess): this run is stale. */
  superseded: boolean;
  track_deleted: boolean;
  storage_path: string;
  mime_type: string;
  file_size: number | string;
};

/** What this run has to work on, or null when there is nothing left to do for the message. */
async function loadJob(db: Database, trackId: string, conversionId: string): Promise<Job | null> {
  const { rows } = await db.execute<Job>(sql`
    SELECT c.status AS conversion_status, t.deleted_at IS NOT NULL AS track_deleted,
           EXISTS (SELECT 1 FROM file_conversions n
                    WHERE n.source_file_id = c.source_file_id AND n.target_format = c.target_format
                      AND (n.created_at, n.id) > (c.created_at, c.id)) AS superseded,
           f.storage_path, f.mime_type, f.file_size
      FROM file_conversions c
      JOIN tracks t ON t.id = ${trackId} AND t.file_id = c.source_file_id
      JOIN files f ON f.id = c.source_file_id
     WHERE c.id = ${conversionId}`);
  return rows[0] ?? null;
}

/** Marks the run started (one statement): the conversion counts the attempt, the track shows it. */
async function markProcessing(db: Database, trackId: string, conversionId: string): Promise<void> {
  await db.execute(sql`
    WITH c AS (
      UPDATE file_conversions SET status = 'processing', progress = 0, attempts = attempts + 1
       WHERE id = ${conversionId} RETURNING id)
    UPDATE tracks SET status = 'processing', processing_progress = 0, processing_error = NULL
     WHERE id = ${trackId} AND EXISTS (SELECT 1 FROM c)`);
}

async function markProgress(db: Database, trackId: string, conversionId: string, percent: number): Promise<void> {
  await db.execute(sql`
    WITH c AS (UPDATE file_conversions SET progress = ${percent} WHERE id = ${conversionId} AND status = 'processing' RETURNING id)
    UPDATE tracks SET processing_progress = ${percent} WHERE id = ${trackId} AND EXISTS (SELECT 1 FROM c)`);
}

/**
 * A run that cannot succeed (the file is not decodable audio), or that gave up: the track, its
 * conversion and its file all say why, in one statement.
 */
export async function markFailed(db: Database, trackId: string, conversionId: string, reason: string): Promise<void> {
  await db.execute(sql`
    WITH c AS (
      UPDATE file_conversions SET status = 'failed', error_message = ${reason}
       WHERE id = ${conversionId} AND status <> 'completed' RETURNING source_file_id),
    f AS (UPDATE files SET processing_error = ${reason} WHERE id IN (SELECT source_file_id FROM c) RETURNING id)
    UPDATE tracks SET status = 'failed', processing_error = ${reason}
     WHERE id = ${trackId} AND EXISTS (SELECT 1 FROM c)`);
}

/** Everything the run measured and wrote, in one statement: track, file metadata, conversion, file. */
async function markReady(db: Database, trackId: string, conversionId: string, prefix: string, report: AudioReport): Promise<void> {
  const seconds = Math.max(1, Math.round(report.durationMs / 1000));
  const lufs = report.integratedLufs?.toFixed(2) ?? null;
  const peak = report.truePeakDbtp?.toFixed(2) ?? null;
  const gain = report.replayGainDb?.toFixed(2) ?? null;
  const kbps = Math.max(1, Math.round(report.bitrate / 1000));
  const facts = {
    codec: report.codec,
    sample_rate: report.sampleRate,
    channels: report.channels,
    bit_depth: report.bitDepth ?? null,
    renditions: report.renditions,
  };
  await db.execute(sql`
    WITH c AS (
      UPDATE file_conversions SET status = 'completed', progress = 100, error_message = NULL, completed_at = now()
       WHERE id = ${conversionId} RETURNING source_file_id),
    f AS (
      UPDATE files SET is_processed = true, processed_at = now(), processing_error = NULL,
                       metadata = coalesce(metadata, '{}'::jsonb) || ${JSON.stringify(facts)}::jsonb
       WHERE id IN (SELECT source_file_id FROM c) RETURNING id),
    m AS (
      INSERT INTO file_metadata (file_id, duration, duration_ms, bitrate, sample_rate, channels, codec, audio_codec, format,
                                 integrated_lufs, true_peak_dbtp, replay_gain_db, raw_metadata)
      SELECT id, ${seconds}, ${report.durationMs}, ${kbps}, ${report.sampleRate}, ${report.channels}, ${report.codec}, ${report.codec},
             ${report.codec}, ${lufs}, ${peak}, ${gain}, ${JSON.stringify(facts)}::jsonb
        FROM f
      ON CONFLICT (file_id) DO UPDATE SET
        duration = excluded.duration, duration_ms = excluded.duration_ms, bitrate = excluded.bitrate,
        sample_rate = excluded.sample_rate, channels = excluded.channels, codec = excluded.codec,
        audio_codec = excluded.audio_codec, format = excluded.format, integrated_lufs = excluded.integrated_lufs,
        true_peak_dbtp = excluded.true_peak_dbtp, replay_gain_db = excluded.replay_gain_db,
        raw_metadata = excluded.raw_metadata, updated_at = now()
      RETURNING id)
    UPDATE tracks SET
      status = 'ready', processing_progress = 100, processing_error = NULL, hls_path = ${prefix},
      duration = ${seconds}, duration_ms = ${report.durationMs}, waveform_data = ${JSON.stringify(report.waveform)}::jsonb,
      integrated_lufs = ${lufs}, true_peak_dbtp = ${peak}, replay_gain_db = ${gain},
      published_at = CASE WHEN published_at IS NULL AND visibility = 'public' THEN now() ELSE published_at END
     WHERE id = ${trackId} AND deleted_at IS NULL AND EXISTS (SELECT 1 FROM m)`);
}

const SEGMENT_CACHE = "public, max-age=31536000, immutable";

/** Writes a run's playlists and segments under its own prefix; a redelivered run overwrites the same keys. */
export function r2Sink(bucket: R2Bucket, prefix: string): HlsSink {
  return {
    async putSegment(rendition, name, bytes) {
      await bucket.put(`${prefix}/${rendition}/${name}`, bytes, { httpMetadata: { contentType: "audio/mpeg", cacheControl: SEGMENT_CACHE } });
    },
    async putPlaylist(path, text) {
      await bucket.put(`${prefix}/${path}`, text, { httpMetadata: { contentType: "application/vnd.apple.mpegurl" } });
    },
  };
}

/**
 * "media.process": the original of a track → analysis (duration, loudness, waveform) and HLS
 * renditions in R2, then the track is ready. Idempotent: a completed conversion is not redone, and a
 * run writes under `hls/<track>/<conversion>/`, so a redelivery overwrites its own objects.
 *
 * Failures of the input (not audio, corrupt, unsupported) are final: the track says why at once and
 * the message is acknowledged. Anything else (R2, the database) is thrown, so the dispatcher retries
 * with backoff; the attempt's error is kept on the conversion, and the dead-letter handler below turns
 * the last one into the track's error when every attempt has failed.
 */
const processTrack: MessageHandler = async (body, { env, db, log, attempts }) => {
  const parsed = MessageSchema.safeParse(body);
  if (!parsed.success) throw new Error(`malformed ${MEDIA_PROCESS} message`);
  const { trackId, conversionId } = parsed.data;

  const job = await loadJob(db, trackId, conversionId);
  if (!job) return log.warn("media: no such track/conversion; dropping the message", { trackId, conversionId });
  if (job.conversion_status === "completed") return log.info("media: already processed", { trackId, conversionId });
  // A failed conversion was given up on (superseded by a reprocess, or never queued): the track's
  // state belongs to whichever run replaced it.
  if (job.conversion_status === "failed" || job.superseded) return log.info("media: stale run dropped", { trackId, conversionId });
  if (job.track_deleted) return markFailed(db, trackId, conversionId, "The track was deleted before it was processed.");
  const mime = job.mime_type as ProcessOptions["sourceMime"];
  if (!DECODABLE.has(mime)) return markFailed(db, trackId, conversionId, `Unsupported audio type ${job.mime_type}: upload WAV, FLAC or MP3.`);

  await markProcessing(db, trackId, conversionId);
  const prefix = hlsPrefix(trackId, conversionId);
  let reported = 0;
  const started = Date.now();
  try {
    const source = await env.MEDIA.get(job.storage_path);
    if (!source) throw new MediaError("The original file is missing from storage; upload it again.");
    const report = await processAudio(source.body, r2Sink(env.MEDIA, prefix), {
      sourceMime: mime,
      sourceSize: Number(job.file_size),
      onProgress: async (fraction) => {
        // 99 at most: 100 means "ready", which only markReady says.
        const percent = Math.min(99, Math.floor((fraction * 100) / PROGRESS_STEP) * PROGRESS_STEP);
        if (percent <= reported) return;
        reported = percent;
        await markProgress(db, trackId, conversionId, percent);
      },
    });
    await markReady(db, trackId, conversionId, prefix, report);
    log.info("media: track ready", {
      trackId, conversionId, durationMs: report.durationMs, tookMs: Date.now() - started,
      renditions: report.renditions.map((r) => r.name).join(","),
    });
  } catch (err) {
    if (err instanceof MediaError) {
      log.warn("media: unprocessable input", { trackId, conversionId, reason: err.message });
      await markFailed(db, trackId, conversionId, err.message);
      return;
    }
    const reason = err instanceof Error ? err.message : String(err);
    // Kept for the dead-letter handler; best effort, the retry is what matters.
    await db
      .execute(sql`UPDATE file_conversions SET error_message = ${`attempt ${attempts}: ${reason}`} WHERE id = ${conversionId}`)
      .catch(() => undefined);
    throw err;
  }
};

/** Every attempt failed: the track becomes failed with the last attempt's error. */
const giveUp: MessageHandler = async (body, { db, log }) => {
  const parsed = MessageSchema.safeParse(body);
  if (!parsed.success) return log.error("media: malformed dead letter", { body });
  const { trackId, conversionId } = parsed.data;
  const { rows } = await db.execute<{ error_message: string | null; attempts: number }>(
    sql`SELECT error_message, attempts FROM file_conversions WHERE id = ${conversionId}`,
  );
  const last = rows[0]?.error_message;
  const reason = `Processing failed after ${rows[0]?.attempts ?? "several"} attempts${last ? ` (${last})` : ""}. Try again later with reprocess.`;
  await markFailed(db, trackId, conversionId, reason);
  log.error("media: gave up on a track", { trackId, conversionId, reason });
};

export const mediaMessageHandlers: Record<string, MessageHandler> = { [MEDIA_PROCESS]: processTrack };
export const mediaDeadLetterHandlers: Record<string, MessageHandler> = { [MEDIA_PROCESS]: giveUp };
