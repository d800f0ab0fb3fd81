import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { actAs, auditInsertFrom, type AuditOrigin } from "../../lib/audit";
import type { AuthContext } from "../../lib/auth/middleware";
import { ApiError, notFound } from "../../lib/errors";
import { postgresConstraint } from "../../lib/database-errors";
import { parseJson } from "../../lib/json-value";
import { notifiedJson, type PushedNotification } from "../notifications/notify";
import { roomConfigJson } from "../chat/room-access";
import { actionJson, sanctionNotice } from "./action-view";
import { isRoomMessageHidden, type LiveContent, type RoomModeration } from "./room-message";
import type { Action, ContentTarget, CreateAction } from "./schemas";
import { courseProduct, takeDown, takeDownPostComment } from "./targets";

export interface ActionOutcome {
  action: Action;
  notifications: PushedNotification[];
  /** The chat rooms of a banned or suspended account, whose sockets must be closed. */
  roomIds: string[];
  /** What live sockets must hear of a content action (a room closed, a direct message gone), or null. */
  live: LiveContent | null;
}

type Row = { found: boolean; allowed: boolean; action: unknown; notifications: unknown; room_ids: string[] | null; live: unknown };

/** Who may sanction whom: nobody themselves, nobody an admin, and only an admin a moderator. */
const protectedRoles = (actor: AuthContext) => (actor.role === "admin" ? sql`ARRAY['admin']::user_role[]` : sql`ARRAY['moderator', 'admin']::user_role[]`);

/**
 * The tail every action statement shares, after a CTE `a` that inserted the action: the report it
 * answers is resolved, the person is notified, the audit row is written, and (ban, suspend) the
 * account's chat rooms are listed for disconnectAccount.
 */
export function consequences(kind: string, moderatorId: string, reportId: string | undefined | null, origin: AuditOrigin, oldData?: SQL): SQL {
  return sql`
    resolved AS (
      UPDATE moderation_reports SET status = 'resolved', resolved_at = now(), resolved_by = ${moderatorId}::uuid,
             resolution_note = COALESCE(resolution_note, (SELECT a.action_type || ': ' || left(a.reason, 1900) FROM a))
       WHERE id = ${reportId ?? null}::uuid AND status IN ('open', 'in_review') AND EXISTS (SELECT 1 FROM a)
      RETURNING id
    ),
    notified AS (${sanctionNotice(sql`a`)}),
    logged AS (${auditInsertFrom(
      {
        action: `moderation.${kind}`,
        userId: sql`a.target_user_id`,
        actorId: moderatorId,
        severity: "warning",
        origin,
        metadata: sql`jsonb_build_object('action_id', a.id, 'target_type', a.target_type, 'target_id', a.target_id,
                                         'reason', a.reason, 'expires_at', a.expires_at, 'report_id', a.report_id)`,
        oldData,
      },
      sql`a`,
    )})`;
}

const roomsOf = sql`(SELECT array_agg(rm.room_id) FROM room_members rm JOIN rooms ro ON ro.id = rm.room_id AND ro.deleted_at IS NULL
                      WHERE rm.user_id = (SELECT target_user_id FROM a WHERE action_type IN ('ban', 'suspend')))`;

/**
 * POST /v1/moderation/actions (moderators) and the admin's account routes: one batch (the actor
 * named for the users audit trigger, then one statement). Account actions (warn, suspend, ban)
 * insert the action, whose trigger bans the account or revokes its tokens; a ban also revokes its
 * sessions. Content actions take the content out of view first and record it against its author.
 *
 * A room's message is the exception: its room's object is its source of truth (Postgres sees
 * changes at the next flush), so the first statement, finding no direct message of that id, names
 * its room (from the flushed row: a message younger than one flush is not found yet); the object
 * hides it (`rooms`: every open socket hears it at once), then a second statement records the
 * action. The object first: its change is idempotent, so when the record fails, the same
 * moderator's retry finds the message hidden by them and completes the record (two round trips).
 */
export async function takeAction(db: Database, actor: AuthContext, input: CreateAction, origin: AuditOrigin, rooms: RoomModeration): Promise<ActionOutcome> {
  let row = await run(db, actor, input.target_type ? contentAction(actor, input, origin) : accountAction(actor, input, origin));
  const pending = row.found ? null : parseJson<LiveContent>(row.live)?.room_message;
  if (pending) {
    const hidden = await rooms(pending.room, input.target_id!, true);
    if (isRoomMessageHidden(hidden, actor.userId)) row = await run(db, actor, roomMessageAction(actor, input, origin, hidden.sender_id));
  }
  if (!row.found) throw notFound(input.target_type ? `This ${input.target_type} (or one not hidden yet)` : "This account");
  if (!row.allowed) throw new ApiError("forbidden", "You cannot sanction yourself, an admin, or (unless you are an admin) a moderator.");
  if (!row.action) throw new ApiError("conflict", "This account is banned already.");
  return {
    action: parseJson<Action>(row.action)!,
    notifications: parseJson<PushedNotification[]>(row.notifications) ?? [],
    roomIds: row.room_ids ?? [],
    live: parseJson<LiveContent>(row.live) ?? null,
  };
}

async function run(db: Database, actor: AuthContext, statement: SQL): Promise<Row> {
  try {
    const [, result] = await db.batch([db.execute(actAs(actor.userId)), db.execute<Row>(statement)]);
    return result.rows[0] as Row;
  } catch (err) {
    if (postgresConstraint(err) === "fk_moderation_actions_moderation_reports") throw notFound("This report");
    throw err;
  }
}

