import { sql, type SQL } from "drizzle-orm";
import { ApiError } from "../../lib/errors";
import { DEFAULT_PERIOD_DAYS, MAX_PERIOD_DAYS, type PeriodQuery } from "./schemas";

const DAY_MS = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The days an analytics read or report covers: `[from, to]`, UTC, both inclusive. */
export interface Period {
  from: string;
  to: string;
}

/**
 * `from`/`to` with their defaults (the last 28 days, today included), checked once both are known:
 * `to` not before `from`, at most 366 days. Bad periods are a 422 naming the field, never a 500.
 */
export function periodOf(query: PeriodQuery, now = Date.now()): Period {
  const to = query.to ?? dayOf(now);
  const from = query.from ?? dayOf(Date.parse(to) - (DEFAULT_PERIOD_DAYS - 1) * DAY_MS);
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
  if (days < 1) throw new ApiError("validation_failed", "The period is not valid.", { errors: [{ path: "query.to", message: "must not be before `from`" }] });
  if (days > MAX_PERIOD_DAYS) {
    throw new ApiError("validation_failed", "The period is not valid.", { errors: [{ path: "query.to", message: `the period is at most ${MAX_PERIOD_DAYS} days` }] });
  }
  return { from, to };
}

const SOURCE_KEYS = ["playlist", "album", "search", "direct", "unknown"];
const DEVICE_KEYS = ["mobile", "desktop", "web", "unknown"];

/** `json_build_object('k', sum((r.col->>'k')::int), ...)` over the rows `r`. */
const summedCounts = (column: string, keys: string[]) =>
  sql.raw(`json_build_object(${keys.map((k) => `'${k}', COALESCE(sum((r.${column}->>'${k}')::int), 0)::int`).join(", ")})`);

/**
 * The daily series and totals of a period over `rows` (track_analytics rows, aliased as a relation
 * with day, plays, unique_listeners, total_listen_seconds, avg_completion, source_counts,
 * device_counts; several rows per day are summed): CTEs `series` (one row per day of the period,
 * zeros where nothing was played) and `totals` (one JSON object), for a statement to select from.
 * Average completion over several rows is weighted by their plays.
 */
export function seriesAndTotals(period: Period, rows: SQL): SQL {
  return sql`
    r AS (${rows}),
    series AS (
      SELECT d.day::date AS day,
             COALESCE(sum(r.plays), 0)::int AS plays,
             COALESCE(sum(r.unique_listeners), 0)::int AS unique_listeners,
             COALESCE(sum(r.total_listen_seconds), 0)::bigint AS listen_seconds,
             COALESCE(sum(r.avg_completion * r.plays), 0) AS completion_weight
        FROM generate_series(${period.from}::date, ${period.to}::date, interval '1 day') d(day)
        LEFT JOIN r ON r.day = d.day::date
       GROUP BY d.day
    ),
    days_json AS (
      SELECT COALESCE(json_agg(json_build_object(
               'day', to_char(s.day, 'YYYY-MM-DD'), 'plays', s.plays, 'unique_listeners', s.unique_listeners,
               'listen_seconds', s.listen_seconds,
               'avg_completion', CASE WHEN s.plays > 0 THEN round(s.completion_weight / s.plays, 2) ELSE 0 END::float8)
             ORDER BY s.day), '[]'::json) AS days
        FROM series s
    ),
    totals AS (
      SELECT json_build_object(
               'plays', COALESCE(sum(r.plays), 0)::int,
               'unique_listeners', COALESCE(sum(r.unique_listeners), 0)::int,
               'listen_seconds', COALESCE(sum(r.total_listen_seconds), 0)::bigint,
               'avg_completion', CASE WHEN sum(r.plays) > 0 THEN round(sum(r.avg_completion * r.plays) / sum(r.plays), 2) ELSE 0 END::float8,
               'sources', ${summedCounts("source_counts", SOURCE_KEYS)},
               'devices', ${summedCounts("device_counts", DEVICE_KEYS)}) AS totals
        FROM r
    )`;
}
