import { sql, type SQL } from "drizzle-orm";
import type { ContentTarget, ReportTarget } from "./schemas";

/**
 * Where each kind of reported thing lives and who is behind it, as SQL for one statement. Hidden
 * and removed content takes the state its domain's read paths already honour (deleted_at; a
 * product's suspension), so it disappears from every list, page, feed and search at once, and
 * restoring clears that state again. Only content that is still visible can be reported.
 */

/** `SELECT owner` of a visible reportable thing (one row or none). */
export function reportTargetOwner(type: ReportTarget, id: string, reporterId: string): SQL {
  switch (type) {
    case "user":
      return sql`SELECT id AS owner FROM users WHERE id = ${id}::uuid AND deleted_at IS NULL AND NOT is_banned`;
    case "track":
      return sql`SELECT creator_id AS owner FROM tracks WHERE id = ${id}::uuid AND deleted_at IS NULL`;
    case "comment":
      return sql`SELECT user_id AS owner FROM track_comments WHERE id = ${id}::uuid AND deleted_at IS NULL
                 UNION ALL SELECT user_id FROM post_comments WHERE id = ${id}::uuid AND deleted_at IS NULL`;
    case "post":
      return sql`SELECT user_id AS owner FROM posts WHERE id = ${id}::uuid AND deleted_at IS NULL`;
    case "message":
      // a room's message, by a member of the room; or a direct message, by the one who received it
      return sql`SELECT m.sender_id AS owner FROM messages m
                  WHERE m.id = ${id}::uuid AND m.deleted_at IS NULL
                    AND EXISTS (SELECT 1 FROM room_members rm WHERE rm.room_id = m.room_id AND rm.user_id = ${reporterId}::uuid)
                 UNION ALL
                 SELECT d.sender_id FROM direct_messages d
                  WHERE d.id = ${id}::uuid AND d.recipient_id = ${reporterId}::uuid AND NOT d.is_deleted_by_recipient`;
    case "product":
      return sql`SELECT seller_id AS owner FROM products WHERE id = ${id}::uuid AND deleted_at IS NULL`;
    case "group":
      return sql`SELECT creator_id AS owner FROM groups WHERE id = ${id}::uuid AND deleted_at IS NULL`;
  }
}

/**
 * A data-modifying CTE body taking visible content out of view, `RETURNING owner`: nothing when it
 * is gone already. A hidden product is suspended (its seller sees why and cannot lift it); a
 * removed one is deleted like everything else.
 */
export function takeDown(type: ContentTarget, id: string, reason: string, remove: boolean): SQL {
  switch (type) {
    case "track":
      return sql`UPDATE tracks SET deleted_at = now() WHERE id = ${id}::uuid AND deleted_at IS NULL RETURNING creator_id AS owner`;
    case "comment":
      return sql`UPDATE track_comments SET is_deleted = true, deleted_at = now() WHERE id = ${id}::uuid AND deleted_at IS NULL RETURNING user_id AS owner`;
    case "post":
      return sql`UPDATE posts SET deleted_at = now(), is_pinned = false WHERE id = ${id}::uuid AND deleted_at IS NULL RETURNING user_id AS owner`;
    case "product":
      return remove
        ? sql`UPDATE products SET deleted_at = now() WHERE id = ${id}::uuid AND deleted_at IS NULL RETURNING seller_id AS owner`
        : sql`UPDATE products SET status = 'suspended', suspension_reason = ${reason}, suspended_at = now()
               WHERE id = ${id}::uuid AND deleted_at IS NULL AND status <> 'suspended' RETURNING seller_id AS owner`;
    case "group":
      return sql`UPDATE groups SET deleted_at = now() WHERE id = ${id}::uuid AND deleted_at IS NULL RETURNING creator_id AS owner`;
  }
}

/** Post comments live in their own table: a comment id is looked for in both. */
export function takeDownPostComment(id: string): SQL {
  return sql`UPDATE post_comments SET deleted_at = now() WHERE id = ${id}::uuid AND deleted_at IS NULL RETURNING user_id AS owner`;
}

/**
 * CTEs (after one named `rev` holding reversed actions) bringing their content back: the reverse of
 * `takeDown` for whichever kind `rev` names. A hidden product comes back unpublished (its seller
 * republishes it); a removed one comes back as it was.
 */
export const bringBack = sql`
  back_track AS (UPDATE tracks t SET deleted_at = NULL FROM rev
                  WHERE rev.target_type = 'track' AND t.id = rev.target_id AND t.deleted_at IS NOT NULL RETURNING t.id),
  back_tc AS (UPDATE track_comments c SET is_deleted = false, deleted_at = NULL FROM rev
               WHERE rev.target_type = 'comment' AND c.id = rev.target_id AND c.deleted_at IS NOT NULL RETURNING c.id),
  back_pc AS (UPDATE post_comments c SET deleted_at = NULL FROM rev
               WHERE rev.target_type = 'comment' AND c.id = rev.target_id AND c.deleted_at IS NOT NULL RETURNING c.id),
  back_post AS (UPDATE posts p SET deleted_at = NULL FROM rev
                 WHERE rev.target_type = 'post' AND p.id = rev.target_id AND p.deleted_at IS NOT NULL RETURNING p.id),
  back_product AS (UPDATE products p SET
                     deleted_at = CASE WHEN rev.action_type = 'remove_content' THEN NULL ELSE p.deleted_at END,
                     status = CASE WHEN rev.action_type = 'hide_content' AND p.status = 'suspended' THEN 'inactive' ELSE p.status END,
                     suspension_reason = CASE WHEN rev.action_type = 'hide_content' THEN NULL ELSE p.suspension_reason END,
                     suspended_at = CASE WHEN rev.action_type = 'hide_content' THEN NULL ELSE p.suspended_at END
                    FROM rev WHERE rev.target_type = 'product' AND p.id = rev.target_id RETURNING p.id),
  back_group AS (UPDATE groups g SET deleted_at = NULL FROM rev
                  WHERE rev.target_type = 'group' AND g.id = rev.target_id AND g.deleted_at IS NOT NULL RETURNING g.id)`;
