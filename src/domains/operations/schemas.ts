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
    name: z.enum(["database_latency", "job_error_rate", "job_failing", "request_latency_p95", "request_error_rate"]),
    detail: z.string(),
    value: z.number(),
    threshold: z.number(),
  })
  .openapi("Alert");

const ms = z.number().int().nullable();

const RequestWindowSchema = z
  .object({
    requests: z.number().int(),
    server_errors: z.number().int().openapi({ description: "Answered 5xx: what the error-rate alert counts" }),
    client_errors: z.number().int().openapi({ description: "Answered 4xx (validation, auth, not found, rate limits): shown, never alerted on" }),
    error_rate: z.number().openapi({ description: "server_errors / requests (0 without requests)" }),
    p50_ms: ms,
    p95_ms: ms,
    p99_ms: ms,
    max_ms: ms,
  })
  .openapi("RequestWindow", {
    description: "Requests answered in a window. Percentiles come from a fixed latency histogram (the upper bound of their bucket, a step of at most a third; 500 ms is a bound, so the p95 alert is exact); null without requests.",
  });

const RequestAlertSchema = z
  .object({
    name: z.enum(["request_latency_p95", "request_error_rate"]),
    marker: z.string().openapi({ description: "The `alert` field of its log lines: veza.alert.p95_latency or veza.alert.error_rate", example: "veza.alert.p95_latency" }),
    since: z.string().openapi({ format: "date-time" }),
    value: z.number().openapi({ description: "At the last evaluation: p95 in ms, or the error rate" }),
    threshold: z.number(),
  })
  .openapi("RequestAlert");

export const RequestsHealthSchema = z
  .object({
    last_5_minutes: RequestWindowSchema,
    last_hour: RequestWindowSchema,
    last_24_hours: RequestWindowSchema,
    routes: z
      .array(
        z.object({
          method: z.string(),
          route: z.string().openapi({ description: "The route pattern, e.g. /v1/tracks/:id; (unmatched) for paths no route matches" }),
          requests: z.number().int(),
          server_errors: z.number().int(),
          error_rate: z.number(),
          p95_ms: ms,
        }),
      )
      .openapi({ description: "The last hour's worst routes (most server errors, then slowest p95), at most 10" }),
    alerts: z.array(RequestAlertSchema).openapi({ description: "The request alerts firing at the last evaluation (every minute)" }),
    min_requests_for_alerts: z.number().int().openapi({ description: "Request alerts judge the last 5 minutes only with at least this many requests" }),
  })
  .openapi("RequestsHealth");

export const OperationsHealthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]),
    checked_at: z.string().openapi({ format: "date-time" }),
    database: z.object({ latency_ms: z.number().int(), now: z.string().openapi({ format: "date-time" }) }),
    queues: z.array(BacklogSchema),
    jobs: z.array(JobStatusSchema),
    requests: RequestsHealthSchema.nullable().openapi({ description: "Every request the Worker answered, as its isolates reported them (within ~10 s); null when the metrics cannot be read" }),
    alerts: z.array(AlertSchema),
  })
  .openapi("OperationsHealth");

export type OperationsHealth = z.infer<typeof OperationsHealthSchema>;
export type Alert = z.infer<typeof AlertSchema>;
export type RequestsHealth = z.infer<typeof RequestsHealthSchema>;
export type JobRun = z.infer<typeof JobRunSchema>;
