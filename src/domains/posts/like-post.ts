import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { notFound } from "../../lib/errors";
import { notifiedJson, notifyInsert, type PushedNotification, toNotifications } from "../notifications/notify";
import { postVisibleTo } from "./post-view";

type LikeRow = { id: string | null; like_count: number | null; notifications: unknown };

/**
 * PUT /v1/posts/:id/like, one statement: the like is inserted when the post is visible to you (a
 * block either way hides it: 404); idempotent (ON CONFLICT DO NOTHING). A like actually inserted
 * notifies the post's author (type like, once per liker and post: unlike and like again does not
 * notify twice). like_count is the snapshot's plus the row inserted here; the stored counter is
 * kept by trg_post_likes_like_count.
 */
export async function likePost(db: Database, postId: string, userId: string): Promise<{ state: { liked: boolean; like_count: number }; notifications: PushedNotification[] }> {
  const { rows } = await db.execute<LikeRow>(sql`
    WITH target AS (
      SELECT p.id, p.user_id, p.content, p.like_count FROM posts p WHERE p.id = ${postId}::uuid AND ${postVisibleTo(userId)}
    ), liked AS (
      INSERT INTO post_likes (user_id, post_id) SELECT ${userId}::uuid, t.id FROM target t
      ON CONFLICT (user_id, post_id) DO NOTHING
      RETURNING post_id
    ), notified AS (${notifyInsert({
      from: sql`liked l JOIN target t ON t.id = l.post_id`,
      recipient: sql`t.user_id`,
      actor: userId,
      type: "like",
      entity: { type: "post", id: sql`t.id` },
      body: sql`left(t.content, 280)`,
      data: sql`jsonb_build_object('post_id', t.id)`,
      once: true,
    })})
    SELECT t.id, t.like_count + (SELECT count(*) FROM liked)::int AS like_count, ${notifiedJson("notified")} AS notifications
      FROM (SELECT 1) AS one LEFT JOIN target t ON true`);
  const row = rows[0]!;
  if (!row.id) throw notFound("This post");
  return { state: { liked: true, like_count: Number(row.like_count) }, notifications: toNotifications(row.notifications) };
}

/** DELETE /v1/posts/:id/like, one statement; idempotent. 404 when the post is not visible to you. */
export async function unlikePost(db: Database, postId: string, userId: string): Promise<{ liked: boolean; like_count: number }> {
  const { rows } = await db.execute<LikeRow>(sql`
    WITH target AS (
      SELECT p.id, p.like_count FROM posts p WHERE p.id = ${postId}::uuid AND ${postVisibleTo(userId)}
    ), unliked AS (
      DELETE FROM post_likes l USING target t WHERE l.post_id = t.id AND l.user_id = ${userId}::uuid RETURNING 1
    )
    SELECT t.id, GREATEST(t.like_count - (SELECT count(*) FROM unliked)::int, 0) AS like_count
      FROM (SELECT 1) AS one LEFT JOIN target t ON true`);
  const row = rows[0]!;
  if (!row.id) throw notFound("This post");
  return { liked: false, like_count: Number(row.like_count) };
}
