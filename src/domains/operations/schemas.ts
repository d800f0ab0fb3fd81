import { z } from "@hono/zod-openapi";

const Counts = z.record(z.string(), z.number()).openapi({ description: "What the run did, e.g. rows deleted or anonymised per table" });

export const JobRunSchema = z
  .object({
    job: z.string(),
    trigger: z.enum(["cron", "manual"]),
    status: z.enum(["succeeded", "failed"]),
    counts: Counts,
    started_at: z.string().openapi({ format: "date-time" }),
    finished_at: z.string().openapi({ format: "date-time" }),
    duration_ms: z.number().int(),
  })
  .openapi("JobRun");

export const JobParamsSchema = z.object({
  name: z.string().min(1).max(100).regex(/^[a-z][a-z0-9-]*$/).openapi({ param: { name: "name", in: "path" }, example: "purge-expired-tokens" }),
});

const JobStatusSchema = z
  .object({
    name: z.string(),
    crons: z.array(z.string()).openapi({ description: "The Cron Triggers that run it (empty: on demand only)" }),
    last_run: JobRunSchema.omit({ job: true }).extend({ error: z.string().nullable() }).nullable(),
    failures_24h: z.number().int(),
    runs_24h: z.number().int(),
  })
  .openapi("JobStatus");

const BacklogSchema = z
  .object({
    name: z.string().openapi({ description: "The work waiting: tracks_processing, uploads_completing, backups, data_exports" }),
    queue: z.string().openapi({ description: "The queue that carries it" }),
    waiting: z.number().int(),
    oldest_age_seconds: z.number().int().nullable(),
  })
  .openapi("QueueBacklog");

export const AlertSchema = z
  .object({
    name: z.enum(["database_latency", "job_error_rate", "job_failing"]),
    detail: z.string(),
    value: z.number(),
    threshold: z.number(),
  })
  .openapi("Alert");

export const OperationsHealthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]),
    checked_at: z.string().openapi({ format: "date-time" }),
    database: z.object({ latency_ms: z.number().int(), now: z.string().openapi({ format: "date-time" }) }),
    queues: z.array(BacklogSchema),
    jobs: z.array(JobStatusSchema),
    alerts: z.array(AlertSchema),
  })
  .openapi("OperationsHealth");

export type OperationsHealth = z.infer<typeof OperationsHealthSchema>;
export type Alert = z.infer<typeof AlertSchema>;
export type JobRun = z.infer<typeof JobRunSchema>;
