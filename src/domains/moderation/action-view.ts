import { sql, type SQL } from "drizzle-orm";
import { iso } from "../tracks/track-view";

/** An action as the API shows it: a JSON object over a `moderation_actions` row aliased `a`. */
export const actionJson: SQL = sql`json_build_object(
  'id', a.id, 'moderator_id', a.moderator_id, 'target_user_id', a.target_user_id, 'report_id', a.report_id,
  'action_type', a.action_type, 'target_type', a.target_type, 'target_id', a.target_id, 'reason', a.reason,
  'expires_at', ${iso("a.expires_at")}, 'reversed_at', ${iso("a.reversed_at")}, 'reversal_reason', a.reversal_reason,
  'appeal_status', a.appeal_status, 'appeal_text', a.appeal_text, 'appealed_at', ${iso("a.appealed_at")},
  'appeal_resolved_at', ${iso("a.appeal_resolved_at")}, 'created_at', ${iso("a.created_at")})`;

/** What the sanctioned person reads, by action (the reason follows as the body). */
const TITLES = sql`CASE a.action_type
  WHEN 'warn' THEN 'You received a warning from the moderators'
  WHEN 'hide_content' THEN 'Moderators hid your ' || a.target_type
  WHEN 'remove_content' THEN 'Moderators removed your ' || a.target_type
  WHEN 'suspend' THEN 'Your account is suspended until ' || ${iso("a.expires_at")} || ' UTC'
  WHEN 'ban' THEN 'Your account is banned'
  WHEN 'restore' THEN 'Your ' || a.target_type || ' is visible again'
  WHEN 'unban' THEN 'Your account is no longer banned'
  END`;

/**
 * A CTE body: the notice to the person an action is about (rows of `from` expose the action as
 * `a`). A system notice, written directly rather than through notifyInsert: it names no moderator
 * (actor NULL), neither a block nor a preference silences it, and it reaches a banned account too
 * (their unban notice is written while they are still banned). Deleted accounts get none.
 * RETURNING matches notifyInsert's, for `notifiedJson` and `deliverNotifications`.
 */
export function sanctionNotice(from: SQL, title: SQL = TITLES, body: SQL = sql`a.reason`): SQL {
  return sql`
    INSERT INTO notifications (user_id, actor_id, type, entity_type, entity_id, title, body, data)
    SELECT a.target_user_id, NULL, 'system', 'moderation_action', a.id, left(${title}, 255), ${body},
           jsonb_build_object('action_type', a.action_type, 'target_type', a.target_type, 'target_id', a.target_id, 'expires_at', ${iso("a.expires_at")})
      FROM ${from}
     WHERE a.target_user_id IS NOT NULL AND EXISTS (SELECT 1 FROM users nr WHERE nr.id = a.target_user_id AND nr.deleted_at IS NULL)
    RETURNING id, user_id, actor_id, type, entity_type, entity_id, title, body, data, is_read,
              ${iso("read_at")} AS read_at, ${iso("created_at")} AS created_at`;
}
