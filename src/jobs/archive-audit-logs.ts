import { sql } from "drizzle-orm";
import { clockOf } from "./retention";
import type { JobContext } from "./schedule";

/** §18.1: audit logs are kept 24 months, then archived to cold storage and deleted. */
export const AUDIT_RETENTION_MONTHS = 24;
/** Rows per R2 object, and objects per run: a month of millions of rows is archived over several runs. */
export const AUDIT_ARCHIVE_PART_ROWS = 5000;
export const AUDIT_ARCHIVE_PARTS_PER_RUN = 10;

/** Where a month's archive lives in R2 (the MEDIA bucket, under a prefix no download route serves). */
export const auditArchiveKey = (month: string, part: number) => `archives/audit-logs/${month.slice(0, 7)}/part-${String(part).padStart(6, "0")}.jsonl`;

type Progress = {
  id: string;
  partition_name: string;
  month: string;
  parts: number;
  cursor_created_at: string | null;
  cursor_id: string | null;
};

type Line = { line: string; created_at: string; id: string };

/**
 * Rows of an expired month still in audit_logs_default (written before their month's partition
 * existed) are moved into that month's partition first, so they are archived like the rest:
 * ensure_monthly_partition is the one path the append-only trigger lets move them.
 */
async function partitionStrayRows({ db, now }: JobContext): Promise<void> {
  await db.execute(sql`
    SELECT ensure_monthly_partition('audit_logs', date_trunc('month', m)::date)
      FROM (SELECT min(created_at) AS m FROM audit_logs_default
             WHERE created_at < date_trunc('month', ${clockOf(now)} - make_interval(months => ${AUDIT_RETENTION_MONTHS}))) d
     WHERE m IS NOT NULL`);
}

/** The oldest month partition entirely older than the retention period, with its archive progress (created if new). */
async function oldestExpiredPartition({ db, now }: JobContext): Promise<Progress | null> {
  const { rows } = await db.execute<Progress>(sql`
    WITH expired AS (
      SELECT c.relname::text AS partition_name, to_date(right(c.relname, 7), 'YYYY_MM') AS month
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_class p ON p.oid = i.inhparent
       WHERE p.relname = 'audit_logs' AND c.relname ~ '^audit_logs_[0-9]{4}_[0-9]{2}$'
         AND to_date(right(c.relname, 7), 'YYYY_MM') + interval '1 month'
             <= ${clockOf(now)} - make_interval(months => ${AUDIT_RETENTION_MONTHS})
       ORDER BY month
       LIMIT 1
    ), started AS (
      INSERT INTO audit_log_archives (partition_name, month)
      SELECT partition_name, month FROM expired
      ON CONFLICT (partition_name) DO NOTHING
      RETURNING id, partition_name, month::text, parts, cursor_created_at::text, cursor_id
    )
    SELECT * FROM started
    UNION ALL
    SELECT a.id, a.partition_name, a.month::text, a.parts, a.cursor_created_at::text, a.cursor_id
      FROM audit_log_archives a JOIN expired e USING (partition_name)`);
  return rows[0] ?? null;
}

/** The next part's rows after the cursor, each as one JSON line, in (created_at, id) order. */
async function nextRows({ db }: JobContext, progress: Progress): Promise<Line[]> {
  const after = progress.cursor_created_at
    ? sql`WHERE (created_at, id) > (${progress.cursor_created_at}::timestamptz, ${progress.cursor_id}::uuid)`
    : sql``;
  const { rows } = await db.execute<Line>(sql`
    SELECT row_to_json(a)::text AS line, a.created_at::text AS created_at, a.id::text AS id
      FROM ${sql.identifier(progress.partition_name)} a ${after}
     ORDER BY a.created_at, a.id
     LIMIT ${AUDIT_ARCHIVE_PART_ROWS}`);
  return rows;
}

/**
 * Writes one part to R2, then moves the cursor, only if no other run moved it meanwhile (the
 * part's key and content depend on the cursor alone, so a concurrent run writes the same object).
 */
async function archivePart(ctx: JobContext, progress: Progress, lines: Line[]): Promise<Progress | null> {
  const part = progress.parts + 1;
  await ctx.env.MEDIA.put(auditArchiveKey(progress.month, part), lines.map((l) => l.line).join("\n") + "\n", {
    httpMetadata: { contentType: "application/x-ndjson" },
    customMetadata: { partition: progress.partition_name, rows: String(lines.length) },
  });
  const last = lines[lines.length - 1]!;
  const { rows } = await ctx.db.execute<{ parts: number }>(sql`
    UPDATE audit_log_archives
       SET parts = ${part}, rows_archived = rows_archived + ${lines.length},
           cursor_created_at = ${last.created_at}::timestamptz, cursor_id = ${last.id}::uuid
     WHERE id = ${progress.id}::uuid AND parts = ${progress.parts}
    RETURNING parts`);
  if (!rows.length) return null;
  return { ...progress, parts: part, cursor_created_at: last.created_at, cursor_id: last.id };
}

/**
 * Every row is in R2: the partition goes. Dropping a partition fires no row trigger (audit_logs
 * stays append-only row by row); IF EXISTS because a concurrent run may have dropped it already.
 */
async function dropArchivedPartition({ db }: JobContext, progress: Progress): Promise<void> {
  await db.batch([
    db.execute(sql`DROP TABLE IF EXISTS ${sql.identifier(progress.partition_name)}`),
    db.execute(sql`UPDATE audit_log_archives SET dropped_at = now() WHERE id = ${progress.id}::uuid`),
  ]);
}

/**
 * Daily (§18.1, §21.3): archives the oldest audit_logs month older than 24 months to R2 as JSON
 * lines, AUDIT_ARCHIVE_PART_ROWS rows per object, at most AUDIT_ARCHIVE_PARTS_PER_RUN objects per
 * run, then drops the partition once every row is archived. The next run continues from the
 * recorded cursor; a run with nothing expired does nothing.
 */
export async function archiveAuditLogs(ctx: JobContext): Promise<Record<string, number>> {
  const counts = { rowsArchived: 0, parts: 0, partitionsDropped: 0 };
  await partitionStrayRows(ctx);
  let progress = await oldestExpiredPartition(ctx);
  for (let i = 0; progress && i < AUDIT_ARCHIVE_PARTS_PER_RUN; i++) {
    const lines = await nextRows(ctx, progress);
    if (lines.length) {
      progress = await archivePart(ctx, progress, lines);
      if (!progress) break; // a concurrent run got there first; it carries on
      counts.rowsArchived += lines.length;
      counts.parts++;
    }
    if (lines.length < AUDIT_ARCHIVE_PART_ROWS) {
      await dropArchivedPartition(ctx, progress);
      counts.partitionsDropped++;
      progress = await oldestExpiredPartition(ctx);
    }
  }
  return counts;
}
