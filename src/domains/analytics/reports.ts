import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { Env } from "../../env";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { ApiError, notFound } from "../../lib/errors";
import { REPORT_COLUMNS, REPORT_GENERATE, reportKey, toReport, type ReportRow } from "./report-link";
import type { CreateReportInput, Report } from "./schemas";

/**
 * POST /v1/me/reports: one statement checks that every named track is one of the owner's live
 * tracks and inserts the pending report (404 if any is not, whether it is someone else's or
 * nobody's); then the generation is queued on JOBS_QUEUE. A queue, not the hourly job: the owner
 * is waiting for the file, and a message is picked up in seconds, with the dispatcher's retries.
 * If the queue is down the report is withdrawn and the answer is 503. One round trip.
 */
export async function createReport(db: Database, env: Pick<Env, "JOBS_QUEUE" | "JWT_SECRET">, userId: string, input: CreateReportInput): Promise<Report> {
  const trackIds = input.params.track_ids ? [...new Set(input.params.track_ids)] : null;
  const { rows } = await db.execute<ReportRow>(sql`
    WITH wanted AS (
      SELECT value::uuid AS id FROM jsonb_array_elements_text(${JSON.stringify(trackIds ?? [])}::jsonb)
    ), missing AS (
      SELECT count(*) AS n FROM wanted w
       WHERE NOT EXISTS (SELECT 1 FROM tracks t WHERE t.id = w.id AND t.creator_id = ${userId}::uuid AND t.deleted_at IS NULL)
    ), r AS (
      INSERT INTO reports (owner_id, report_type, title, params, period_start, period_end, format)
      SELECT ${userId}::uuid, ${input.report_type}, ${input.title ?? null}, ${JSON.stringify(trackIds ? { track_ids: trackIds } : {})}::jsonb,
             ${input.period_start}::date, ${input.period_end}::date, ${input.format}
        FROM missing WHERE n = 0
      RETURNING *
    )
    SELECT ${REPORT_COLUMNS} FROM r`);
  const row = rows[0];
  if (!row) throw notFound("One of these tracks");
  try {
    await env.JOBS_QUEUE.send({ type: REPORT_GENERATE, reportId: row.id });
  } catch (err) {
    await db.execute(sql`DELETE FROM reports WHERE id = ${row.id}`).catch(() => undefined);
    throw new ApiError("service_unavailable", "The report could not be queued; try again in a moment.", { headers: { "Retry-After": "30" }, cause: err });
  }
  return toReport(row, env.JWT_SECRET);
}

/** GET /v1/me/reports: my reports, newest first, keyset on (created_at, id). One round trip. */
export async function listReports(
  db: Database,
  secret: string,
  userId: string,
  query: { limit: number; cursor?: string },
): Promise<{ items: Report[]; next_cursor: string | null }> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const { rows } = await db.execute<ReportRow>(sql`
    SELECT ${REPORT_COLUMNS} FROM reports r
     WHERE r.owner_id = ${userId}::uuid AND r.deleted_at IS NULL
       ${after ? sql`AND (r.created_at, r.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
     ORDER BY r.created_at DESC, r.id DESC
     LIMIT ${query.limit + 1}`);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: await Promise.all(page.map((row) => toReport(row, secret))),
    next_cursor: rows.length > query.limit && last ? encodeCursor(last.cursor_at, last.id) : null,
  };
}

/** GET /v1/me/reports/:id: one of my reports (anyone else's is 404). One round trip. */
export async function findReport(db: Database, secret: string, userId: string, reportId: string): Promise<Report> {
  const { rows } = await db.execute<ReportRow>(sql`
    SELECT ${REPORT_COLUMNS} FROM reports r WHERE r.id = ${reportId}::uuid AND r.owner_id = ${userId}::uuid AND r.deleted_at IS NULL`);
  if (!rows[0]) throw notFound("This report");
  return toReport(rows[0], secret);
}

/**
 * DELETE /v1/me/reports/:id: soft-deletes one of my reports (its link stops working at once) and
 * removes its file from R2. A report still being generated is not written once deleted (the
 * generator's final UPDATE skips deleted rows). One round trip.
 */
export async function deleteReport(db: Database, bucket: R2Bucket, userId: string, reportId: string): Promise<void> {
  const { rows } = await db.execute<{ format: string }>(sql`
    UPDATE reports SET deleted_at = now() WHERE id = ${reportId}::uuid AND owner_id = ${userId}::uuid AND deleted_at IS NULL RETURNING format`);
  if (!rows[0]) throw notFound("This report");
  await bucket.delete(reportKey(userId, reportId, rows[0].format));
}
