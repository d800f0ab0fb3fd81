import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { postgresConstraint } from "../../lib/database-errors";
import { ApiError, notFound } from "../../lib/errors";
import { parseJson } from "../../lib/json-value";
import { reportJson } from "./report-view";
import type { CreateReport, Report } from "./schemas";
import { reportTargetOwner } from "./targets";

const OPEN_REPORT = "uq_moderation_reports_open_reporter_target";

/**
 * POST /v1/reports, one statement: the target must be visible to the reporter (a message: to a
 * member of its room), and its author is recorded so moderators see every report about one person.
 * One open report per reporter and target (409); reporting oneself is refused (422).
 */
export async function createReport(db: Database, reporterId: string, input: CreateReport): Promise<Report> {
  let rows: Array<{ owner: string | null; found: boolean; report: unknown }>;
  try {
    ({ rows } = await db.execute<{ owner: string | null; found: boolean; report: unknown }>(sql`
      WITH target AS (${reportTargetOwner(input.target_type, input.target_id, reporterId)} LIMIT 1),
      r AS (
        INSERT INTO moderation_reports (reporter_id, target_type, target_id, target_user_id, reason_category, details)
        SELECT ${reporterId}::uuid, ${input.target_type}, ${input.target_id}::uuid, t.owner, ${input.reason_category}, ${input.details ?? null}
          FROM target t WHERE t.owner IS DISTINCT FROM ${reporterId}::uuid
        RETURNING *
      )
      SELECT (SELECT owner FROM target) AS owner, EXISTS (SELECT 1 FROM target) AS found, (SELECT ${reportJson} FROM r) AS report`));
  } catch (err) {
    if (postgresConstraint(err) === OPEN_REPORT) throw new ApiError("conflict", "You already reported this; moderators are looking at it.");
    throw err;
  }
  const row = rows[0]!;
  if (!row.found) throw notFound(`This ${input.target_type}`);
  if (!row.report) {
    throw new ApiError("validation_failed", "You cannot report yourself or your own content.", { errors: [{ path: "body.target_id", message: "is yours" }] });
  }
  return parseJson<Report>(row.report)!;
}
