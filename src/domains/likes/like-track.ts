import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { notFound } from "../../lib/errors";
import { visibleTo } from "../tracks/track-view";
import type { LikeState } from "./schemas";

/**
 * PUT and DELETE /v1/tracks/:id/like, each one statement (one round trip): the track must be
 * visible to the user (anyone else's private track is 404, as if it did not exist), then the like
 * is inserted (ON CONFLICT DO NOTHING) or deleted. Both are idempotent: liking twice or unliking a
 * track never liked changes nothing and answers the same state.
 *
 * tracks.like_count is kept by trg_track_likes_like_count, which runs after this statement's
 * snapshot was taken: the count answered is the snapshot's plus the change made here. Concurrent
 * likes of other users may land between the two, so it is exact as of this statement, and the
 * stored counter stays exact whatever the interleaving (the unique (user, track) constraint
 * decides which of two racing identical likes inserts).
 */
export async function setLike(db: Database, trackId: string, userId: string, liked: boolean): Promise<LikeState> {
  const change = liked
    ? sql`INSERT INTO track_likes (user_id, track_id) SELECT ${userId}, id FROM target
          ON CONFLICT (user_id, track_id) DO NOTHING RETURNING 1`
    : sql`DELETE FROM track_likes WHERE user_id = ${userId} AND track_id = (SELECT id FROM target) RETURNING 1`;
  const { rows } = await db.execute<{ like_count: number | null }>(sql`
    WITH target AS (
      SELECT t.id, t.like_count FROM tracks t JOIN users u ON u.id = t.creator_id
       WHERE t.id = ${trackId} AND ${visibleTo(userId)}
    ), changed AS (${change})
    SELECT target.like_count ${liked ? sql`+` : sql`-`} (SELECT count(*) FROM changed)::int AS like_count
      FROM (SELECT 1) AS one LEFT JOIN target ON true`);
  const count = rows[0]?.like_count;
  if (count === null || count === undefined) throw notFound("This track");
  return { liked, like_count: Math.max(Number(count), 0) };
}
