import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError } from "../../lib/errors";
import type { CreatePlaylistInput, Playlist } from "./schemas";
import { selectPlaylist, toPlaylist, type PlaylistRow } from "./playlist-view";

/** The 422 for a cover that is not one of the caller's live images. */
export function coverError(mime: string | null): ApiError {
  const message = mime ? `is ${mime}, not an image` : "is not one of your files";
  return new ApiError("validation_failed", "The request is not valid.", { errors: [{ path: "json.cover_file_id", message }] });
}

/**
 * POST /v1/playlists, one statement: the cover check (one of the caller's live images), the insert
 * and the answer. cover_url (the spec's column) is written by trg_playlists_cover_url.
 */
export async function createPlaylist(db: Database, secret: string, userId: string, input: CreatePlaylistInput): Promise<Playlist> {
  const cover = input.cover_file_id ?? null;
  const { rows } = await db.execute<Partial<PlaylistRow> & { cover_mime: string | null }>(sql`
    WITH cover AS (
      SELECT id, mime_type FROM files WHERE id = ${cover}::uuid AND user_id = ${userId} AND deleted_at IS NULL
    ), inserted AS (
      INSERT INTO playlists (user_id, name, description, visibility, is_collaborative, cover_file_id)
      SELECT ${userId}, ${input.name}, ${input.description ?? null}, ${input.visibility ?? "public"}::visibility,
             ${input.is_collaborative ?? false}, ${cover}::uuid
       WHERE ${cover}::uuid IS NULL OR EXISTS (SELECT 1 FROM cover WHERE mime_type LIKE 'image/%')
      RETURNING *
    )
    SELECT (SELECT mime_type FROM cover) AS cover_mime, v.*
      FROM (SELECT 1) AS one
      LEFT JOIN (${selectPlaylist(sql`inserted`, userId)}) v ON true`);
  const row = rows[0]!;
  if (!row.id) throw coverError(row.cover_mime);
  return toPlaylist(row as PlaylistRow, secret);
}
