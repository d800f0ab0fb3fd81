import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { Env } from "../../env";
import { ApiError } from "../../lib/errors";
import { CLOUD_BACKUP, type BackupMessage } from "./backup-message";
import { jobJson, jobNotFound, myJobs, toJob } from "./job-view";
import { checkSchedule, isTimezone, nextRunAfter, ScheduleError } from "./schedule";
import type { BackupJob, CreateJob, UpdateJob } from "./schemas";
import { stagedExportKey } from "./staging";

const scheduleInvalid = (path: "schedule" | "timezone", message: string) =>
  new ApiError("validation_failed", "The schedule is not valid.", { errors: [{ path: `json.${path}`, message }] });

/** Validates a schedule in its timezone; answers its next firing after `now` (null: on demand only). */
function plannedRun(schedule: string | null, timezone: string, enabled: boolean, now: Date): Date | null {
  if (!isTimezone(timezone)) throw scheduleInvalid("timezone", "is not an IANA time zone (e.g. Europe/Paris)");
  if (schedule === null) return null;
  try {
    checkSchedule(schedule, timezone, now);
  } catch (err) {
    if (err instanceof ScheduleError) throw scheduleInvalid("schedule", err.message);
    throw err;
  }
  return enabled ? nextRunAfter(schedule, timezone, now) : null;
}

const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/** POST /v1/me/backup-jobs: a job on one of my accounts (404 for anyone else's). One round trip. */
export async function createJob(db: Database, userId: string, body: CreateJob, now = new Date()): Promise<BackupJob> {
  const next = plannedRun(body.schedule, body.timezone, body.enabled, now);
  const { rows } = await db.execute<{ job: unknown }>(sql`
    WITH j AS (
      INSERT INTO backup_jobs (cloud_account_id, name, include_tracks, include_projects, include_data_export, remote_path, schedule, schedule_timezone, is_enabled, next_run_at)
      SELECT a.id, ${body.name ?? null}, ${body.include_tracks}, ${body.include_projects}, ${body.include_data_export}, ${body.remote_path},
             ${body.schedule}, ${body.timezone}, ${body.enabled}, ${isoOrNull(next)}::timestamptz
        FROM cloud_accounts a WHERE a.id = ${body.cloud_account_id} AND a.user_id = ${userId}
      RETURNING *
    )
    SELECT ${jobJson()} AS job FROM j`);
  if (!rows[0]) throw new ApiError("not_found", "The cloud account was not found.", { errors: [{ path: "json.cloud_account_id", message: "is not one of your cloud accounts" }] });
  return toJob(rows[0].job);
}

/** GET /v1/me/backup-jobs: mine (every account), oldest first. One round trip. */
export async function listJobs(db: Database, userId: string): Promise<{ items: BackupJob[] }> {
  const { rows } = await db.execute<{ items: unknown[] }>(sql`
    SELECT COALESCE(json_agg(${jobJson()} ORDER BY j.created_at, j.id), '[]'::json) AS items FROM ${myJobs(userId)}`);
  return { items: rows[0]!.items.map(toJob) };
}

/** GET /v1/me/backup-jobs/:id: the job with its current (or last) run. One round trip. */
export async function getJob(db: Database, userId: string, id: string): Promise<BackupJob> {
  const { rows } = await db.execute<{ job: unknown }>(sql`SELECT ${jobJson()} AS job FROM ${myJobs(userId)} WHERE j.id = ${id}`);
  if (!rows[0]) throw jobNotFound();
  return toJob(rows[0].job);
}

type JobSettings = { schedule: string | null; schedule_timezone: string; is_enabled: boolean };

/**
 * PATCH /v1/me/backup-jobs/:id. What to copy and where cannot change while a run is queued or
 * running (409): the run would copy half to the old place. A schedule change recomputes
 * next_run_at. Two round trips when the schedule is touched (its current form is read), one otherwise.
 */
