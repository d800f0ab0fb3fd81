import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import type { Track, UpdateTrackInput, Visibility } from "./schemas";
import { selectTrack, toTrack, type TrackRow } from "./track-view";

/** Columns a PATCH may set, by their JSON name (the same name). */
const PATCHABLE = ["title", "description", "artist", "album", "genre", "bpm", "musical_key", "visibility", "is_downloadable", "cover_art_file_id"] as const;

const CASTS: Partial<Record<(typeof PATCHABLE)[number], string>> = {
  bpm: "int",
  visibility: "visibility",
  is_downloadable: "boolean",
  cover_art_file_id: "uuid",
};

function setClause(patch: UpdateTrackInput): SQL {
  const given = PATCHABLE.filter((column) => patch[column] !== undefined);
  return sql.join(
    given.map((column) => {
      const cast = CASTS[column];
      return sql`${sql.identifier(column)} = ${patch[column] ?? null}${cast ? sql.raw(`::${cast}`) : sql``}`;
    }),
    sql`, `,
  );
}

interface UpdatedRow extends Partial<TrackRow> {
  target_creator: string | null;
  target_visibility: Visibility | null;
  cover_mime: string | null;
}

/**
 * PATCH /v1/tracks/:id by its owner, one statement: the change, the checks (the track is theirs;
 * a new cover is their own live image) and the answer. A track that becomes public once ready gets
 * its published_at then (processing sets it when a public track becomes ready). A private track is
 * 404 to anyone else, a visible one 403.
 */
export async function updateTrack(db: Database, secret: string, trackId: string, userId: string, patch: UpdateTrackInput): Promise<Track> {
  const cover = patch.cover_art_file_id ?? null;
  const { rows } = await db.execute<UpdatedRow>(sql`
    WITH target AS (
      SELECT t.creator_id, t.visibility FROM tracks t JOIN users u ON u.id = t.creator_id
       WHERE t.id = ${trackId} AND t.deleted_at IS NULL AND u.deleted_at IS NULL AND NOT u.is_banned
    ), cover AS (
      SELECT id, mime_type FROM files WHERE id = ${cover}::uuid AND user_id = ${userId} AND deleted_at IS NULL
    ), updated AS (
      UPDATE tracks SET ${setClause(patch)},
             published_at = CASE WHEN published_at IS NULL AND status = 'ready' AND ${patch.visibility ?? null}::visibility = 'public'
                                 THEN now() ELSE published_at END
       WHERE id = ${trackId} AND creator_id = ${userId} AND EXISTS (SELECT 1 FROM target)
         AND (${cover}::uuid IS NULL OR EXISTS (SELECT 1 FROM cover WHERE mime_type LIKE 'image/%'))
      RETURNING *
    )
    SELECT (SELECT creator_id FROM target) AS target_creator, (SELECT visibility FROM target) AS target_visibility,
           (SELECT mime_type FROM cover) AS cover_mime, v.*
      FROM (SELECT 1) AS one
      LEFT JOIN (${selectTrack(sql`updated`, { waveform: true })}) v ON true`);
  const row = rows[0]!;
  if (row.id) return toTrack(row as TrackRow, userId, secret);

  if (!row.target_creator || (row.target_visibility === "private" && row.target_creator !== userId)) throw notFound("This track");
  if (row.target_creator !== userId) throw forbidden("Only the track's creator can change it.");
  const message = row.cover_mime ? `is ${row.cover_mime}, not an image` : "is not one of your files";
  throw new ApiError("validation_failed", "The request is not valid.", { errors: [{ path: "json.cover_art_file_id", message }] });
}
