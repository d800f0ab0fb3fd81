import { sql, type SQL } from "drizzle-orm";
import { iso } from "../tracks/track-view";

/** A report as the API shows it: a JSON object over a `moderation_reports` row aliased `r`. */
export const reportJson: SQL = sql`json_build_object(
  'id', r.id, 'reporter_id', r.reporter_id, 'target_type', r.target_type, 'target_id', r.target_id,
  'target_user_id', r.target_user_id, 'reason_category', r.reason_category, 'details', r.details, 'status', r.status,
  'assigned_to', r.assigned_to, 'resolved_at', ${iso("r.resolved_at")}, 'resolved_by', r.resolved_by,
  'resolution_note', r.resolution_note, 'created_at', ${iso("r.created_at")}, 'updated_at', ${iso("r.updated_at")})`;
