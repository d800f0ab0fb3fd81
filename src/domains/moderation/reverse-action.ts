import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { actAs, auditInsertFrom, type AuditOrigin } from "../../lib/audit";
import { ApiError, notFound } from "../../lib/errors";
import { parseJson } from "../../lib/json-value";
import { notifiedJson, type PushedNotification } from "../notifications/notify";
import { actionJson, sanctionNotice } from "./action-view";
import type { Action } from "./schemas";
import { bringBack } from "./targets";

export interface Reversal {
  action: Action;
  notifications: PushedNotification[];
  /** The account whose sanction was lifted (its cached auth state must go), when one was. */
  liftedUserId: string | null;
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

type Row = { found: boolean; action: unknown; notifications: unknown; lifted: string | null };

async function run(db: Database, moderatorId: string, statement: SQL): Promise<Row> {
  const [, result] = await db.batch([db.execute(actAs(moderatorId)), db.execute<Row>(statement)]);
  return result.rows[0] as Row;
}

const lifted = sql`(SELECT a.target_user_id FROM rev a WHERE a.action_type IN ('ban', 'suspend') LIMIT 1)`;

/**
 * POST /v1/moderation/actions/:id/reverse (moderators), and an accepted appeal: one batch. 404 for
 * no such action; 409 for one reversed already, or a restore / unban (reverse the original).
 */
export async function reverseAction(
  db: Database,
  actionId: string,
  moderatorId: string,
  reason: string,
  origin: AuditOrigin,
  appeal?: "accepted",
): Promise<Reversal> {
  const appealSet = appeal ? sql`, appeal_status = 'accepted', appeal_resolved_at = now(), appeal_resolved_by = ${moderatorId}::uuid` : sql``;
  const appealWhere = appeal ? sql`AND appeal_status = 'pending'` : sql``;
  const kind = appeal ? "appeal_accept" : "reverse";
  const rev = sql`UPDATE moderation_actions SET reversed_at = now(), reversed_by = ${moderatorId}::uuid, reversal_reason = ${reason} ${appealSet}
                   WHERE id = ${actionId}::uuid AND reversed_at IS NULL AND action_type NOT IN ('restore', 'unban') ${appealWhere} RETURNING *`;
  const row = await run(db, moderatorId, sql`${reversal(rev, kind, moderatorId, reason, origin)}
    SELECT EXISTS (SELECT 1 FROM moderation_actions WHERE id = ${actionId}::uuid) AS found,
           (SELECT ${actionJson} FROM rev a) AS action, ${notifiedJson("notified")} AS notifications, ${lifted} AS lifted`);
  if (!row.found) throw notFound("This action");
  if (!row.action) throw new ApiError("conflict", appeal ? "This action has no pending appeal." : "This action is reversed already, or is itself a reversal.");
  return { action: parseJson<Action>(row.action)!, notifications: parseJson<PushedNotification[]>(row.notifications) ?? [], liftedUserId: row.lifted };
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
