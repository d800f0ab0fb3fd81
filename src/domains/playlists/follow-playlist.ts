import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, notFound } from "../../lib/errors";
import { playlistVisible } from "./playlist-view";

interface FollowRow {
  owner_id: string | null;
  follower_count: number;
  changed: number;
  [column: string]: unknown;
}

/**
 * PUT / DELETE /v1/playlists/:id/follow, idempotent: following twice or unfollowing a playlist
 * not followed changes nothing. follower_count is kept by the trigger; the answer adds this
 * statement's change to what it saw. Following one's own playlist is refused (409). One statement.
 */
export async function setFollow(db: Database, playlistId: string, userId: string, follow: boolean) {
  const { rows } = await db.execute<FollowRow>(sql`
    WITH pl AS (
      SELECT p.id, p.user_id, p.follower_count FROM playlists p JOIN users o ON o.id = p.user_id
        LEFT JOIN playlist_collaborators mc ON mc.playlist_id = p.id AND mc.user_id = ${userId}::uuid AND mc.status = 'accepted'
       WHERE p.id = ${playlistId} AND ${playlistVisible(userId)}
    ), changed AS (
      ${
        follow
          ? sql`INSERT INTO playlist_follows (playlist_id, user_id) SELECT id, ${userId} FROM pl WHERE user_id <> ${userId}
                ON CONFLICT (playlist_id, user_id) DO NOTHING RETURNING id`
          : sql`DELETE FROM playlist_follows WHERE playlist_id = (SELECT id FROM pl) AND user_id = ${userId} RETURNING id`
      }
    )
    SELECT user_id AS owner_id, follower_count, (SELECT count(*) FROM changed)::int AS changed FROM pl`);
  const row = rows[0];
  if (!row) throw notFound("This playlist");
  if (follow && row.owner_id === userId) throw new ApiError("conflict", "You cannot follow your own playlist.");
  const count = Number(row.follower_count) + (follow ? 1 : -1) * Number(row.changed);
  return { following: follow, follower_count: Math.max(count, 0) };
}
