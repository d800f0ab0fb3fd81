import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { CloudProvider } from "../../db/schema/cloud";
import type { Candidate, JobScope } from "./backup-sources";

/**
 * The SQL of a backup run. A run's state lives in the database, not in the invocation: every file
 * to copy is a sync_operations row stamped with the job and run number, so a run can stop at its
 * budget and be continued, or be redelivered, without copying a completed file twice.
 */

export type RunningJob = JobScope & {
  cloud_account_id: string;
  schedule: string | null;
  schedule_timezone: string;
  is_enabled: boolean;
  provider: CloudProvider;
  server_url: string;
  username: string;
  encrypted_password: string;
  account_status: string;
  owner_deleted: boolean;
};

/** Marks run `run` of the job running; null when the message is stale (another run, finished, or the job is gone). */
export async function startRun(db: Database, jobId: string, run: number): Promise<RunningJob | null> {
  const { rows } = await db.execute<RunningJob>(sql`
    UPDATE backup_jobs j SET status = 'running', started_at = COALESCE(j.started_at, now())
      FROM cloud_accounts a JOIN users u ON u.id = a.user_id
     WHERE j.id = ${jobId} AND j.run_count = ${run} AND j.status IN ('queued', 'running') AND a.id = j.cloud_account_id
    RETURNING j.id, a.user_id, j.remote_path, j.include_tracks, j.include_projects, j.include_data_export, j.cloud_account_id,
              j.schedule, j.schedule_timezone, j.is_enabled, a.provider, a.server_url, a.username, a.encrypted_password,
              a.status AS account_status, u.deleted_at IS NOT NULL AS owner_deleted`);
  return rows[0] ?? null;
}

/** Candidates per upsert statement: each is a few hundred bytes of JSON. */
const PLAN_CHUNK = 500;

/**
 * The migration's "copy only what changed": one upsert per remote file. A row whose last copy
 * completed with the same hash is left alone (skipped); any other — new, changed, or not completed —
 * becomes pending for this run. Rows this run already planned are left alone too, so a redelivered
 * plan does not reset files in flight. Then files_total, files_skipped and bytes_total are set from
 * what the database holds for the run. One round trip (a batch).
 */
export async function planRun(db: Database, job: RunningJob, run: number, candidates: Candidate[]): Promise<void> {
  const upserts = [];
  for (let i = 0; i < candidates.length; i += PLAN_CHUNK) {
    const chunk = JSON.stringify(candidates.slice(i, i + PLAN_CHUNK));
    upserts.push(
      db.execute(sql`
        INSERT INTO sync_operations (cloud_account_id, backup_job_id, run_number, source_type, file_id, local_key, remote_path, content_hash, bytes, status)
        SELECT ${job.cloud_account_id}::uuid, ${job.id}::uuid, ${run}::int, c.source_type, c.file_id, c.local_key, c.remote_path, c.content_hash, c.bytes, 'pending'
          FROM json_to_recordset(${chunk}::json) AS c(source_type text, file_id uuid, local_key text, remote_path text, content_hash text, bytes bigint)
        ON CONFLICT (cloud_account_id, remote_path) DO UPDATE SET
          backup_job_id = EXCLUDED.backup_job_id, run_number = EXCLUDED.run_number, source_type = EXCLUDED.source_type,
          file_id = EXCLUDED.file_id, local_key = EXCLUDED.local_key, content_hash = EXCLUDED.content_hash, bytes = EXCLUDED.bytes,
          status = 'pending', attempt_count = 0, error_message = NULL, started_at = NULL
         WHERE (sync_operations.content_hash <> EXCLUDED.content_hash OR sync_operations.status <> 'completed')
           AND NOT (sync_operations.backup_job_id IS NOT DISTINCT FROM EXCLUDED.backup_job_id
                    AND sync_operations.run_number IS NOT DISTINCT FROM EXCLUDED.run_number)`),
    );
  }
  const total = candidates.length;
  const totals = db.execute(sql`
    WITH planned AS (
      SELECT count(*)::int AS n, COALESCE(sum(bytes), 0)::bigint AS bytes FROM sync_operations WHERE backup_job_id = ${job.id} AND run_number = ${run}
    )
    UPDATE backup_jobs j SET files_total = GREATEST(${total}::int, planned.n), files_skipped = GREATEST(${total}::int - planned.n, 0),
           bytes_total = planned.bytes, files_copied = 0, files_failed = 0, bytes_copied = 0, progress_percent = 0
      FROM planned
     WHERE j.id = ${job.id} AND j.run_count = ${run}`);
  await db.batch([...upserts, totals] as unknown as Parameters<typeof db.batch>[0]);
}

export type ClaimedOperation = { id: string; source_type: string; local_key: string; remote_path: string; bytes: string | number; attempt_count: number };

/**
 * Takes up to `limit` files of the run to copy: pending ones, and ones left in progress by an
 * invocation that died (not touched for 15 minutes; a live one's are not taken from it).
 */
export async function claimOperations(db: Database, jobId: string, run: number, limit: number): Promise<ClaimedOperation[]> {
  const { rows } = await db.execute<ClaimedOperation>(sql`
    UPDATE sync_operations s SET status = 'in_progress', attempt_count = s.attempt_count + 1, started_at = now()
     WHERE s.id IN (
       SELECT id FROM sync_operations
        WHERE backup_job_id = ${jobId} AND run_number = ${run}
          AND (status = 'pending' OR (status = 'in_progress' AND updated_at < now() - interval '15 minutes'))
        ORDER BY remote_path
        LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
    RETURNING s.id, s.source_type, s.local_key, s.remote_path, s.bytes, s.attempt_count`);
  return rows.sort((a, b) => (a.remote_path < b.remote_path ? -1 : 1));
}

