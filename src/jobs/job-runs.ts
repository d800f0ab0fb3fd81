import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { auditInsert, type AuditOrigin } from "../lib/audit";
import type { Logger } from "../lib/logger";

/** Who started a run: a Cron Trigger, or an admin through POST /v1/admin/jobs/:name/run (audited). */
export type JobTrigger = { trigger: "cron" } | { trigger: "manual"; actorId: string; origin: AuditOrigin };

export interface JobRunRecord {
  name: string;
  startedAt: Date;
  finishedAt: Date;
  counts: Record<string, number>;
  error?: string;
}

/**
 * Writes the run's row of job_runs (what GET /v1/admin/health reports). A failure to record is
 * logged, never thrown: the job's own outcome is what the caller must see.
 */
export async function recordJobRun(db: Database, log: Logger, by: JobTrigger, run: JobRunRecord): Promise<void> {
  const failed = run.error !== undefined;
  const insert = sql`
      INSERT INTO job_runs (job_name, trigger, actor_id, status, counts, error, started_at, finished_at, duration_ms)
      VALUES (${run.name}, ${by.trigger}, ${by.trigger === "manual" ? by.actorId : null}::uuid,
              ${failed ? "failed" : "succeeded"}, ${JSON.stringify(run.counts)}::jsonb, ${run.error ?? null},
              ${run.startedAt.toISOString()}::timestamptz, ${run.finishedAt.toISOString()}::timestamptz,
              ${Math.max(0, run.finishedAt.getTime() - run.startedAt.getTime())})`;
  try {
    if (by.trigger === "manual") {
      // The admin's action is audited with the run it started, in the same transaction.
      const audit = auditInsert({
        action: "admin.job_run",
        userId: by.actorId,
        origin: by.origin,
        severity: failed ? "error" : "info",
        metadata: { job: run.name, status: failed ? "failed" : "succeeded", counts: run.counts },
      });
      await db.batch([db.execute(insert), db.execute(audit)]);
    } else {
      await db.execute(insert);
    }
  } catch (err) {
    log.error("job run not recorded", { job: run.name, error: err instanceof Error ? err.message : String(err) });
  }
}
