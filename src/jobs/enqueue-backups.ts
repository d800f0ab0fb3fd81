import { sql } from "drizzle-orm";
import { CLOUD_BACKUP, type BackupMessage } from "../domains/cloud/backup-message";
import { nextRunAfter } from "../domains/cloud/schedule";
import { iso } from "../domains/gdpr/time";
import type { JobContext } from "./schedule";

/** Jobs claimed per run of the cron: the rest wait for the next hour (they stay due). */
export const BACKUPS_PER_RUN = 200;
/** A run queued or running without any progress for this long is given up (its consumer died for good). */
export const STUCK_AFTER_HOURS = 6;

type Claimed = { id: string; run: number; schedule: string; schedule_timezone: string; clock: string };

/**
 * Hourly: queues every scheduled backup that is due — next_run_at at or before LEAST(the cron's
 * clock, the database's now()), enabled, not already queued or running, account not paused — exactly
 * once: the UPDATE ... RETURNING claims them (SKIP LOCKED against a concurrent run of the cron) and
 * moves next_run_at an hour on at once, so a crash before the exact time is written still cannot
 * claim them twice; the exact next time (the schedule's next firing in its timezone) follows. Also
 * fails the runs stuck for STUCK_AFTER_HOURS, so their jobs can run again.
 */
export async function enqueueBackups(ctx: JobContext): Promise<Record<string, number>> {
  const now = ctx.now.toISOString();
  const [claimedResult, stuckResult] = await ctx.db.batch([
    ctx.db.execute<Claimed>(sql`
      WITH clock AS (SELECT LEAST(${now}::timestamptz, now()) AS t),
      due AS (
        SELECT j.id FROM backup_jobs j JOIN cloud_accounts a ON a.id = j.cloud_account_id JOIN users u ON u.id = a.user_id
         WHERE j.is_enabled AND j.next_run_at <= (SELECT t FROM clock) AND j.status NOT IN ('queued', 'running')
           AND a.status <> 'disabled' AND u.deleted_at IS NULL
         ORDER BY j.next_run_at
         LIMIT ${BACKUPS_PER_RUN}
           FOR UPDATE OF j SKIP LOCKED
      )
      UPDATE backup_jobs b SET status = 'queued', queued_at = now(), run_count = b.run_count + 1, started_at = NULL, finished_at = NULL,
             error_message = NULL, progress_percent = 0, files_total = 0, files_copied = 0, files_skipped = 0, files_failed = 0,
             bytes_total = 0, bytes_copied = 0, next_run_at = (SELECT t FROM clock) + interval '1 hour'
        FROM due
       WHERE b.id = due.id
      RETURNING b.id, b.run_count AS run, b.schedule, b.schedule_timezone, (SELECT t FROM clock)::text AS clock`),
    ctx.db.execute<{ id: string }>(sql`
      UPDATE backup_jobs SET status = 'failed', finished_at = now(),
             error_message = 'The run stopped making progress and was abandoned; it will run again at its next time.'
       WHERE status IN ('queued', 'running') AND updated_at < LEAST(${now}::timestamptz, now()) - make_interval(hours => ${STUCK_AFTER_HOURS})
      RETURNING id`),
  ]);
  const claimed = claimedResult.rows as Claimed[];
  if (!claimed.length) return { queued: 0, abandoned: stuckResult.rows.length };

  const nextTimes = claimed.map((job) => {
    const next = nextRunAfter(job.schedule, job.schedule_timezone, new Date(iso(job.clock)));
    return { id: job.id, next: next?.toISOString() ?? null };
  });
  await ctx.db.execute(sql`
    UPDATE backup_jobs b SET next_run_at = n.next
      FROM json_to_recordset(${JSON.stringify(nextTimes)}::json) AS n(id uuid, next timestamptz)
     WHERE b.id = n.id`);

  const messages = claimed.map((job) => ({ body: { type: CLOUD_BACKUP, jobId: job.id, run: Number(job.run) } satisfies BackupMessage }));
  let failed = 0;
  for (let i = 0; i < messages.length; i += 100) {
    const chunk = messages.slice(i, i + 100);
    try {
      await ctx.env.JOBS_QUEUE.sendBatch(chunk);
    } catch (err) {
      failed += chunk.length;
      ctx.log.error("backups: queueing failed", { error: err instanceof Error ? err.message : String(err), jobs: chunk.length });
      const ids = JSON.stringify(chunk.map((m) => ({ id: m.body.jobId, run: m.body.run })));
      await ctx.db.execute(sql`
        UPDATE backup_jobs b SET status = 'failed', finished_at = now(), error_message = 'The scheduled run could not be queued; it will run at its next time.'
          FROM json_to_recordset(${ids}::json) AS m(id uuid, run int)
         WHERE b.id = m.id AND b.run_count = m.run AND b.status = 'queued'`);
    }
  }
  return { queued: claimed.length - failed, queueFailed: failed, abandoned: stuckResult.rows.length };
}
