import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { actAs, auditInsertFrom, type AuditOrigin } from "../../lib/audit";
import type { AuthContext } from "../../lib/auth/middleware";
import { ApiError, notFound } from "../../lib/errors";
import { postgresConstraint } from "../../lib/database-errors";
import { parseJson } from "../../lib/json-value";
import { notifiedJson, type PushedNotification } from "../notifications/notify";
import { actionJson, sanctionNotice } from "./action-view";
import type { Action, ContentTarget, CreateAction } from "./schemas";
import { takeDown, takeDownPostComment } from "./targets";

export interface ActionOutcome {
  action: Action;
  notifications: PushedNotification[];
  /** The chat rooms of a banned or suspended account, whose sockets must be closed. */
  roomIds: string[];
}

type Row = { found: boolean; allowed: boolean; action: unknown; notifications: unknown; room_ids: string[] | null };

/** Who may sanction whom: nobody themselves, nobody an admin, and only an admin a moderator. */
const protectedRoles = (actor: AuthContext) => (actor.role === "admin" ? sql`ARRAY['admin']::user_role[]` : sql`ARRAY['moderator', 'admin']::user_role[]`);

/**
 * The tail every action statement shares, after a CTE `a` that inserted the action: the report it
 * answers is resolved, the person is notified, the audit row is written, and (ban, suspend) the
 * account's chat rooms are listed for disconnectAccount.
 */
export function consequences(kind: string, moderatorId: string, reportId: string | undefined | null, origin: AuditOrigin): SQL {
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
 */
export async function takeAction(db: Database, actor: AuthContext, input: CreateAction, origin: AuditOrigin): Promise<ActionOutcome> {
  const statement = input.target_type ? contentAction(actor, input, origin) : accountAction(actor, input, origin);
  let row: Row;
  try {
    const [, result] = await db.batch([db.execute(actAs(actor.userId)), db.execute<Row>(statement)]);
    row = result.rows[0] as Row;
  } catch (err) {
    if (postgresConstraint(err) === "fk_moderation_actions_moderation_reports") throw notFound("This report");
    throw err;
  }
  if (!row.found) throw notFound(input.target_type ? `This ${input.target_type} (or one not hidden yet)` : "This account");
  if (!row.allowed) throw new ApiError("forbidden", "You cannot sanction yourself, an admin, or (unless you are an admin) a moderator.");
  if (!row.action) throw new ApiError("conflict", "This account is banned already.");
  return { action: parseJson<Action>(row.action)!, notifications: parseJson<PushedNotification[]>(row.notifications) ?? [], roomIds: row.room_ids ?? [] };
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

function contentAction(actor: AuthContext, input: CreateAction, origin: AuditOrigin): SQL {
  const type = input.target_type as ContentTarget;
  const id = input.target_id!;
  const remove = input.action_type === "remove_content";
  const postComment = type === "comment" ? sql`, gone_pc AS (${takeDownPostComment(id)})` : sql``;
  const owners = type === "comment" ? sql`SELECT owner FROM gone UNION ALL SELECT owner FROM gone_pc` : sql`SELECT owner FROM gone`;
  return sql`
    WITH gone AS (${takeDown(type, id, input.reason, remove)}) ${postComment},
    owner AS (${owners} LIMIT 1),
    a AS (
      INSERT INTO moderation_actions (moderator_id, target_user_id, report_id, action_type, target_type, target_id, reason)
      SELECT ${actor.userId}::uuid, o.owner, ${input.report_id ?? null}::uuid, ${input.action_type}, ${type}, ${id}::uuid, ${input.reason}
        FROM owner o
      RETURNING *
    ), ${consequences(input.action_type, actor.userId, input.report_id, origin)}
    SELECT EXISTS (SELECT 1 FROM owner) AS found, true AS allowed,
           (SELECT ${actionJson} FROM a) AS action, ${notifiedJson("notified")} AS notifications, NULL::uuid[] AS room_ids`;
}
