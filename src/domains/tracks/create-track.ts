import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { Env } from "../../env";
import { ApiError } from "../../lib/errors";
import { enqueueProcessing, HLS_TARGET } from "./processing";
import { AUDIO_MIME_TYPES, type CreateTrackInput, type Track } from "./schemas";
import { selectTrack, toTrack, type TrackRow } from "./track-view";

interface CreatedRow extends Partial<TrackRow> {
  file_mime: string | null;
  cover_mime: string | null;
  taken_by: string | null;
  conversion_id: string | null;
}

const audioTypes = sql.join(AUDIO_MIME_TYPES.map((t) => sql`${t}`), sql`, `);

/**
 * POST /v1/tracks. One statement: checks the audio file and the cover are the caller's own live
 * files of the right kind, and that no live track already plays this file (a retried POST must not
 * make a second track and a second processing run); inserts the track (pending) and its
 * file_conversions row together, and answers with the new track. Then the processing message is
 * queued (see enqueueProcessing for when the queue refuses).
 */
export async function createTrack(db: Database, env: Pick<Env, "MEDIA_QUEUE" | "JWT_SECRET">, userId: string, input: CreateTrackInput): Promise<Track> {
  const cover = input.cover_art_file_id ?? null;
  const { rows } = await db.execute<CreatedRow>(sql`
    WITH file AS (
      SELECT id, mime_type FROM files WHERE id = ${input.file_id} AND user_id = ${userId} AND deleted_at IS NULL
    ), cover AS (
      SELECT id, mime_type FROM files WHERE id = ${cover}::uuid AND user_id = ${userId} AND deleted_at IS NULL
    ), taken AS (
      SELECT id FROM tracks WHERE file_id = ${input.file_id} AND deleted_at IS NULL LIMIT 1
    ), inserted AS (
      INSERT INTO tracks (creator_id, file_id, title, description, artist, album, genre, bpm, musical_key,
                          visibility, is_downloadable, cover_art_file_id)
      SELECT ${userId}::uuid, file.id, ${input.title}, ${input.description ?? null}, ${input.artist ?? null}, ${input.album ?? null},
             ${input.genre ?? null}, ${input.bpm ?? null}::int, ${input.musical_key ?? null},
             ${input.visibility ?? "public"}::visibility, ${input.is_downloadable ?? false}::boolean, (SELECT id FROM cover)
        FROM file
       WHERE file.mime_type IN (${audioTypes})
         AND NOT EXISTS (SELECT 1 FROM taken)
         AND (${cover}::uuid IS NULL OR EXISTS (SELECT 1 FROM cover WHERE mime_type LIKE 'image/%'))
      RETURNING *
    ), conversion AS (
      INSERT INTO file_conversions (source_file_id, target_format, target_quality)
      SELECT file_id, ${HLS_TARGET.format}, ${HLS_TARGET.quality} FROM inserted
      RETURNING id
    )
    SELECT (SELECT mime_type FROM file) AS file_mime, (SELECT mime_type FROM cover) AS cover_mime,
           (SELECT id FROM taken) AS taken_by, (SELECT id FROM conversion) AS conversion_id, v.*
      FROM (SELECT 1) AS one
      LEFT JOIN (${selectTrack(sql`inserted`, { waveform: true })}) v ON true`);
  const row = rows[0]!;

  if (!row.id || !row.conversion_id) throw refusal(row, cover);
  await enqueueProcessing(db, env, row.id, row.conversion_id);
  return toTrack(row as TrackRow, userId, env.JWT_SECRET);
}

/** Why nothing was inserted, from what the statement saw. */
function refusal(row: CreatedRow, cover: string | null): ApiError {
  const field = (path: string, message: string) => new ApiError("validation_failed", "The request is not valid.", { errors: [{ path, message }] });
  if (!row.file_mime) return field("json.file_id", "is not one of your files");
  if (!(AUDIO_MIME_TYPES as readonly string[]).includes(row.file_mime)) {
    return field("json.file_id", `is ${row.file_mime}, not audio the platform can process (WAV, FLAC or MP3)`);
  }
  if (cover && !row.cover_mime) return field("json.cover_art_file_id", "is not one of your files");
  if (cover && !row.cover_mime!.startsWith("image/")) return field("json.cover_art_file_id", `is ${row.cover_mime}, not an image`);
  if (row.taken_by) return new ApiError("conflict", `This file is already the audio of track ${row.taken_by}.`);
  return new ApiError("conflict", "The track could not be created; retry the request.");
}