function accountAction(actor: AuthContext, input: CreateAction, origin: AuditOrigin): SQL {
  const expires = input.action_type === "suspend" ? sql`now() + make_interval(hours => ${input.duration_hours!}::int)` : sql`NULL::timestamptz`;
  return sql`
    WITH target AS (
      SELECT id, is_banned, id <> ${actor.userId}::uuid AND role <> ALL (${protectedRoles(actor)}) AS allowed
        FROM users WHERE id = ${input.user_id!}::uuid AND deleted_at IS NULL
    ), a AS (
      INSERT INTO moderation_actions (moderator_id, target_user_id, report_id, action_type, reason, expires_at)
      SELECT ${actor.userId}::uuid, t.id, ${input.report_id ?? null}::uuid, ${input.action_type}, ${input.reason}, ${expires}
        FROM target t WHERE t.allowed AND NOT (t.is_banned AND ${input.action_type === "ban"}::boolean)
      RETURNING *
    ), sessions AS (
      UPDATE refresh_tokens SET is_revoked = true, revoked_at = now(), revoked_reason = 'banned'
       WHERE user_id IN (SELECT target_user_id FROM a WHERE action_type = 'ban') AND NOT is_revoked
      RETURNING id
    ), ${consequences(input.action_type, actor.userId, input.report_id, origin)}
    SELECT EXISTS (SELECT 1 FROM target) AS found, COALESCE((SELECT allowed FROM target), true) AS allowed,
           (SELECT ${actionJson} FROM a) AS action, ${notifiedJson("notified")} AS notifications, ${roomsOf} AS room_ids`;
}

/** The action's row over `owner`, then the shared tail, then the answer's columns. */
function recorded(actor: AuthContext, input: CreateAction, origin: AuditOrigin, live: SQL, oldData?: SQL): SQL {
  return sql`
    a AS (
      INSERT INTO moderation_actions (moderator_id, target_user_id, report_id, action_type, target_type, target_id, reason)
      SELECT ${actor.userId}::uuid, o.owner, ${input.report_id ?? null}::uuid, ${input.action_type}, ${input.target_type!}, ${input.target_id!}::uuid, ${input.reason}
        FROM owner o
      RETURNING *
    ), ${consequences(input.action_type, actor.userId, input.report_id, origin, oldData)}
    SELECT EXISTS (SELECT 1 FROM owner) AS found, true AS allowed,
           (SELECT ${actionJson} FROM a) AS action, ${notifiedJson("notified")} AS notifications, NULL::uuid[] AS room_ids, ${live} AS live`;
}

function contentAction(actor: AuthContext, input: CreateAction, origin: AuditOrigin): SQL {
  const type = input.target_type as ContentTarget;
  const id = input.target_id!;
  const remove = input.action_type === "remove_content";
  const extra =
    type === "comment" ? sql`, gone_pc AS (${takeDownPostComment(id)})` : type === "course" ? sql`, course_product AS (${courseProduct(input.reason)})` : sql``;
  const owners = type === "comment" ? sql`SELECT owner FROM gone UNION ALL SELECT owner FROM gone_pc` : sql`SELECT owner FROM gone`;
  return sql`
    WITH gone AS (${takeDown(type, id, input.reason, remove)}) ${extra},
    owner AS (${owners} LIMIT 1),
    ${recorded(actor, input, origin, liveColumn(type, id), type === "message" ? directMessageBefore : undefined)}`;
}

/** What each side of a direct message had deleted for itself before the action (the audit row's old_data). */
const directMessageBefore = sql`(SELECT jsonb_build_object('is_deleted_by_sender', g.was_deleted_by_sender, 'is_deleted_by_recipient', g.was_deleted_by_recipient) FROM gone g)`;

/** The `live` column of a content action (see LiveContent). */
function liveColumn(type: ContentTarget, id: string): SQL {
  switch (type) {
    case "room":
      return sql`(SELECT json_build_object('room', g.room) FROM gone g)`;
    case "message":
      return sql`COALESCE(
        (SELECT json_build_object('direct_message', json_build_object('id', ${id}::uuid, 'sender_id', g.owner, 'recipient_id', g.recipient_id)) FROM gone g),
        (SELECT json_build_object('room_message', json_build_object('room', ${roomConfigJson("r")}, 'sender_id', m.sender_id))
           FROM messages m JOIN rooms r ON r.id = m.room_id WHERE m.id = ${id}::uuid AND m.seq IS NOT NULL LIMIT 1))`;
    default:
      return sql`NULL::json`;
  }
}

/**
 * A room's message its object just hid: the action is recorded against its sender, unless an
 * action standing on that message records it already (a concurrent or repeated request).
 */
function roomMessageAction(actor: AuthContext, input: CreateAction, origin: AuditOrigin, senderId: string): SQL {
  return sql`
    WITH owner AS (
      SELECT ${senderId}::uuid AS owner
       WHERE NOT EXISTS (SELECT 1 FROM moderation_actions x WHERE x.target_type = 'message' AND x.target_id = ${input.target_id!}::uuid
                           AND x.action_type IN ('hide_content', 'remove_content') AND x.reversed_at IS NULL)
    ),
    ${recorded(actor, input, origin, sql`NULL::json`)}`;
}
