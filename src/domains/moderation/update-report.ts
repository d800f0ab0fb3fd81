import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { auditInsertFrom, type AuditOrigin } from "../../lib/audit";
import { ApiError, notFound } from "../../lib/errors";
import { parseJson } from "../../lib/json-value";
import { reportJson } from "./report-view";
import type { Report, UpdateReport } from "./schemas";

const CLOSED = new Set(["resolved", "dismissed"]);

/**
 * PATCH /v1/moderation/reports/:id (moderators), one statement: assign (to a moderator or admin,
 * or nobody), move along (in_review), close (resolved / dismissed, with a note) or reopen. Assigning
 * an open report puts it in review. Recorded in audit_logs (moderation.report_update).
 */
export async function updateReport(db: Database, reportId: string, moderatorId: string, input: UpdateReport, origin: AuditOrigin): Promise<Report> {
  const closing = input.status !== undefined && CLOSED.has(input.status);
  const assign = input.assigned_to !== undefined;
  const status = input.status
    ? sql`${input.status}`
    : assign && input.assigned_to
      ? sql`CASE WHEN r.status = 'open' THEN 'in_review' ELSE r.status END`
      : sql`r.status`;
  const { rows } = await db.execute<{ found: boolean; assignee_ok: boolean; report: unknown }>(sql`
    WITH target AS (SELECT id FROM moderation_reports WHERE id = ${reportId}::uuid),
    assignee AS (
      SELECT ${!assign || input.assigned_to === null}::boolean
          OR EXISTS (SELECT 1 FROM users WHERE id = ${input.assigned_to ?? null}::uuid AND role IN ('moderator', 'admin')
                      AND deleted_at IS NULL AND NOT is_banned) AS ok
    ),
    r AS (
      UPDATE moderation_reports r SET
        status = ${status},
        assigned_to = ${assign ? sql`${input.assigned_to ?? null}::uuid` : sql`r.assigned_to`},
        resolved_at = CASE WHEN ${closing}::boolean THEN now() WHEN ${input.status !== undefined}::boolean THEN NULL ELSE r.resolved_at END,
        resolved_by = CASE WHEN ${closing}::boolean THEN ${moderatorId}::uuid WHEN ${input.status !== undefined}::boolean THEN NULL ELSE r.resolved_by END,
        resolution_note = COALESCE(${input.resolution_note ?? null}, r.resolution_note)
        FROM target, assignee a WHERE r.id = target.id AND a.ok
      RETURNING r.*
    ), logged AS (${auditInsertFrom(
      {
        action: "moderation.report_update",
        userId: moderatorId,
        actorId: moderatorId,
        origin,
        metadata: sql`jsonb_build_object('report_id', r.id, 'status', r.status, 'assigned_to', r.assigned_to, 'target_type', r.target_type, 'target_id', r.target_id)`,
      },
      sql`r`,
    )})
    SELECT EXISTS (SELECT 1 FROM target) AS found, (SELECT ok FROM assignee) AS assignee_ok, (SELECT ${reportJson} FROM r) AS report`);
  const row = rows[0]!;
  if (!row.found) throw notFound("This report");
  if (!row.assignee_ok) throw new ApiError("validation_failed", "Reports are assigned to moderators.", { errors: [{ path: "body.assigned_to", message: "is not a moderator" }] });
  return parseJson<Report>(row.report)!;
}
