import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { forbidden, notFound } from "../../lib/errors";
import { postVisibleTo } from "./post-view";

/**
 * PUT /v1/posts/:id/pin, one statement: the author pins one of their live posts; the post pinned
 * before (at most one: uq_posts_user_id_pinned) is unpinned by the same statement. The pin waits on
 * the unpin (it reads the `unpinned` CTE in its WHERE, an init plan run before any row is
 * updated), so the unique index never sees two pinned rows. Idempotent. DELETE unpins it.
 */
export async function setPinned(db: Database, postId: string, userId: string, pinned: boolean): Promise<{ pinned: boolean }> {
  const write = pinned
    ? sql`unpinned AS (
        UPDATE posts SET is_pinned = false
         WHERE user_id = ${userId}::uuid AND is_pinned AND deleted_at IS NULL AND id <> ${postId}::uuid
           AND EXISTS (SELECT 1 FROM target WHERE user_id = ${userId}::uuid)
        RETURNING id
      ), changed AS (
        UPDATE posts p SET is_pinned = true FROM target t
         WHERE p.id = t.id AND t.user_id = ${userId}::uuid AND NOT p.is_pinned AND (SELECT count(*) FROM unpinned) >= 0
        RETURNING p.id
      )`
    : sql`changed AS (
        UPDATE posts p SET is_pinned = false FROM target t WHERE p.id = t.id AND t.user_id = ${userId}::uuid AND p.is_pinned RETURNING p.id
      )`;
  const { rows } = await db.execute<{ found: boolean; mine: boolean }>(sql`
    WITH target AS (SELECT p.id, p.user_id FROM posts p WHERE p.id = ${postId}::uuid AND ${postVisibleTo(userId)}), ${write}
    SELECT EXISTS (SELECT 1 FROM target) AS found, EXISTS (SELECT 1 FROM target WHERE user_id = ${userId}::uuid) AS mine,
           (SELECT count(*) FROM changed) AS changed`);
  const row = rows[0]!;
  if (!row.found) throw notFound("This post");
  if (!row.mine) throw forbidden("Only its author may pin or unpin a post.");
  return { pinned };
}
