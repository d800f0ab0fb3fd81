import { sql } from "drizzle-orm";
import { z } from "@hono/zod-openapi";
import type { MessageHandler } from "../../jobs/queue";
import { FIGURE_COLUMNS, REPORT_COLUMNS_OF, reportLines, toCsv, type ReportRequest } from "./report-content";
import { REPORT_GENERATE, REPORT_KEEP_DAYS, reportKey } from "./report-link";

/** Attempts after which a report is marked failed instead of retried once more. */
export const REPORT_MAX_ATTEMPTS = 3;

const MessageSchema = z.object({ type: z.literal(REPORT_GENERATE), reportId: z.uuid() });

/**
 * The queue consumer of a report: claims it (pending or processing: a retried attempt takes it
 * over), builds its lines, writes the file to R2 and marks it completed with its key, size and
 * expiry, unless the report was deleted meanwhile (then the file goes again). A deleted or already
 * completed report is acknowledged without work. A failure is retried by the dispatcher; the last
 * attempt records the failure on the report instead, so its owner learns of it.
 */
export const generateReport: MessageHandler = async (body, { env, db, log, attempts }) => {
  const message = MessageSchema.safeParse(body);
  if (!message.success) {
    log.error("malformed report message", { body });
    return;
  }
  const { reportId } = message.data;
  const claimed = await db.execute<ReportRequest & { format: "csv" | "json"; id: string; report_title: string | null }>(sql`
    UPDATE reports SET status = 'processing'
     WHERE id = ${reportId}::uuid AND status IN ('pending', 'processing') AND deleted_at IS NULL
    RETURNING id, owner_id, report_type, params, to_char(period_start, 'YYYY-MM-DD') AS period_start,
              to_char(period_end, 'YYYY-MM-DD') AS period_end, format, title AS report_title`);
  const report = claimed.rows[0];
  if (!report) return;
  try {
    const lines = await reportLines(db, report);
    const columns = [...REPORT_COLUMNS_OF[report.report_type], ...FIGURE_COLUMNS];
    const generatedAt = new Date().toISOString();
    const content =
      report.format === "csv"
        ? toCsv(columns, lines)
        : JSON.stringify({
            report: { id: report.id, report_type: report.report_type, title: report.report_title, period_start: report.period_start, period_end: report.period_end, generated_at: generatedAt },
            columns,
            lines,
          });
    const bytes = new TextEncoder().encode(content);
    const key = reportKey(report.owner_id, report.id, report.format);
    await env.MEDIA.put(key, bytes, {
      httpMetadata: { contentType: report.format === "csv" ? "text/csv; charset=utf-8" : "application/json" },
      customMetadata: { generatedAt },
    });
    const done = await db.execute(sql`
      UPDATE reports SET status = 'completed', file_key = ${key}, file_size = ${bytes.byteLength}, error_message = NULL,
                         generated_at = ${generatedAt}::timestamptz, expires_at = ${generatedAt}::timestamptz + make_interval(days => ${REPORT_KEEP_DAYS})
       WHERE id = ${report.id}::uuid AND deleted_at IS NULL
      RETURNING 1`);
    if (done.rows.length === 0) await env.MEDIA.delete(key);
    log.info("report generated", { reportId, lines: lines.length, bytes: bytes.byteLength });
  } catch (err) {
    if (attempts < REPORT_MAX_ATTEMPTS) throw err;
    log.error("report failed", { reportId, error: err instanceof Error ? err.message : String(err) });
    await db.execute(sql`
      UPDATE reports SET status = 'failed', error_message = 'The report could not be generated; ask for it again.'
       WHERE id = ${report.id}::uuid AND status = 'processing'`);
  }
};

/** The analytics domain's queue messages (src/jobs/queue.ts dispatches on `type`). */
export const analyticsMessageHandlers: Record<string, MessageHandler> = {
  [REPORT_GENERATE]: generateReport,
};
