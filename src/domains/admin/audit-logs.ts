import { sql, type SQL } from "drizzle-orm";
import type { z } from "@hono/zod-openapi";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { iso, preciseIso } from "../tracks/track-view";
import type { AuditLogEntrySchema, AuditLogQuerySchema } from "./schemas";

type AuditLogQuery = z.infer<typeof AuditLogQuerySchema>;
type AuditLogEntry = z.infer<typeof AuditLogEntrySchema>;
type AuditLogRow = AuditLogEntry & { sort_at: string };

/** The filters of an audit search, each one an indexed column of audit_logs (see migration 0013). */
function auditFilters(q: AuditLogQuery): SQL[] {
  const where: SQL[] = [];
  if (q.actor_id) where.push(sql`actor_id = ${q.actor_id}::uuid`);
  if (q.user_id) where.push(sql`user_id = ${q.user_id}::uuid`);
  if (q.action?.endsWith(".")) where.push(sql`action LIKE ${`${q.action}%`}`);
  else if (q.action) where.push(sql`action = ${q.action}`);
  if (q.entity_type) where.push(sql`table_name = ${q.entity_type}`);
  if (q.entity_id) where.push(sql`record_id = ${q.entity_id}::uuid`);
  if (q.severity) where.push(sql`severity >= ${q.severity}::audit_severity`);
  // Time bounds on the partition key let PostgreSQL skip whole monthly partitions.
  if (q.from) where.push(sql`created_at >= ${q.from}::timestamptz`);
  if (q.to) where.push(sql`created_at < ${q.to}::timestamptz`);
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor);
    where.push(sql`(created_at, id) < (${at}::timestamptz, ${id}::uuid)`);
  }
  return where;
}

/** One page of the audit log, newest first, with keyset paging over (created_at, id). One round trip. */
export async function searchAuditLogs(db: Database, q: AuditLogQuery): Promise<{ items: AuditLogEntry[]; next_cursor: string | null }> {
  const where = auditFilters(q);
  const { rows } = await db.execute<AuditLogRow>(sql`
    SELECT id, ${iso("created_at")} AS created_at, ${preciseIso("created_at")} AS sort_at,
           action, table_name AS entity_type, operation, record_id AS entity_id, user_id, actor_id,
           host(ip_address) AS ip_address, user_agent, request_id, severity, metadata, old_data, new_data
      FROM audit_logs
     ${where.length ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``}
     ORDER BY created_at DESC, id DESC
     LIMIT ${q.limit + 1}`);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ sort_at: _, ...entry }) => entry),
    next_cursor: rows.length > q.limit && last ? encodeCursor(last.sort_at, last.id) : null,
  };
}
