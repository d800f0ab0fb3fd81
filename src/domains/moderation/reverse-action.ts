import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { actAs, auditInsertFrom, type AuditOrigin } from "../../lib/audit";
import { ApiError, notFound } from "../../lib/errors";
import { parseJson } from "../../lib/json-value";
import { notifiedJson, type PushedNotification } from "../notifications/notify";
import type { RoomConfig } from "../../../durable-objects/chat-room/members";
import type { ConversationUser, DirectMessage } from "../direct-messages/schemas";
import { roomConfigJson } from "../chat/room-access";
import { actionJson, sanctionNotice } from "./action-view";
import { bringBack, reopenedRoom, restoredDirectMessage } from "./bring-back";
import type { RoomModeration } from "./room-message";
import type { Action } from "./schemas";

export interface Reversal {
  action: Action;
  notifications: PushedNotification[];
  /** The account whose sanction was lifted (its cached auth state must go), when one was. */
  liftedUserId: string | null;
  /** A room reopened: its object is told. */
  reopenedRoom?: RoomConfig | null;
  /** A direct message restored: each side that sees it again gets it in its inbox. */
  restoredDirectMessage?: RestoredDirectMessage | null;
}

export interface RestoredDirectMessage {
  message: DirectMessage;
  sender: ConversationUser;
  recipient: ConversationUser;
  sender_sees: boolean;
  recipient_sees: boolean;
}

/** The notice of a reversal, over the reversed action `a`. */
const LIFTED = sql`CASE a.action_type
  WHEN 'warn' THEN 'A warning you received was withdrawn'
  WHEN 'suspend' THEN 'Your suspension was lifted'
  WHEN 'ban' THEN 'Your account is no longer banned'
  ELSE 'Your ' || a.target_type || ' is visible again' END`;

/**
 * The statement that reverses the actions `rev` (a CTE body: UPDATE moderation_actions ... RETURNING
 * *) selects: content comes back, a ban is lifted by the trigger on reversed_at, a suspension stops
 * counting at once (the auth state reads only unreversed ones); a restore / unban row records it in
 * the person's history; they are notified; audited as moderation.<kind>.
 */
function reversal(rev: SQL, kind: string, moderatorId: string, reason: string, origin: AuditOrigin): SQL {
  return sql`
    WITH rev AS (${rev}),
    ${bringBack},
    followup AS (
      INSERT INTO moderation_actions (moderator_id, target_user_id, action_type, target_type, target_id, reason)
      SELECT ${moderatorId}::uuid, rev.target_user_id, CASE WHEN rev.action_type = 'ban' THEN 'unban' ELSE 'restore' END,
             CASE WHEN rev.action_type = 'ban' THEN NULL ELSE rev.target_type END, CASE WHEN rev.action_type = 'ban' THEN NULL ELSE rev.target_id END, ${reason}
        FROM rev WHERE rev.action_type IN ('ban', 'hide_content', 'remove_content')
      RETURNING id
    ),
    notified AS (${sanctionNotice(sql`rev a`, LIFTED, sql`${reason}::text`)}),
    logged AS (${auditInsertFrom(
      {
        action: `moderation.${kind}`,
        userId: sql`a.target_user_id`,
        actorId: moderatorId,
        severity: "warning",
        origin,
        metadata: sql`jsonb_build_object('action_id', a.id, 'action_type', a.action_type, 'target_type', a.target_type, 'target_id', a.target_id, 'reason', ${reason}::text)`,
      },
      sql`rev a`,
    )})`;
}

type Row = {
  found: boolean;
  action: unknown;
  notifications: unknown;
  lifted: string | null;
  room_message?: unknown;
  reopened_room?: unknown;
  restored_dm?: unknown;
};

async function run(db: Database, moderatorId: string, statement: SQL): Promise<Row> {
  const [, result] = await db.batch([db.execute(actAs(moderatorId)), db.execute<Row>(statement)]);
  return result.rows[0] as Row;
}

const lifted = sql`(SELECT a.target_user_id FROM rev a WHERE a.action_type IN ('ban', 'suspend') LIMIT 1)`;

/**
 * POST /v1/moderation/actions/:id/reverse (moderators), and an accepted appeal: one batch. 404 for
 * no such action; 409 for one reversed already, or a restore / unban (reverse the original).
 *
 * An action on a room's message takes two: the first statement leaves it alone and names its
 * room, whose object restores the message (every open socket hears it); then the reversal is
 * recorded. The object first, as for the action: restoring is idempotent, so a retry after a
 * failed record completes it. A message purged since (30 days after it was hidden) has nothing to
 * bring back; the reversal is still recorded.
 */
