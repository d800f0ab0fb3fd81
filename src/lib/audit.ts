import { is, SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { clientOf, type ClientOptions } from "./request-client";

/**
 * Application rows of audit_logs (migration 0013): one action (`auth.password_change`,
 * `role.grant`, ...), its subject and actor, where the request came from, and what changed. The
 * row-change rows of the same table come from the database's audit trigger; `actAs` names their
 * actor.
 *
 * Each builder returns a statement for the caller's `db.batch` or data-modifying CTE, so the record
 * and the change it records commit together.
 */

export type AuditSeverity = "info" | "warning" | "error" | "critical";

/** Where an action came from: audit_logs' ip_address, user_agent and request_id (each may be null). */
export interface AuditOrigin {
  ip: string | null;
  userAgent: string | null;
  /** Left null when not given. */
  requestId?: string | null;
}

export interface AuditEntry {
  /** Dotted action name, e.g. 'auth.login_new_device', 'consent.change' (chk_audit_logs_action_format). */
  action: string;
  /** The subject: whose account or data this is. A SQL expression when the row comes from a SELECT. */
  userId: string | SQL;
  /** Who did it; defaults to the subject (a user acting on their own account); null for the system (cron jobs, queues). */
  actorId?: string | SQL | null;
  /** Defaults to 'info'. */
  severity?: AuditSeverity;
  /** The request behind the action (see `auditOriginOf`); none for the system. */
  origin?: AuditOrigin | null;
  /** A plain object, or SQL building a jsonb object from the caller's statement; defaults to {}. */
  metadata?: Record<string, unknown> | SQL;
  /** SQL jsonb of the state before and after, when the row records one; NULL otherwise. */
  oldData?: SQL;
  newData?: SQL;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The request's id when it is a UUID (audit_logs.request_id is one; a client-chosen X-Request-Id may not be), else null. */
export function requestIdOf(c: Context<AppEnv>): string | null {
  const requestId = c.get("requestId");
  return requestId && UUID.test(requestId) ? requestId : null;
}

/** The origin of an action taken by request `c`: its client (see `clientOf` for the options) and its id. */
export function auditOriginOf(c: Context<AppEnv>, options?: ClientOptions): Required<AuditOrigin> {
  const { ip, userAgent } = clientOf(c, options);
  return { ip, userAgent, requestId: requestIdOf(c) };
}

const COLUMNS = sql.raw("(action, user_id, actor_id, ip_address, user_agent, request_id, severity, metadata, old_data, new_data)");

const uuidOf = (v: string | SQL | null) => (v === null ? sql`NULL::uuid` : is(v, SQL) ? v : sql`${v}::uuid`);

function auditValues(entry: AuditEntry): SQL {
  const origin = entry.origin;
  const metadata = is(entry.metadata, SQL) ? entry.metadata : sql`${JSON.stringify(entry.metadata ?? {})}::jsonb`;
  return sql`${entry.action}, ${uuidOf(entry.userId)}, ${uuidOf(entry.actorId === undefined ? entry.userId : entry.actorId)},
    ${origin?.ip ?? null}::inet, ${origin?.userAgent ?? null}::text, ${origin?.requestId ?? null}::uuid,
    ${entry.severity ?? "info"}::audit_severity, ${metadata},
    ${entry.oldData ?? sql`NULL::jsonb`}, ${entry.newData ?? sql`NULL::jsonb`}`;
}

/** `INSERT INTO audit_logs ... VALUES (...)`: one row, e.g. for a `db.batch` next to the change it records. */
export function auditInsert(entry: AuditEntry): SQL {
  return sql`INSERT INTO audit_logs ${COLUMNS} VALUES (${auditValues(entry)})`;
}

/**
 * `INSERT INTO audit_logs ... SELECT ... FROM <from>`: a row per row `from` yields (a CTE name,
 * join or condition of the caller's statement, e.g. sql`changed` or sql`tok WHERE ...`), so the
 * row is written only when, and as often as, the change it records happened. Entry values may be
 * SQL over `from`'s columns. The caller may append `RETURNING ...`.
 */
export function auditInsertFrom(entry: AuditEntry, from: SQL): SQL {
  return sql`INSERT INTO audit_logs ${COLUMNS} SELECT ${auditValues(entry)} FROM ${from}`;
}

/**
 * First statement of a batch: makes the row-change audit trigger (users, orders; migration 0013)
 * attribute the rest of the batch's transaction to `actorId` (is_local: it ends with the
 * transaction). SQL when the actor is looked up in the statement: a text expression, '' for none.
 */
export const actAs = (actorId: string | SQL) => sql`SELECT set_config('veza.actor_id', ${actorId}, true)`;
