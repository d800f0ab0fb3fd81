import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { notFound } from "../../lib/errors";
import { profileFoundBy } from "../users/sql-fragments";
import { iso } from "../tracks/track-view";
import type { UserStatistics } from "./schemas";

/**
 * GET /v1/users/:username/statistics, one round trip: the user's row of the daily user_statistics
 * snapshot (§23.2), found by exactly the rule of GET /v1/users/:username (deleted and banned
 * accounts are 404, a private profile is 404 to anyone but its owner, unlisted ones are found by
 * name). The snapshot's total plays and likes sum private tracks too, which the public must not
 * learn: only the owner gets them (the public profile shows live totals over public tracks). A
 * user created since the last refresh has no row yet: zeros until the next one.
 */
export async function findUserStatistics(db: Database, username: string, viewerId: string | null): Promise<UserStatistics> {
  const { rows } = await db.execute<{ statistics: UserStatistics }>(sql`
    SELECT json_build_object(
             'user_id', u.id,
             'username', u.username,
             'track_count', COALESCE(s.track_count, 0),
             'playlist_count', COALESCE(s.playlist_count, 0),
             'follower_count', COALESCE(s.follower_count, 0),
             'following_count', COALESCE(s.following_count, 0),
             'total_plays', CASE WHEN u.id = ${viewerId}::uuid THEN COALESCE(s.total_plays, 0) END,
             'total_likes', CASE WHEN u.id = ${viewerId}::uuid THEN COALESCE(s.total_likes, 0) END,
             'last_track_uploaded', ${iso("s.last_track_uploaded")}) AS statistics
      FROM users u
      JOIN user_profiles p ON p.user_id = u.id
      LEFT JOIN user_statistics s ON s.user_id = u.id
     WHERE ${profileFoundBy(username, viewerId)}`);
  const statistics = rows[0]?.statistics;
  if (!statistics) throw notFound("This profile");
  return statistics;
}
