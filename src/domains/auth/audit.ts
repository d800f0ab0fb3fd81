import { SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { deviceOf } from "./sessions";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AuditEntry {
  /** 'auth.login_new_device', 'auth.refresh_reuse', ... (chk_audit_logs_action_format). */
  action: string;
  /** Whose account this is about. */
  userId: SQL | string;
  /** Who did it; defaults to the subject (a user acting on their own account). */
  actorId?: SQL | string | null;
  severity?: "info" | "warning" | "error" | "critical";
  /** A plain object, or SQL building a jsonb object from the caller's statement. */
  metadata?: Record<string, unknown> | SQL;
}

const metadataOf = (m: AuditEntry["metadata"]) => (m instanceof SQL ? m : sql`${JSON.stringify(m ?? {})}::jsonb`);

/** Columns of an application audit row written by the auth flows (the request's device and id included). */
function auditValues(c: Context<AppEnv>, entry: AuditEntry) {
  const device = deviceOf(c);
  const requestId = c.get("requestId");
  return sql`${entry.action}, ${entry.userId}::uuid, ${entry.actorId === undefined ? entry.userId : entry.actorId}::uuid,
    ${device.ip}::inet, ${device.userAgent}, ${requestId && UUID.test(requestId) ? requestId : null}::uuid,
    ${entry.severity ?? "info"}::audit_severity, ${metadataOf(entry.metadata)}`;
}

const AUDIT_COLUMNS = sql`(action, user_id, actor_id, ip_address, user_agent, request_id, severity, metadata)`;

/** INSERT of one audit row, for a `db.batch` next to the change it records. */
export function auditInsert(c: Context<AppEnv>, entry: AuditEntry): SQL {
  return sql`INSERT INTO audit_logs ${AUDIT_COLUMNS} VALUES (${auditValues(c, entry)})`;
}

/**
 * INSERT ... SELECT of an audit row, written only when `from` (a CTE name and condition of the
 * caller's statement) yields a row: for audit rows inside a data-modifying CTE.
 */
export function auditInsertFrom(c: Context<AppEnv>, entry: AuditEntry, from: SQL): SQL {
  return sql`INSERT INTO audit_logs ${AUDIT_COLUMNS} SELECT ${auditValues(c, entry)} FROM ${from}`;
}

/** First statement of a batch: attributes the users audit-trigger rows of the transaction to `actorId`. */
export const actAs = (actorId: string) => sql`SELECT set_config('veza.actor_id', ${actorId}, true)`;
