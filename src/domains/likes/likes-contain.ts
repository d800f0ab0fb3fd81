import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { visibleTo } from "../tracks/track-view";

/**
 * GET /v1/me/likes/contains?track_ids=...: for each id asked, in the order asked, whether I like
 * that track; one round trip (one probe of uq_track_likes_user_track per id). A track I cannot see
 * answers false, exactly like an id that names no track, so the call reveals nothing of others'
 * private tracks.
 */
export async function likesContain(db: Database, userId: string, trackIds: string[]): Promise<{ track_id: string; liked: boolean }[]> {
  const { rows } = await db.execute<{ track_id: string; liked: boolean }>(sql`
    SELECT asked.id AS track_id,
           EXISTS (SELECT 1 FROM track_likes l
                     JOIN tracks t ON t.id = l.track_id
                     JOIN users u ON u.id = t.creator_id
                    WHERE l.user_id = ${userId} AND l.track_id = asked.id AND ${visibleTo(userId)}) AS liked
      FROM unnest(${`{${trackIds.join(",")}}`}::uuid[]) WITH ORDINALITY AS asked(id, n)
     ORDER BY asked.n`);
  return rows.map((row) => ({ track_id: row.track_id, liked: row.liked }));
}
