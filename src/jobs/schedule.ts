import { createDb, type Database } from "../db/client";
import type { Env } from "../env";
import { createLogger, type Logger } from "../lib/logger";
import { anonymiseDeletedAccounts } from "../domains/gdpr/anonymise";
import { aggregateAnalytics } from "./aggregate-analytics";
import { enqueueBackups } from "./enqueue-backups";
import { expireReports } from "./expire-reports";
import { expireUploads } from "./expire-uploads";
import { recordJobRun, type JobTrigger } from "./job-runs";
import { maintainPartitions } from "./maintain-partitions";
import { refreshTrendingTracks, refreshUserStatistics } from "./refresh-materialized-views";
import { anonymiseOldAnalytics, purgeActivityLogs, purgeDeletedMessages, purgeExpiredTokens } from "./retention";
import { archiveAuditLogs } from "./archive-audit-logs";
import { retireTransactionalRecords } from "./retire-transactional-records";
import { settlePendingPayouts } from "./settle-pending-payouts";
import { remindWarrantyExpiry } from "./warranty-expiry-reminders";

export interface JobContext {
  env: Env;
  db: Database;
  log: Logger;
  /** The job's notion of "now" (the cron's scheduled time), so a run can be replayed with any clock. */
  now: Date;
}

/** A cron job: idempotent, bounded per run, returns the counts it logs. */
export type Job = (ctx: JobContext) => Promise<Record<string, number>>;

export const jobs: Record<string, Job> = {
  "aggregate-analytics": aggregateAnalytics,
  "anonymise-deleted-accounts": anonymiseDeletedAccounts,
  "anonymise-old-analytics": anonymiseOldAnalytics,
  "archive-audit-logs": archiveAuditLogs,
  "enqueue-backups": enqueueBackups,
  "expire-reports": expireReports,
  "expire-uploads": expireUploads,
  "maintain-partitions": maintainPartitions,
  "purge-activity-logs": purgeActivityLogs,
  "purge-deleted-messages": purgeDeletedMessages,
  "purge-expired-tokens": purgeExpiredTokens,
  "refresh-trending-tracks": refreshTrendingTracks,
  "refresh-user-statistics": refreshUserStatistics,
  "retire-transactional-records": retireTransactionalRecords,
  "settle-pending-payouts": settlePendingPayouts,
  "warranty-expiry-reminders": remindWarrantyExpiry,
};

/** Which jobs each Cron Trigger of wrangler.toml runs (the keys must match `triggers.crons`). */
export const schedule: Record<string, (keyof typeof jobs)[]> = {
  "0 * * * *": ["refresh-trending-tracks", "expire-uploads", "aggregate-analytics", "expire-reports", "settle-pending-payouts", "enqueue-backups"],
  "30 3 * * *": ["maintain-partitions", "anonymise-deleted-accounts", "refresh-user-statistics", "retire-transactional-records", "warranty-expiry-reminders",
    "purge-expired-tokens", "purge-activity-logs", "purge-deleted-messages", "anonymise-old-analytics", "archive-audit-logs"],
};

/** Runs one job and records the run in job_runs (succeeded with its counts, or failed with the error). */
export async function runJob(
  name: string,
  env: Env,
  now: Date,
  log: Logger = createLogger(),
  by: JobTrigger = { trigger: "cron" },
): Promise<Record<string, number>> {
  const job = jobs[name];
  if (!job) throw new Error(`unknown job ${name}`);
  const db = createDb(env);
  const startedAt = new Date();
  try {
    const counts = await job({ env, db, log: log.child({ job: name }), now });
    const finishedAt = new Date();
    log.info("job finished", { job: name, trigger: by.trigger, durationMs: finishedAt.getTime() - startedAt.getTime(), ...counts });
    await recordJobRun(db, log, by, { name, startedAt, finishedAt, counts });
    return counts;
  } catch (err) {
    await recordJobRun(db, log, by, { name, startedAt, finishedAt: new Date(), counts: {}, error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}

/** Runs the cron's jobs one after another; one failing job does not stop the others. */
export async function runScheduledJobs(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
  const log = createLogger({ cron: controller.cron });
  const names = schedule[controller.cron];
  if (!names) {
    log.error("no jobs for this cron");
    return;
  }
  const failures: string[] = [];
  for (const name of names) {
    try {
      await runJob(name, env, new Date(controller.scheduledTime), log);
    } catch (err) {
      failures.push(name);
      log.error("job failed", { job: name, error: err instanceof Error ? err.message : String(err) });
    }
  }
  if (failures.length) throw new Error(`jobs failed: ${failures.join(", ")}`);
}
