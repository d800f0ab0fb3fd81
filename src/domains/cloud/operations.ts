import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { iso, preciseIso } from "../tracks/track-view";
import { jobNotFound, myJobs } from "./job-view";
import type { OperationsQuery } from "./schemas";

type Row = { found: boolean; items: { cursor_at: string; op: Record<string, unknown> }[] };

const operationJson = sql`json_build_object(
  'id', s.id, 'source_type', s.source_type, 'file_id', s.file_id, 'remote_path', s.remote_path, 'content_hash', s.content_hash,
  'bytes', s.bytes, 'status', s.status, 'attempt_count', s.attempt_count, 'error_message', s.error_message, 'run_number', s.run_number,
  'started_at', ${iso("s.started_at")}, 'completed_at', ${iso("s.completed_at")}, 'created_at', ${iso("s.created_at")})`;

/**
 * GET /v1/me/backup-jobs/:id/operations: the files this job last wrote (one record per remote
 * file), newest first, by keyset cursor over (created_at, id); `status` narrows it (e.g. failed).
 * 404 for a job that is not mine. One round trip.
 */
export async function listOperations(db: Database, userId: string, jobId: string, q: OperationsQuery) {
  const [at, id] = q.cursor ? decodeCursor(q.cursor) : [null, null];
  const { rows } = await db.execute<Row>(sql`
    WITH job AS (SELECT j.id FROM ${myJobs(userId)} WHERE j.id = ${jobId}),
    page AS (
      SELECT s.id, s.created_at, ${preciseIso("s.created_at")} AS cursor_at, ${operationJson} AS op
        FROM sync_operations s
       WHERE s.backup_job_id = (SELECT id FROM job)
         AND (${q.status ?? null}::text IS NULL OR s.status = ${q.status ?? null})
         AND (${at}::timestamptz IS NULL OR (s.created_at, s.id) < (${at}::timestamptz, ${id}::uuid))
       ORDER BY s.created_at DESC, s.id DESC
       LIMIT ${q.limit + 1}
    )
    SELECT EXISTS (SELECT 1 FROM job) AS found,
           COALESCE((SELECT json_agg(json_build_object('cursor_at', cursor_at, 'op', op) ORDER BY created_at DESC, id DESC) FROM page), '[]'::json) AS items`);
  const row = rows[0]!;
  if (!row.found) throw jobNotFound();
  const items = row.items.slice(0, q.limit);
  const last = items[items.length - 1];
  return {
    items: items.map((i) => i.op as never),
    next_cursor: row.items.length > q.limit && last ? encodeCursor(last.cursor_at, String(last.op.id)) : null,
  };
}
