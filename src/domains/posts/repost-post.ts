import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { postVisibleTo } from "./post-view";

type RepostRow = { id: string | null; private_other: boolean | null; plain_repost: boolean | null; repost_count: number | null; changed: number };

/**
 * PUT /v1/posts/:id/repost, one statement: a plain repost (empty content) of a post visible to you,
 * idempotent through uq_posts_user_id_repost_of_id (ON CONFLICT DO NOTHING). Another's private post
 * cannot be reposted (403), nor a plain repost (422: repost its original). The repost goes on the
 * reposter's profile with the original's visibility (a repost of an unlisted post is not listed);
 * the embedded original keeps its own rules (a private group's post stays hidden from outsiders).
 * repost_count is the snapshot's plus the row inserted; the stored counter is kept by
 * trg_posts_repost_count.
 */
export async function repostPost(db: Database, postId: string, userId: string): Promise<{ reposted: boolean; repost_count: number }> {
  const { rows } = await db.execute<RepostRow>(sql`
    WITH target AS (
      SELECT p.id, p.visibility, p.repost_count, (p.visibility = 'private' AND p.user_id <> ${userId}::uuid) AS private_other,
             (p.repost_of_id IS NOT NULL AND p.content = '') AS plain_repost
        FROM posts p WHERE p.id = ${postId}::uuid AND ${postVisibleTo(userId)}
    ), reposted AS (
      INSERT INTO posts (user_id, content, repost_of_id, visibility)
      SELECT ${userId}::uuid, '', t.id, t.visibility FROM target t WHERE NOT t.private_other AND NOT t.plain_repost
      ON CONFLICT (user_id, repost_of_id) WHERE repost_of_id IS NOT NULL AND content = '' AND deleted_at IS NULL DO NOTHING
      RETURNING id
    )
    SELECT t.id, t.private_other, t.plain_repost, t.repost_count + (SELECT count(*) FROM reposted)::int AS repost_count
      FROM (SELECT 1) AS one LEFT JOIN target t ON true`);
  const row = rows[0]!;
  if (!row.id) throw notFound("This post");
  if (row.private_other) throw forbidden("Private posts cannot be reposted by others.");
  if (row.plain_repost) throw new ApiError("validation_failed", "This is a plain repost: repost its original (repost_of_id) instead.");
  return { reposted: true, repost_count: Number(row.repost_count) };
}

/**
 * DELETE /v1/posts/:id/repost, one statement; idempotent. Your plain repost goes (soft delete) even
 * when the original has since become hidden from you; 404 only when the original is not visible and
 * you had no repost of it.
 */
export async function unrepostPost(db: Database, postId: string, userId: string): Promise<{ reposted: boolean; repost_count: number }> {
  const { rows } = await db.execute<RepostRow>(sql`
    WITH target AS (
      SELECT p.id, p.repost_count FROM posts p WHERE p.id = ${postId}::uuid AND ${postVisibleTo(userId)}
    ), removed AS (
      UPDATE posts r SET deleted_at = now(), is_pinned = false
       WHERE r.user_id = ${userId}::uuid AND r.repost_of_id = ${postId}::uuid AND r.content = '' AND r.deleted_at IS NULL
      RETURNING r.id
    )
    SELECT t.id, GREATEST(COALESCE(t.repost_count, 0) - (SELECT count(*) FROM removed)::int, 0) AS repost_count,
           (SELECT count(*) FROM removed)::int AS changed
      FROM (SELECT 1) AS one LEFT JOIN target t ON true`);
  const row = rows[0]!;
  if (!row.id && !Number(row.changed)) throw notFound("This post");
  return { reposted: false, repost_count: Number(row.repost_count) };
}
