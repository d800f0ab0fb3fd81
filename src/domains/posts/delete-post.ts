import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { forbidden, notFound } from "../../lib/errors";
import { postVisibleTo } from "./post-view";

/** Roles of a group's members who may delete anyone's post in it. */
export const GROUP_MODERATORS = ["owner", "admin", "moderator"];

/**
 * DELETE /v1/posts/:id, one statement: a soft delete (deleted_at; also unpinned) by its author, or,
 * for a group post, by an active owner/admin/moderator of the group. Its hashtag links are removed
 * so hashtags.usage_count drops (trg_post_hashtags_usage_count); repost_count and the group's
 * post_count are kept by their triggers. 404 when you cannot see it, 403 when not yours to delete.
 */
export async function deletePost(db: Database, postId: string, userId: string): Promise<void> {
  const { rows } = await db.execute<{ found: boolean; deleted: boolean }>(sql`
    WITH target AS (
      SELECT p.id FROM posts p
       WHERE p.id = ${postId}::uuid AND ${postVisibleTo(userId)}
    ), allowed AS (
      SELECT p.id FROM posts p JOIN target t ON t.id = p.id
       WHERE p.user_id = ${userId}::uuid
          OR EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = p.group_id AND gm.user_id = ${userId}::uuid
                       AND gm.status = 'active' AND gm.role IN ('owner', 'admin', 'moderator'))
    ), deleted AS (
      UPDATE posts p SET deleted_at = now(), is_pinned = false FROM allowed a WHERE p.id = a.id RETURNING p.id
    ), unlinked AS (
      DELETE FROM post_hashtags ph USING deleted d WHERE ph.post_id = d.id
    )
    SELECT EXISTS (SELECT 1 FROM target) AS found, EXISTS (SELECT 1 FROM deleted) AS deleted`);
  const row = rows[0]!;
  if (!row.found) throw notFound("This post");
  if (!row.deleted) throw forbidden("Only its author, or a moderator of its group, may delete a post.");
}
