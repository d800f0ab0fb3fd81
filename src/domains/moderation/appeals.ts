import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { auditInsertFrom, type AuditOrigin } from "../../lib/audit";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { ApiError, notFound } from "../../lib/errors";
import { parseJson } from "../../lib/json-value";
import { notifiedJson, type PushedNotification } from "../notifications/notify";
import { preciseIso } from "../tracks/track-view";
import { actionJson, sanctionNotice } from "./action-view";
import type { Action } from "./schemas";

/** What can be appealed: a standing sanction of the person or their content (a ban is for an admin to lift). */
const APPEALABLE = sql`('warn', 'hide_content', 'remove_content', 'suspend')`;

/**
 * POST /v1/me/appeals (the sanctioned person, suspended or not): one appeal per action, while it
 * stands. 404 for an action that is not against me; 409 for one appealed or reversed already, or a
 * ban. Audited (moderation.appeal).
 */
export async function fileAppeal(db: Database, userId: string, actionId: string, text: string, origin: AuditOrigin): Promise<Action> {
  const { rows } = await db.execute<{ mine: boolean; action: unknown }>(sql`
    WITH mine AS (SELECT id FROM moderation_actions WHERE id = ${actionId}::uuid AND target_user_id = ${userId}::uuid),
    a AS (
      UPDATE moderation_actions m SET appeal_status = 'pending', appeal_text = ${text}, appealed_at = now()
        FROM mine WHERE m.id = mine.id AND m.appeal_status = 'none' AND m.reversed_at IS NULL
         AND m.action_type IN ${APPEALABLE} AND (m.expires_at IS NULL OR m.expires_at > now())
      RETURNING m.*
    ), logged AS (${auditInsertFrom(
      { action: "moderation.appeal", userId, origin, metadata: sql`jsonb_build_object('action_id', a.id, 'action_type', a.action_type)` },
      sql`a`,
    )})
    SELECT EXISTS (SELECT 1 FROM mine) AS mine, (SELECT ${actionJson} FROM a) AS action`);
  const row = rows[0]!;
  if (!row.mine) throw notFound("This action");
  if (!row.action) throw new ApiError("conflict", "This action cannot be appealed: it was appealed or lifted already, has ended, or is a ban.");
  return parseJson<Action>(row.action)!;
}

/** GET /v1/moderation/appeals (moderators): pending appeals, oldest first (idx_moderation_actions_appeal_pending). */
export async function listPendingAppeals(db: Database, q: { cursor?: string; limit: number }): Promise<{ items: Action[]; next_cursor: string | null }> {
  const after = q.cursor ? decodeCursor(q.cursor) : null;
  const page = after ? sql`AND (a.appealed_at, a.id) > (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``;
  const { rows } = await db.execute<{ action: unknown; at: string }>(sql`
    SELECT ${actionJson} AS action, ${preciseIso("a.appealed_at")} AS at FROM moderation_actions a
     WHERE a.appeal_status = 'pending' ${page} ORDER BY a.appealed_at, a.id LIMIT ${q.limit + 1}`);
  const items = rows.slice(0, q.limit).map((r) => parseJson<Action>(r.action)!);
  const last = rows.length > q.limit ? rows[q.limit - 1]! : null;
  return { items, next_cursor: last ? encodeCursor(last.at, items[items.length - 1]!.id) : null };
}

/**
 * An appeal rejected (an accepted one goes through reverseAction): the sanction stands, the person
 * is told why. One statement; 404 / 409 as for reversals.
 */
export async function rejectAppeal(
  db: Database,
  actionId: string,
  moderatorId: string,
  note: string | undefined,
  origin: AuditOrigin,
): Promise<{ action: Action; notifications: PushedNotification[] }> {
  const { rows } = await db.execute<{ found: boolean; action: unknown; notifications: unknown }>(sql`
    WITH a AS (
      UPDATE moderation_actions SET appeal_status = 'rejected', appeal_resolved_at = now(), appeal_resolved_by = ${moderatorId}::uuid
       WHERE id = ${actionId}::uuid AND appeal_status = 'pending'
      RETURNING *
    ), notified AS (${sanctionNotice(sql`a`, sql`'Your appeal was rejected'`, sql`${note ?? null}::text`)}),
    logged AS (${auditInsertFrom(
      { action: "moderation.appeal_reject", userId: sql`a.target_user_id`, actorId: moderatorId, origin, metadata: sql`jsonb_build_object('action_id', a.id, 'note', ${note ?? null}::text)` },
      sql`a`,
    )})
    SELECT EXISTS (SELECT 1 FROM moderation_actions WHERE id = ${actionId}::uuid) AS found,
           (SELECT ${actionJson} FROM a) AS action, ${notifiedJson("notified")} AS notifications`);
  const row = rows[0]!;
  if (!row.found) throw notFound("This action");
  if (!row.action) throw new ApiError("conflict", "This action has no pending appeal.");
  return { action: parseJson<Action>(row.action)!, notifications: parseJson<PushedNotification[]>(row.notifications) ?? [] };
}
