import { z } from "@hono/zod-openapi";
import { BUCKETS } from "../../src/lib/request-metrics/histogram";

/**
 * What the Worker's isolates send the RequestMetrics object (`record`), and what it answers the
 * health route (`summary`). A batch is an isolate's counts since its last flush, per minute
 * (epoch minutes: `floor(ms / 60 000)`) and per route pattern.
 */

/** Series a batch may carry: an isolate holds about MAX_HELD_MINUTES minutes of MAX_ROUTES routes (5 000), twice that for margin. */
export const MAX_BATCH_SERIES = 10_000;

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const SeriesSchema = z.object({
  minute: z.number().int().min(0),
  method: z.string().min(1).max(10),
  route: z.string().min(1).max(300),
  requests: count,
  server_errors: count,
  client_errors: count,
  max_ms: z.number().min(0).max(86_400_000),
  histogram: z.array(count).length(BUCKETS),
});

export const MetricsBatchSchema = z.object({ series: z.array(SeriesSchema).max(MAX_BATCH_SERIES) });

export type Series = z.infer<typeof SeriesSchema>;
export type MetricsBatch = z.infer<typeof MetricsBatchSchema>;

/** The request alerts: a name in the health answer, a marker in the logs. */
export const REQUEST_ALERTS = {
  request_latency_p95: "veza.alert.p95_latency",
  request_error_rate: "veza.alert.error_rate",
} as const;

export type RequestAlertName = keyof typeof REQUEST_ALERTS;

/** Figures of a window of minutes. Percentiles are null without requests. */
export interface WindowFigures {
  requests: number;
  server_errors: number;
  client_errors: number;
  error_rate: number;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  max_ms: number | null;
}

export interface RouteFigures {
  method: string;
  route: string;
  requests: number;
  server_errors: number;
  error_rate: number;
  p95_ms: number | null;
}

export interface FiringAlert {
  name: RequestAlertName;
  marker: string;
  since: string;
  value: number;
  threshold: number;
}

export interface RequestsSummary {
  last_5_minutes: WindowFigures;
  last_hour: WindowFigures;
  last_24_hours: WindowFigures;
  routes: RouteFigures[];
  alerts: FiringAlert[];
  min_requests_for_alerts: number;
}
