import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, notFound } from "../../lib/errors";
import { reportLinks } from "./report-link";

/**
 * GET /v1/reports/:id/download?exp=&sig=: the link itself is the permission (signed for this
 * report, expiring within the hour, handed only to its owner). One round trip checks that the
 * report is still there: completed, not deleted nor expired, its owner's account live. Then the
 * file streams from R2.
 */
export async function openReport(db: Database, bucket: R2Bucket, secret: string, reportId: string, query: { exp?: string; sig?: string }): Promise<Response> {
  const signature = await reportLinks.verify(secret, reportId, query);
  if (!signature) throw new ApiError("unauthenticated", "This link needs its `exp` and `sig`: use the download_url of the report as it is.");
  const { rows } = await db.execute<{ file_key: string; format: string; report_type: string; period_start: string; period_end: string }>(sql`
    SELECT r.file_key, r.format, r.report_type, to_char(r.period_start, 'YYYY-MM-DD') AS period_start, to_char(r.period_end, 'YYYY-MM-DD') AS period_end
      FROM reports r JOIN users u ON u.id = r.owner_id
     WHERE r.id = ${reportId}::uuid AND r.status = 'completed' AND r.deleted_at IS NULL AND r.expires_at > now()
       AND u.deleted_at IS NULL AND NOT u.is_banned`);
  const row = rows[0];
  if (!row) throw notFound("This report");
  const object = await bucket.get(row.file_key);
  if (!object) throw notFound("This report's file");
  const filename = `veza-${row.report_type.replace(/_/g, "-")}-${row.period_start}-${row.period_end}.${row.format}`;
  return new Response(object.body, {
    headers: {
      "Content-Type": row.format === "csv" ? "text/csv; charset=utf-8" : "application/json",
      "Content-Length": String(object.size),
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