export async function reverseAction(
  db: Database,
  actionId: string,
  moderatorId: string,
  reason: string,
  origin: AuditOrigin,
  rooms: RoomModeration,
  appeal?: "accepted",
): Promise<Reversal> {
  let row = await run(db, moderatorId, reverseStatement(actionId, moderatorId, reason, origin, appeal, false));
  const pending = parseJson<{ room: RoomConfig; message_id: string }>(row.room_message);
  if (pending) {
    await rooms(pending.room, pending.message_id, false);
    row = await run(db, moderatorId, reverseStatement(actionId, moderatorId, reason, origin, appeal, true));
  }
  if (!row.found) throw notFound("This action");
  if (!row.action) throw new ApiError("conflict", appeal ? "This action has no pending appeal." : "This action is reversed already, or is itself a reversal.");
  return {
    action: parseJson<Action>(row.action)!,
    notifications: parseJson<PushedNotification[]>(row.notifications) ?? [],
    liftedUserId: row.lifted,
    reopenedRoom: parseJson<RoomConfig>(row.reopened_room),
    restoredDirectMessage: parseJson<RestoredDirectMessage>(row.restored_dm),
  };
}

/** `roomDone`: the action's room message was restored by its room (or it has none). */
function reverseStatement(actionId: string, moderatorId: string, reason: string, origin: AuditOrigin, appeal: "accepted" | undefined, roomDone: boolean): SQL {
  const appealSet = appeal ? sql`, appeal_status = 'accepted', appeal_resolved_at = now(), appeal_resolved_by = ${moderatorId}::uuid` : sql``;
  const kind = appeal ? "appeal_accept" : "reverse";
  const eligible = (x: string) =>
    sql`${sql.raw(x)}.id = ${actionId}::uuid AND ${sql.raw(x)}.reversed_at IS NULL AND ${sql.raw(x)}.action_type NOT IN ('restore', 'unban')
        ${appeal ? sql`AND ${sql.raw(x)}.appeal_status = 'pending'` : sql``}`;
  const roomMessage = (x: string) =>
    sql`${sql.raw(x)}.target_type = 'message' AND EXISTS (SELECT 1 FROM messages m WHERE m.id = ${sql.raw(x)}.target_id AND m.seq IS NOT NULL)`;
  const rev = sql`UPDATE moderation_actions x SET reversed_at = now(), reversed_by = ${moderatorId}::uuid, reversal_reason = ${reason} ${appealSet}
                   WHERE ${eligible("x")} ${roomDone ? sql`` : sql`AND NOT (${roomMessage("x")})`} RETURNING x.*`;
  const pending = roomDone
    ? sql`NULL::json`
    : sql`(SELECT json_build_object('room', ${roomConfigJson("r")}, 'message_id', m.id)
             FROM moderation_actions y JOIN messages m ON m.id = y.target_id AND m.seq IS NOT NULL JOIN rooms r ON r.id = m.room_id
            WHERE ${eligible("y")} AND y.target_type = 'message' LIMIT 1)`;
  return sql`${reversal(rev, kind, moderatorId, reason, origin)}
    SELECT EXISTS (SELECT 1 FROM moderation_actions WHERE id = ${actionId}::uuid) AS found,
           (SELECT ${actionJson} FROM rev a) AS action, ${notifiedJson("notified")} AS notifications, ${lifted} AS lifted,
           ${pending} AS room_message, ${reopenedRoom} AS reopened_room, ${restoredDirectMessage} AS restored_dm`;
}

/**
 * POST /v1/admin/users/:id/unban (admins): every standing ban of the account is reversed (the
 * trigger clears users.is_banned), and so is a ban set outside moderation (is_banned without an
 * action): then an unban row is the record. 404 for no such account, 409 when it is not banned.
 */
export async function unbanAccount(db: Database, userId: string, adminId: string, reason: string, origin: AuditOrigin): Promise<Reversal> {
  const rev = sql`UPDATE moderation_actions SET reversed_at = now(), reversed_by = ${adminId}::uuid, reversal_reason = ${reason}
                   WHERE target_user_id = ${userId}::uuid AND action_type = 'ban' AND reversed_at IS NULL RETURNING *`;
  const row = await run(db, adminId, sql`${reversal(rev, "unban", adminId, reason, origin)},
    bare AS (
      INSERT INTO moderation_actions (moderator_id, target_user_id, action_type, reason)
      SELECT ${adminId}::uuid, u.id, 'unban', ${reason} FROM users u
       WHERE u.id = ${userId}::uuid AND u.is_banned AND u.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM rev)
      RETURNING *
    ), bare_notified AS (${sanctionNotice(sql`bare a`)}),
    bare_logged AS (${auditInsertFrom(
      { action: "moderation.unban", userId: sql`a.target_user_id`, actorId: adminId, severity: "warning", origin, metadata: sql`jsonb_build_object('action_id', a.id, 'reason', a.reason)` },
      sql`bare a`,
    )})
    SELECT EXISTS (SELECT 1 FROM users WHERE id = ${userId}::uuid AND deleted_at IS NULL) AS found,
           COALESCE((SELECT ${actionJson} FROM rev a LIMIT 1), (SELECT ${actionJson} FROM bare a)) AS action,
           ${notifiedJson("notified")} || ${notifiedJson("bare_notified")} AS notifications, ${userId}::uuid AS lifted`);
  if (!row.found) throw notFound("This account");
  if (!row.action) throw new ApiError("conflict", "This account is not banned.");
  return { action: parseJson<Action>(row.action)!, notifications: parseJson<PushedNotification[]>(row.notifications) ?? [], liftedUserId: row.lifted };
}
