import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { notFound } from "../../lib/errors";
import type { Visibility } from "../tracks/schemas";
import { visibleTo } from "../tracks/track-view";
import type { Playlist } from "./schemas";
import { playlistVisible, selectPlaylist, toPlaylist, type PlaylistRow } from "./playlist-view";

/**
 * POST /v1/playlists/:id/duplicate: a new playlist of the caller's (private unless told) with the
 * tracks of the source the caller may see, in order, renumbered 0..n-1, added by the caller. One
 * statement: the source's access check, both inserts, and the answer — whose counts are computed
 * from the copied rows, since the counter triggers' updates are not visible to the statement.
 * The cover is not copied (it is the source owner's file).
 */
export async function duplicatePlaylist(
  db: Database,
  secret: string,
  playlistId: string,
  userId: string,
  input: { name?: string; visibility?: Visibility },
): Promise<Playlist> {
  const id = crypto.randomUUID();
  const { rows } = await db.execute<PlaylistRow & { copied: number; copied_duration: number }>(sql`
    WITH source AS (
      SELECT p.id, p.name, p.description FROM playlists p JOIN users o ON o.id = p.user_id
        LEFT JOIN playlist_collaborators mc ON mc.playlist_id = p.id AND mc.user_id = ${userId}::uuid AND mc.status = 'accepted'
       WHERE p.id = ${playlistId} AND ${playlistVisible(userId)}
    ), created AS (
      INSERT INTO playlists (id, user_id, name, description, visibility)
      SELECT ${id}, ${userId}, COALESCE(${input.name ?? null}, left(name, 248) || ' (copy)'), description, ${input.visibility ?? "private"}::visibility FROM source
      RETURNING *
    ), copied AS (
      INSERT INTO playlist_tracks (playlist_id, track_id, position, added_by)
      SELECT ${id}, pt.track_id, (row_number() OVER (ORDER BY pt.position) - 1)::int, ${userId}
        FROM playlist_tracks pt JOIN tracks t ON t.id = pt.track_id JOIN users u ON u.id = t.creator_id
       WHERE pt.playlist_id = (SELECT id FROM source) AND ${visibleTo(userId)}
      RETURNING track_id
    )
    SELECT v.*, (SELECT count(*) FROM copied)::int AS copied,
           (SELECT COALESCE(sum(t.duration), 0) FROM copied c JOIN tracks t ON t.id = c.track_id)::int AS copied_duration
      FROM (${selectPlaylist(sql`created`, userId)}) v`);
  const row = rows[0];
  if (!row) throw notFound("This playlist");
  return toPlaylist({ ...row, track_count: row.copied, duration_seconds: row.copied_duration }, secret);
}