export async function updateJob(db: Database, userId: string, id: string, body: UpdateJob, now = new Date()): Promise<BackupJob> {
  const touchesSchedule = body.schedule !== undefined || body.timezone !== undefined || body.enabled !== undefined;
  let next: Date | null = null;
  if (touchesSchedule) {
    const { rows } = await db.execute<JobSettings>(sql`
      SELECT j.schedule, j.schedule_timezone, j.is_enabled FROM ${myJobs(userId)} WHERE j.id = ${id}`);
    const current = rows[0];
    if (!current) throw jobNotFound();
    next = plannedRun(
      body.schedule !== undefined ? body.schedule : current.schedule,
      body.timezone ?? current.schedule_timezone,
      body.enabled ?? current.is_enabled,
      now,
    );
  }
  const changesScope = body.include_tracks !== undefined || body.include_projects !== undefined || body.include_data_export !== undefined || body.remote_path !== undefined;
  const set = (value: unknown) => value !== undefined;
  const { rows } = await db.execute<{ job: unknown; found: boolean }>(sql`
    WITH target AS (
      SELECT j.id, j.status IN ('queued', 'running') AS busy FROM ${myJobs(userId)} WHERE j.id = ${id}
    ), j AS (
      UPDATE backup_jobs b SET
        name = CASE WHEN ${set(body.name)} THEN ${body.name ?? null} ELSE b.name END,
        include_tracks = COALESCE(${body.include_tracks ?? null}::boolean, b.include_tracks),
        include_projects = COALESCE(${body.include_projects ?? null}::boolean, b.include_projects),
        include_data_export = COALESCE(${body.include_data_export ?? null}::boolean, b.include_data_export),
        remote_path = COALESCE(${body.remote_path ?? null}, b.remote_path),
        schedule = CASE WHEN ${set(body.schedule)} THEN ${body.schedule ?? null} ELSE b.schedule END,
        schedule_timezone = COALESCE(${body.timezone ?? null}, b.schedule_timezone),
        is_enabled = COALESCE(${body.enabled ?? null}::boolean, b.is_enabled),
        next_run_at = CASE WHEN ${touchesSchedule} THEN ${isoOrNull(next)}::timestamptz ELSE b.next_run_at END
        FROM target
       WHERE b.id = target.id AND NOT (target.busy AND ${changesScope})
      RETURNING b.*
    )
    SELECT (SELECT ${jobJson()} FROM j) AS job, EXISTS (SELECT 1 FROM target) AS found`);
  const row = rows[0]!;
  if (!row.found) throw jobNotFound();
  if (!row.job) throw new ApiError("conflict", "A run of this job is queued or running: change what it copies, or where, once it has finished.");
  return toJob(row.job);
}

/** DELETE /v1/me/backup-jobs/:id. A run in progress stops at its next step. One round trip. */
export async function deleteJob(db: Database, env: Pick<Env, "MEDIA">, userId: string, id: string): Promise<void> {
  const { rows } = await db.execute<{ id: string }>(sql`
    DELETE FROM backup_jobs b USING cloud_accounts a
     WHERE b.id = ${id} AND a.id = b.cloud_account_id AND a.user_id = ${userId}
    RETURNING b.id`);
  if (!rows[0]) throw jobNotFound();
  await env.MEDIA.delete(stagedExportKey(id)).catch(() => undefined);
}

type Queued = { found: boolean; paused: boolean; busy: boolean; run: number | null; job: unknown };

/**
 * Marks a job queued for its next run (run_count + 1, the run's counters reset) unless a run is
 * already queued or running or its account is paused; one statement, so two clicks cannot queue
 * two runs (the scheduler claims due jobs the same way, in bulk: src/jobs/enqueue-backups.ts).
 */
const queueRunStatement = (userId: string, id: string) => sql`
  WITH target AS (
    SELECT j.id, j.status IN ('queued', 'running') AS busy, a.status = 'disabled' AS paused FROM ${myJobs(userId)} WHERE j.id = ${id}
  ), j AS (
    UPDATE backup_jobs b SET status = 'queued', queued_at = now(), run_count = b.run_count + 1, started_at = NULL, finished_at = NULL,
           error_message = NULL, progress_percent = 0, files_total = 0, files_copied = 0, files_skipped = 0, files_failed = 0,
           bytes_total = 0, bytes_copied = 0
      FROM target
     WHERE b.id = target.id AND NOT target.busy AND NOT target.paused
    RETURNING b.*
  )
  SELECT EXISTS (SELECT 1 FROM target) AS found, COALESCE((SELECT paused FROM target), false) AS paused,
         COALESCE((SELECT busy FROM target), false) AS busy, (SELECT run_count FROM j) AS run, (SELECT ${jobJson()} FROM j) AS job`;

/** Sends the message of a queued run; should the queue refuse it, the run is marked failed (nothing would ever pick it up). */
async function sendRun(db: Database, env: Pick<Env, "JOBS_QUEUE">, jobId: string, run: number): Promise<void> {
  const message: BackupMessage = { type: CLOUD_BACKUP, jobId, run };
  try {
    await env.JOBS_QUEUE.send(message);
  } catch (err) {
    await db
      .execute(sql`UPDATE backup_jobs SET status = 'failed', finished_at = now(), error_message = 'The run could not be queued; try again.'
                    WHERE id = ${jobId} AND run_count = ${run} AND status = 'queued'`)
      .catch(() => undefined);
    throw new ApiError("service_unavailable", "The backup could not be queued; try again in a moment.", { headers: { "Retry-After": "30" }, cause: err });
  }
}

/** POST /v1/me/backup-jobs/:id/run: queues a run now (202). 409 while one is queued or running, or the account is paused. One round trip, then the queue send. */
export async function runJobNow(db: Database, env: Pick<Env, "JOBS_QUEUE">, userId: string, id: string): Promise<BackupJob> {
  const row = (await db.execute<Queued>(queueRunStatement(userId, id))).rows[0]!;
  if (!row.found) throw jobNotFound();
  if (row.paused) throw new ApiError("conflict", "The cloud account of this job is paused: resume it first.");
  if (row.busy || row.run === null) throw new ApiError("conflict", "A run of this job is already queued or running.");
  await sendRun(db, env, id, Number(row.run));
  return toJob(row.job);
}
