import { sql } from "drizzle-orm";
import type { z } from "@hono/zod-openapi";
import type { Database } from "../../db/client";
import { ApiError } from "../../lib/errors";
import type { MetricsQuerySchema, MetricsSchema } from "./schemas";

type MetricsQuery = z.infer<typeof MetricsQuerySchema>;
type Metrics = z.infer<typeof MetricsSchema>;

const DAY_MS = 86_400_000;
/** A year and a day: a year-on-year view fits, an unbounded scan does not. */
const MAX_DAYS = 366;
const DEFAULT_DAYS = 30;

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The inclusive day range asked for, defaulting to the last 30 days; 422 when reversed or too long. */
export function metricsRange(q: MetricsQuery, now = Date.now()): { from: string; to: string } {
  const to = q.to ?? dayOf(now);
  const from = q.from ?? dayOf(Date.parse(to) - (DEFAULT_DAYS - 1) * DAY_MS);
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
  if (days < 1) throw new ApiError("validation_failed", "The range is empty.", { errors: [{ path: "query.to", message: "must not be before from" }] });
  if (days > MAX_DAYS) throw new ApiError("validation_failed", "The range is too long.", { errors: [{ path: "query.from", message: `the range must not exceed ${MAX_DAYS} days` }] });
  return { from, to };
}

/**
 * Platform metrics from daily_metrics (filled by the aggregation job), one series per metric and
 * dimension, days in order; days without a row are absent, not zero. One round trip.
 */
export async function platformMetrics(db: Database, q: MetricsQuery): Promise<Metrics> {
  const { from, to } = metricsRange(q);
  const names = q.metric ? [...new Set(q.metric.split(","))] : null;
  const dimension = q.dimension ?? "";
  const { rows } = await db.execute<Metrics["series"][number]>(sql`
    SELECT metric_name AS metric, dimension,
           json_agg(json_build_object('date', to_char(metric_date, 'YYYY-MM-DD'), 'value', value::float8) ORDER BY metric_date) AS points
      FROM daily_metrics
     WHERE metric_date BETWEEN ${from}::date AND ${to}::date
       ${names ? sql`AND metric_name IN (SELECT jsonb_array_elements_text(${JSON.stringify(names)}::jsonb))` : sql``}
       ${dimension === "*" ? sql`` : sql`AND dimension = ${dimension}`}
     GROUP BY metric_name, dimension
     ORDER BY metric_name, dimension`);
  return { from, to, series: rows };
}
