import { sql } from "drizzle-orm";
import { signedQuery, urlSigner } from "../../lib/signed-url";
import { iso, preciseIso } from "../tracks/track-view";
import type { Report } from "./schemas";

/** Queue message type of a report to generate (src/jobs/queue.ts dispatches on it). */
export const REPORT_GENERATE = "analytics.report";

/** How long a generated report stays downloadable. */
export const REPORT_KEEP_DAYS = 30;

/** Where a report's file lives in R2 (MEDIA, as the GDPR archives): one folder per owner. */
export const reportKey = (ownerId: string, reportId: string, format: string) => `reports/${ownerId}/${reportId}.${format}`;

/**
 * Download links are signed for one report and expire within about an hour, under a key of their
 * own: a link works without a bearer token (a browser's plain download), and is only ever handed
 * to the report's owner.
 */
export const reportLinks = urlSigner("analytics-report", {
  ttlSeconds: 3600,
  invalid: "This download link is not valid.",
  expired: "This download link has expired; ask for the report again to get a new one.",
});

export const downloadPath = (reportId: string) => `/v1/reports/${reportId}/download`;

export type ReportRow = Omit<Report, "download_url"> & { cursor_at: string };

/** The columns of a report (alias `r`) as ReportRow: an expired completed report says so. */
export const REPORT_COLUMNS = sql`
  r.id, r.report_type, r.title, r.params, to_char(r.period_start, 'YYYY-MM-DD') AS period_start, to_char(r.period_end, 'YYYY-MM-DD') AS period_end,
  r.format, CASE WHEN r.status = 'completed' AND r.expires_at <= now() THEN 'expired' ELSE r.status END AS status,
  r.error_message, r.file_size::int AS file_size, ${iso("r.generated_at")} AS generated_at, ${iso("r.expires_at")} AS expires_at,
  ${iso("r.created_at")} AS created_at, ${preciseIso("r.created_at")} AS cursor_at`;

/** A report as answered to its owner, with a fresh signed link when it can be downloaded. */
export async function toReport(row: ReportRow, secret: string): Promise<Report> {
  const { cursor_at: _cursor, ...report } = row;
  const download_url = row.status === "completed" ? downloadPath(row.id) + signedQuery(await reportLinks.sign(secret, row.id)) : null;
  return { ...report, file_size: row.file_size === null ? null : Number(row.file_size), download_url };
}
