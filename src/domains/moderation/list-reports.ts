import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { parseJson } from "../../lib/json-value";
import { preciseIso } from "../tracks/track-view";
import { reportJson } from "./report-view";
import type { QueueQuery, Report } from "./schemas";

/**
 * GET /v1/moderation/reports (moderators): oldest first, so the queue is worked in order; by
 * default the open queue (open and in_review, on idx_moderation_reports_queue). One statement.
 */
export async function listReports(db: Database, moderatorId: string, q: QueueQuery): Promise<{ items: Report[]; next_cursor: string | null }> {
  const after = q.cursor ? decodeCursor(q.cursor) : null;
  const status = q.status ? sql`r.status = ${q.status}` : sql`r.status IN ('open', 'in_review')`;
  const type = q.target_type ? sql`AND r.target_type = ${q.target_type}` : sql``;
  const assignee = q.assigned_to ? sql`AND r.assigned_to = ${q.assigned_to === "me" ? moderatorId : q.assigned_to}::uuid` : sql``;
  const page = after ? sql`AND (r.created_at, r.id) > (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``;
  const { rows } = await db.execute<{ report: unknown; at: string }>(sql`
    SELECT ${reportJson} AS report, ${preciseIso("r.created_at")} AS at
      FROM moderation_reports r
     WHERE ${status} ${type} ${assignee} ${page}
     ORDER BY r.created_at, r.id
     LIMIT ${q.limit + 1}`);
  const items = rows.slice(0, q.limit).map((r) => parseJson<Report>(r.report)!);
  const last = rows.length > q.limit ? rows[q.limit - 1]! : null;
  return { items, next_cursor: last ? encodeCursor(last.at, items[items.length - 1]!.id) : null };
}
