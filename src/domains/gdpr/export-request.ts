import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { Env } from "../../env";
import { actAs, auditInsertFrom, type AuditOrigin } from "../../lib/audit";
import { ApiError } from "../../lib/errors";
import { GDPR_EXPORT, type ExportMessage } from "./export-message";
import { iso } from "./time";

/** A request still unanswered after this long no longer blocks a new one (its job is presumed lost). */
export const EXPORT_PENDING_HOURS = 24;

/** An export is pending while requested, not yet answered by an archive, and younger than 24 hours. */
export const pending = sql.raw(
  `(export_requested_at IS NOT NULL AND (exported_at IS NULL OR exported_at < export_requested_at) AND export_requested_at > now() - interval '${EXPORT_PENDING_HOURS} hours')`,
);

/**
 * Art. 20: stamps users.export_requested_at and queues the job that writes the archive. One
 * conditional UPDATE (+ its audit row) is the whole check: two simultaneous requests cannot both
 * pass, and a pending request younger than 24 h answers 409. One round trip, then the queue send.
 */
export async function requestExport(db: Database, env: Pick<Env, "JOBS_QUEUE">, userId: string, origin: AuditOrigin): Promise<{ requested_at: string }> {
  const statement = sql`
    WITH requested AS (
      UPDATE users SET export_requested_at = now()
       WHERE id = ${userId} AND deleted_at IS NULL AND NOT ${pending}
      RETURNING export_requested_at
    ), audit AS (
      ${auditInsertFrom({ action: "gdpr.export_request", userId, actorId: userId, origin }, sql`requested`)}
      RETURNING 1
    )
    SELECT export_requested_at, (SELECT count(*) FROM audit) AS audited FROM requested`;
  const [, result] = await db.batch([db.execute(actAs(userId)), db.execute<{ export_requested_at: unknown }>(statement)]);
  const row = result.rows[0] as { export_requested_at: unknown } | undefined;
  if (!row) {
    throw new ApiError("conflict", `An export is already being prepared; its link will be mailed to you. A new one can be requested once it is ready, or after ${EXPORT_PENDING_HOURS} hours.`);
  }
  const message: ExportMessage = { type: GDPR_EXPORT, userId };
  try {
    await env.JOBS_QUEUE.send(message);
  } catch (err) {
    // Nothing will answer this request: release it so that the user can ask again at once.
    await db.execute(sql`UPDATE users SET export_requested_at = NULL WHERE id = ${userId} AND ${pending}`).catch(() => undefined);
    throw new ApiError("service_unavailable", "The export could not be queued; try again in a moment.", { headers: { "Retry-After": "30" }, cause: err });
  }
  return { requested_at: iso(row.export_requested_at) };
}
