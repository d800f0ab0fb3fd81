import { z } from "@hono/zod-openapi";

/** Queue message type of a backup run (src/jobs/queue.ts dispatches on it). */
export const CLOUD_BACKUP = "cloud.backup";

/**
 * One run of one job: `run` is backup_jobs.run_count when it was queued, so a message of an older
 * run (redelivered, or overtaken by a new run) finds nothing to do. The same message continues a
 * run that stopped at its per-invocation budget.
 */
export const BackupMessageSchema = z.object({
  type: z.literal(CLOUD_BACKUP),
  jobId: z.string().uuid(),
  run: z.number().int().positive(),
  /** Set on the messages that continue a run: only the first invocation plans it (a redelivered first one plans again, harmlessly). */
  continued: z.boolean().optional(),
});

export type BackupMessage = z.infer<typeof BackupMessageSchema>;
