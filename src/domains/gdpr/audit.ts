import { is, SQL, sql } from "drizzle-orm";
import type { RequestMeta } from "./request-meta";

/**
 * Makes the row-change audit trigger of `users`/`orders` (0013) attribute what follows in the same
 * batch to `userId`. Only lasts for the batch's transaction (is_local = true).
 */
export const actAs = (userId: string) => sql`SELECT set_config('veza.actor_id', ${userId}, true)`;

export interface AuditEntry {
  /** Dotted action name, e.g. 'consent.change' (chk_audit_logs_action_format). */
  action: string;
  /** The subject: whose data this is. A SQL expression when the row comes from a SELECT. */
  userId: string | SQL;
  /** Who did it; null for the system (cron jobs, queue consumers). */
  actorId: string | SQL | null;
  severity?: "info" | "warning";
  meta?: RequestMeta;
  metadata?: Record<string, unknown> | SQL;
  oldData?: SQL;
  newData?: SQL;
}

const uuidOf = (v: string | SQL | null) => (v === null ? sql`NULL::uuid` : is(v, SQL) ? v : sql`${v}::uuid`);

/**
 * `INSERT INTO audit_logs ... SELECT ...` for one application action, optionally `FROM` a CTE so
 * the row is written only when (and as often as) the change it records happened. Used inside the
 * statement or batch that makes the change: the record and the change commit together.
 */
export function insertAudit(entry: AuditEntry, from?: SQL): SQL {
  const metadata = entry.metadata === undefined ? sql`'{}'::jsonb` : is(entry.metadata, SQL) ? entry.metadata : sql`${JSON.stringify(entry.metadata)}::jsonb`;
  return sql`INSERT INTO audit_logs (action, user_id, actor_id, ip_address, user_agent, request_id, severity, metadata, old_data, new_data)
    SELECT ${entry.action}, ${uuidOf(entry.userId)}, ${uuidOf(entry.actorId)},
           ${entry.meta?.ip ?? null}::inet, ${entry.meta?.userAgent ?? null}::text, ${entry.meta?.requestId ?? null}::uuid,
           ${entry.severity ?? "info"}::audit_severity, ${metadata},
           ${entry.oldData ?? sql`NULL::jsonb`}, ${entry.newData ?? sql`NULL::jsonb`}
    ${from ? sql`FROM ${from}` : sql``}`;
}