/** The outcome of one claimed file: completed, failed (with why), or given back untried. */
export type OperationResult =
  | { id: string; status: "completed"; etag: string | null; bytes: number }
  | { id: string; status: "failed"; error: string }
  | { id: string; status: "pending" };

/** The run's counters, from its sync_operations rows. */
const runCounts = (jobId: string, run: number) => sql`
  SELECT count(*) FILTER (WHERE status = 'completed')::int AS copied,
         count(*) FILTER (WHERE status = 'failed')::int AS failed,
         count(*) FILTER (WHERE status IN ('pending', 'in_progress'))::int AS open,
         COALESCE(sum(bytes) FILTER (WHERE status = 'completed'), 0)::bigint AS bytes_copied,
         COALESCE(sum(bytes), 0)::bigint AS bytes_total
    FROM sync_operations WHERE backup_job_id = ${jobId} AND run_number = ${run}`;

/** Records a batch of outcomes and the job's progress: one round trip per batch, not per byte or file. */
export async function recordResults(db: Database, jobId: string, run: number, results: OperationResult[]): Promise<void> {
  const json = JSON.stringify(
    results.map((r) => ({ id: r.id, status: r.status, error: r.status === "failed" ? r.error : null, etag: r.status === "completed" ? r.etag : null, bytes: r.status === "completed" ? r.bytes : null })),
  );
  await db.batch([
    db.execute(sql`
      UPDATE sync_operations s SET
        status = r.status,
        error_message = r.error,
        remote_etag = CASE WHEN r.status = 'completed' THEN left(r.etag, 255) ELSE s.remote_etag END,
        bytes = COALESCE(r.bytes, s.bytes),
        completed_at = CASE WHEN r.status = 'completed' THEN now() ELSE s.completed_at END,
        attempt_count = CASE WHEN r.status = 'pending' THEN GREATEST(s.attempt_count - 1, 0) ELSE s.attempt_count END
        FROM json_to_recordset(${json}::json) AS r(id uuid, status text, error text, etag text, bytes bigint)
       WHERE s.id = r.id AND s.backup_job_id = ${jobId} AND s.run_number = ${run}`),
    db.execute(sql`
      WITH c AS (${runCounts(jobId, run)})
      UPDATE backup_jobs j SET files_copied = c.copied, files_failed = c.failed, bytes_copied = c.bytes_copied, bytes_total = c.bytes_total,
             progress_percent = CASE WHEN j.files_total = 0 THEN 0
                                     ELSE LEAST(99, floor(100.0 * (c.copied + c.failed + j.files_skipped) / j.files_total))::int END
        FROM c
       WHERE j.id = ${jobId} AND j.run_count = ${run} AND j.status = 'running'`),
  ]);
}

export type RunEnd =
  | { kind: "done" }
  /** A failure that ends the run (wrong password, server gone, account full); `account` also marks the account. */
  | { kind: "stopped"; message: string; account: boolean }
  | { kind: "cancelled"; message: string };

/**
 * Ends the run: completed when every file is copied or unchanged, failed otherwise (with the reason
 * or a count of the files that failed), with last_success_at and the next scheduled time. A run
 * stopped by a refused password also puts the account in error. One round trip.
 */
export async function finishRun(db: Database, job: RunningJob, run: number, end: RunEnd, nextRunAt: Date | null): Promise<{ status: string } | null> {
  const stopped = end.kind === "done" ? null : end.message;
  const cancelled = end.kind === "cancelled";
  const markAccount = end.kind === "stopped" && end.account;
  const { rows } = await db.execute<{ status: string }>(sql`
    WITH c AS (${runCounts(job.id, run)}),
    j AS (
      UPDATE backup_jobs j SET
        status = CASE WHEN ${cancelled} THEN 'cancelled' WHEN ${stopped}::text IS NOT NULL OR c.failed > 0 OR c.open > 0 THEN 'failed' ELSE 'completed' END,
        error_message = CASE WHEN ${stopped}::text IS NOT NULL THEN ${stopped}
                             WHEN c.failed > 0 THEN c.failed || ' of ' || (c.copied + c.failed + c.open) || ' files could not be copied; the job''s operations say why.'
                             WHEN c.open > 0 THEN 'The run ended with files not copied yet; run it again.' END,
        files_copied = c.copied, files_failed = c.failed, bytes_copied = c.bytes_copied, bytes_total = c.bytes_total,
        progress_percent = CASE WHEN ${stopped}::text IS NULL AND c.failed = 0 AND c.open = 0 THEN 100
                                WHEN j.files_total = 0 THEN 0
                                ELSE LEAST(99, floor(100.0 * (c.copied + c.failed + j.files_skipped) / j.files_total))::int END,
        finished_at = now(),
        last_success_at = CASE WHEN ${stopped}::text IS NULL AND c.failed = 0 AND c.open = 0 THEN now() ELSE j.last_success_at END,
        next_run_at = CASE WHEN j.next_run_at IS NULL OR j.next_run_at <= now() THEN ${nextRunAt?.toISOString() ?? null}::timestamptz ELSE j.next_run_at END
        FROM c
       WHERE j.id = ${job.id} AND j.run_count = ${run} AND j.status = 'running'
      RETURNING j.status
    ), account AS (
      UPDATE cloud_accounts SET status = 'error', last_error = ${stopped}
       WHERE ${markAccount} AND id = ${job.cloud_account_id} AND status <> 'disabled' AND EXISTS (SELECT 1 FROM j)
      RETURNING 1
    )
    SELECT j.status, (SELECT count(*) FROM account) AS accounts FROM j`);
  return rows[0] ?? null;
}
