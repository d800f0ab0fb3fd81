import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { Playlist, Role, UpdatePlaylistInput } from "./schemas";
import { coverError } from "./create-playlist";
import { MANAGERS, refusal, seenColumns, selectPlaylist, target, toPlaylist, type PlaylistRow, type Seen } from "./playlist-view";

function setClause(patch: UpdatePlaylistInput): SQL {
  const sets: SQL[] = [];
  if (patch.name !== undefined) sets.push(sql`name = ${patch.name}`);
  if (patch.description !== undefined) sets.push(sql`description = ${patch.description}`);
  if (patch.visibility !== undefined) sets.push(sql`visibility = ${patch.visibility}::visibility`);
  if (patch.is_collaborative !== undefined) sets.push(sql`is_collaborative = ${patch.is_collaborative}`);
  // cover_url follows (trg_playlists_cover_url)
  if (patch.cover_file_id !== undefined) sets.push(sql`cover_file_id = ${patch.cover_file_id}::uuid`);
  return sql.join(sets, sql`, `);
}

/**
 * PATCH /v1/playlists/:id, one statement: who may (name, description and cover: the owner or an
 * admin collaborator; visibility and is_collaborative: the owner only), the cover check (one of the
 * caller's live images), the change and the answer.
 */
export async function updatePlaylist(db: Database, secret: string, playlistId: string, userId: string, patch: UpdatePlaylistInput): Promise<Playlist> {
  const ownerOnly = patch.visibility !== undefined || patch.is_collaborative !== undefined;
  const allowed: Role[] = ownerOnly ? ["owner"] : MANAGERS;
  const cover = patch.cover_file_id ?? null;
  const { rows } = await db.execute<Partial<PlaylistRow> & Seen & { cover_mime: string | null }>(sql`
    WITH target AS (${target(playlistId, userId)}),
    cover AS (
      SELECT id, mime_type FROM files WHERE id = ${cover}::uuid AND user_id = ${userId} AND deleted_at IS NULL
    ), updated AS (
      UPDATE playlists SET ${setClause(patch)}
       WHERE id = (SELECT id FROM target) AND (SELECT role FROM target) IN (${sql.join(allowed.map((r) => sql`${r}`), sql`, `)})
         AND (${cover}::uuid IS NULL OR EXISTS (SELECT 1 FROM cover WHERE mime_type LIKE 'image/%'))
      RETURNING *
    )
    SELECT ${seenColumns}, (SELECT mime_type FROM cover) AS cover_mime, v.*
      FROM (SELECT 1) AS one
      LEFT JOIN (${selectPlaylist(sql`updated`, userId)}) v ON true`);
  const row = rows[0]!;
  if (row.id) return toPlaylist(row as PlaylistRow, secret);
  const refused = refusal(row, allowed, ownerOnly ? "Only the playlist's owner can change its visibility or whether it is collaborative." : "Only the owner or an admin collaborator can change this playlist.");
  throw refused ?? coverError(row.cover_mime);
}
