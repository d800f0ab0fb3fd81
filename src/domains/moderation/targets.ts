import { sql, type SQL } from "drizzle-orm";
import { roomConfigJson } from "../chat/room-access";
import { courseVisibleTo } from "../courses/course-view";
import { playlistVisible } from "../playlists/playlist-view";
import { productShown } from "../reviews/review-view";
import type { ContentTarget, ReportTarget } from "./schemas";

/**
 * Where each kind of reported thing lives and who is behind it, as SQL for one statement. Hidden
 * and removed content takes the state its domain's read paths already honour (deleted_at; a
 * product's suspension; a course's archived status; a direct message's two "deleted for me"
 * flags), so it disappears from every list, page, feed and search at once, and restoring clears
 * that state again (bring-back.ts). Only content that is still visible can be reported, and only
 * by someone who can see it. A room's message goes through its room's object (room-message.ts).
 */

/** The owner of the room under `r`: its owner member (ownership can be handed over), else its creator. */
const roomOwner = (r: string) =>
  sql.raw(`COALESCE((SELECT ow.user_id FROM room_members ow WHERE ow.room_id = ${r}.id AND ow.role = 'owner' LIMIT 1), ${r}.creator_id)`);

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
    case "playlist":
      // a private playlist: by its owner's accepted collaborators (as its page is read)
      return sql`SELECT p.user_id AS owner FROM playlists p JOIN users o ON o.id = p.user_id
                   LEFT JOIN playlist_collaborators mc ON mc.playlist_id = p.id AND mc.user_id = ${reporterId}::uuid AND mc.status = 'accepted'
                  WHERE p.id = ${id}::uuid AND ${playlistVisible(reporterId)}`;
    case "review":
      return sql`SELECT r.user_id AS owner FROM product_reviews r JOIN products p ON p.id = r.product_id
                  WHERE r.id = ${id}::uuid AND r.deleted_at IS NULL AND ${productShown("p")}`;
    case "course":
      // a course off the catalogue: by its enrolled learners (who still see it)
      return sql`SELECT c.educator_id AS owner FROM courses c WHERE c.id = ${id}::uuid AND ${courseVisibleTo(reporterId)}`;
    case "room":
      // a private room: by its members; never by a member it banned (the room is closed to them)
      return sql`SELECT ${roomOwner("r")} AS owner FROM rooms r
                   LEFT JOIN room_members m ON m.room_id = r.id AND m.user_id = ${reporterId}::uuid
                  WHERE r.id = ${id}::uuid AND r.deleted_at IS NULL AND NOT COALESCE(m.is_banned, false)
                    AND (r.room_type = 'public' AND NOT r.is_private OR m.id IS NOT NULL)`;
  }
}

/**
 * A data-modifying CTE body taking visible content out of view, `RETURNING owner` (and, for some
 * kinds, what the live effects need): nothing when it is gone already. A hidden product is
 * suspended (its seller sees why and cannot lift it); a removed one is deleted like everything else.
 *
 * - A course is archived, not deleted: it leaves the catalogue and takes no new learners, while
 *   the learners enrolled keep their access (what they paid for stays theirs — as deleteCourse
 *   refuses to delete such a course); its product, if it is sold, is suspended (courseProduct).
 *   Deleting would also release its slug, which a restore could then collide with.
 * - A direct message is deleted for both sides (the flags its read paths honour); RETURNING says
 *   what each side had, for the audit row's old_data, so a restore gives back exactly that.
 * - A room returns its RoomConfig (now deleted), for its object to close every socket.
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
    case "message":
      return sql`UPDATE direct_messages d SET is_deleted_by_sender = true, is_deleted_by_recipient = true
                   FROM direct_messages b
                  WHERE d.id = ${id}::uuid AND b.id = d.id AND NOT (b.is_deleted_by_sender AND b.is_deleted_by_recipient)
                 RETURNING d.sender_id AS owner, d.recipient_id, b.is_deleted_by_sender AS was_deleted_by_sender,
                           b.is_deleted_by_recipient AS was_deleted_by_recipient`;
    case "playlist":
      return sql`UPDATE playlists SET deleted_at = now() WHERE id = ${id}::uuid AND deleted_at IS NULL RETURNING user_id AS owner`;
    case "review":
      return sql`UPDATE product_reviews SET deleted_at = now() WHERE id = ${id}::uuid AND deleted_at IS NULL RETURNING user_id AS owner`;
    case "course":
      return sql`UPDATE courses SET status = 'archived' WHERE id = ${id}::uuid AND deleted_at IS NULL AND status = 'published'
                 RETURNING educator_id AS owner, product_id`;
    case "room":
      return sql`UPDATE rooms r SET deleted_at = now() WHERE r.id = ${id}::uuid AND r.deleted_at IS NULL
                 RETURNING ${roomOwner("r")} AS owner, ${roomConfigJson("r")} AS room`;
  }
}

/** Post comments live in their own table: a comment id is looked for in both. */
export function takeDownPostComment(id: string): SQL {
  return sql`UPDATE post_comments SET deleted_at = now() WHERE id = ${id}::uuid AND deleted_at IS NULL RETURNING user_id AS owner`;
}

/** After `gone` archived a course: its marketplace product, if any, is suspended with it (a suspension the educator cannot lift). */
export function courseProduct(reason: string): SQL {
  return sql`UPDATE products p SET status = 'suspended', suspension_reason = ${reason}, suspended_at = now()
               FROM gone g WHERE p.id = g.product_id AND p.deleted_at IS NULL AND p.status <> 'suspended' RETURNING p.id`;
}

/**
 * Whether a moderator's hide or removal stands on this content (not reversed): its owner cannot
 * bring it back by their own routes (re-publishing a course, re-posting a review) — only reversing
 * the action does. `id` is an SQL expression (a column or a parameter).
 */
export function takenDownByModerator(type: ContentTarget, id: SQL): SQL {
  return sql`EXISTS (SELECT 1 FROM moderation_actions ma
                      WHERE ma.target_type = ${type} AND ma.target_id = ${id}
                        AND ma.action_type IN ('hide_content', 'remove_content') AND ma.reversed_at IS NULL)`;
}
