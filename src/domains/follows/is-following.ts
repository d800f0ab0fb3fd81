import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";

/**
 * GET /v1/me/following/:username, one probe of uq_follows_follower_following. A name nobody live
 * has, or a banned account, answers false rather than 404: the answer then reveals nothing about
 * accounts you do not already follow.
 */
export async function isFollowing(db: Database, followerId: string, username: string): Promise<{ following: boolean }> {
  const { rows } = await db.execute<{ following: boolean }>(sql`
    SELECT EXISTS (
      SELECT 1 FROM follows f JOIN users u ON u.id = f.following_id
       WHERE f.follower_id = ${followerId}::uuid AND lower(u.username) = lower(${username})
         AND u.deleted_at IS NULL AND NOT u.is_banned) AS following`);
  return { following: rows[0]!.following };
}
