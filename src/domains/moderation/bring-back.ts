import { sql, type SQL } from "drizzle-orm";
import { roomConfigJson } from "../chat/room-access";
import { messageJson, userJson } from "../direct-messages/message-view";

/**
 * CTEs (after one named `rev` holding reversed actions) bringing their content back: the reverse of
 * `takeDown` (targets.ts) for whichever kind `rev` names. A hidden product comes back unpublished
 * (its seller republishes it); a removed one comes back as it was.
 *
 * Each undoes exactly what its action did and nothing the owner (or another action) did since: a
 * deleted_at is cleared, a suspension lifted, only when it is the action's own (same statement, so
 * the same now() as the action's created_at); an archived course is republished only while still
 * archived, and its product is lifted only from the suspension this action set; a direct message
 * gets back each side's own "deleted for me" flag as the action's audit row recorded it (old_data;
 * both visible when that row is gone with the audit retention). A room's message is not here: its
 * room's object restores it (room-message.ts) before this statement records the reversal.
 */
export const bringBack = sql`
  back_track AS (UPDATE tracks t SET deleted_at = NULL FROM rev
                  WHERE rev.target_type = 'track' AND t.id = rev.target_id AND t.deleted_at = rev.created_at RETURNING t.id),
  back_tc AS (UPDATE track_comments c SET is_deleted = false, deleted_at = NULL FROM rev
               WHERE rev.target_type = 'comment' AND c.id = rev.target_id AND c.deleted_at = rev.created_at RETURNING c.id),
  back_pc AS (UPDATE post_comments c SET deleted_at = NULL FROM rev
               WHERE rev.target_type = 'comment' AND c.id = rev.target_id AND c.deleted_at = rev.created_at RETURNING c.id),
  back_post AS (UPDATE posts p SET deleted_at = NULL FROM rev
                 WHERE rev.target_type = 'post' AND p.id = rev.target_id AND p.deleted_at = rev.created_at RETURNING p.id),
  back_product AS (UPDATE products p SET
                     deleted_at = CASE WHEN rev.action_type = 'remove_content' THEN NULL ELSE p.deleted_at END,
                     status = CASE WHEN rev.action_type = 'hide_content' THEN 'inactive' ELSE p.status END,
                     suspension_reason = CASE WHEN rev.action_type = 'hide_content' THEN NULL ELSE p.suspension_reason END,
                     suspended_at = CASE WHEN rev.action_type = 'hide_content' THEN NULL ELSE p.suspended_at END
                    FROM rev WHERE rev.target_type = 'product' AND p.id = rev.target_id
                      AND CASE WHEN rev.action_type = 'remove_content' THEN p.deleted_at = rev.created_at
                               ELSE p.status = 'suspended' AND p.suspended_at = rev.created_at END
                   RETURNING p.id),
  back_group AS (UPDATE groups g SET deleted_at = NULL FROM rev
                  WHERE rev.target_type = 'group' AND g.id = rev.target_id AND g.deleted_at = rev.created_at RETURNING g.id),
  back_playlist AS (UPDATE playlists p SET deleted_at = NULL FROM rev
                     WHERE rev.target_type = 'playlist' AND p.id = rev.target_id AND p.deleted_at = rev.created_at RETURNING p.id),
  back_review AS (UPDATE product_reviews r SET deleted_at = NULL FROM rev
                   WHERE rev.target_type = 'review' AND r.id = rev.target_id AND r.deleted_at = rev.created_at RETURNING r.id),
  back_course AS (UPDATE courses c SET status = 'published' FROM rev
                   WHERE rev.target_type = 'course' AND c.id = rev.target_id AND c.status = 'archived' AND c.deleted_at IS NULL RETURNING c.id),
  back_course_product AS (
    UPDATE products p SET
      status = CASE WHEN c.deleted_at IS NULL AND c.price > 0 AND (c.status = 'published' OR EXISTS (SELECT 1 FROM back_course bc WHERE bc.id = c.id))
                    THEN 'active' ELSE 'inactive' END,
      suspension_reason = NULL, suspended_at = NULL
      FROM rev JOIN courses c ON c.id = rev.target_id
     WHERE rev.target_type = 'course' AND p.id = c.product_id AND p.status = 'suspended' AND p.suspended_at = rev.created_at
    RETURNING p.id),
  back_room AS (UPDATE rooms r SET deleted_at = NULL FROM rev
                 WHERE rev.target_type = 'room' AND r.id = rev.target_id AND r.deleted_at = rev.created_at
                RETURNING ${roomConfigJson("r")} AS room),
  dm_prior AS (SELECT l.old_data FROM rev JOIN audit_logs l
                 ON l.user_id = rev.target_user_id AND l.created_at = rev.created_at
                AND l.action = 'moderation.' || rev.action_type AND l.metadata ->> 'action_id' = rev.id::text
               WHERE rev.target_type = 'message' LIMIT 1),
  back_dm AS (UPDATE direct_messages d SET
                is_deleted_by_sender = COALESCE((SELECT (old_data ->> 'is_deleted_by_sender')::boolean FROM dm_prior), false),
                is_deleted_by_recipient = COALESCE((SELECT (old_data ->> 'is_deleted_by_recipient')::boolean FROM dm_prior), false)
                FROM rev
               WHERE rev.target_type = 'message' AND d.id = rev.target_id AND d.is_deleted_by_sender AND d.is_deleted_by_recipient
              RETURNING d.*)`;

/** The RoomConfig of a room `bringBack` reopened (its object is told), or NULL. */
export const reopenedRoom: SQL = sql`(SELECT room FROM back_room LIMIT 1)`;

/**
 * A direct message `bringBack` restored, with what each side's inbox needs to show it again (the
 * message, the other side's card, whether that side sees it), or NULL.
 */
export const restoredDirectMessage: SQL = sql`(
  SELECT json_build_object(
           'message', ${messageJson("d", "f")},
           'sender', (SELECT ${userJson("su", "sp")} FROM users su LEFT JOIN user_profiles sp ON sp.user_id = su.id WHERE su.id = d.sender_id),
           'recipient', (SELECT ${userJson("ru", "rp")} FROM users ru LEFT JOIN user_profiles rp ON rp.user_id = ru.id WHERE ru.id = d.recipient_id),
           'sender_sees', NOT d.is_deleted_by_sender, 'recipient_sees', NOT d.is_deleted_by_recipient)
    FROM back_dm d LEFT JOIN files f ON f.id = d.attachment_file_id AND f.deleted_at IS NULL LIMIT 1)`;
