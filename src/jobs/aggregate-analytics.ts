import { sql, type SQL } from "drizzle-orm";
import { COUNTED_PLAY_SECONDS, PLAY_DEVICE_TYPES, PLAY_SOURCES } from "../domains/tracks/schemas";
import type { JobContext } from "./schedule";

/** Days already past that one run may catch up (oldest first); the next run continues. */
export const CATCH_UP_DAYS_PER_RUN = 5;

/** How far back a stopped cron's missed days are still caught up. */
export const CATCH_UP_WINDOW_DAYS = 31;

/** A day aggregated this long after it began (an hour after it ended) can no longer change. */
const FINAL_AFTER_HOURS = 25;

/** The daily_metrics names this job owns (it deletes their stale breakdowns, never anyone else's). */
export const PLATFORM_METRICS = ["plays", "unique_listeners", "listen_seconds", "signups", "new_tracks", "new_posts", "new_playlists"] as const;

const DAY_MS = 86_400_000;
const dayOf = (at: Date) => at.toISOString().slice(0, 10);
const addDays = (day: string, n: number) => dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));

/** `[start, end)` of a UTC day, as timestamptz: a range on the partition key, so one partition is scanned. */
const bounds = (day: string) => [sql`${`${day}T00:00:00Z`}::timestamptz`, sql`${`${addDays(day, 1)}T00:00:00Z`}::timestamptz`] as const;

/** `{"playlist": n, ..., "unknown": n}` over the counted plays of the group, every key present. */
const countsBy = (column: string, values: readonly string[]) =>
  sql.raw(
    `jsonb_build_object(${[...values.map((v) => `'${v}', count(*) FILTER (WHERE counted AND ${column} = '${v}')`), `'unknown', count(*) FILTER (WHERE counted AND ${column} IS NULL)`].join(", ")})`,
  );

/** The day's playback_history rows, each marked whether it counts as a play (>= 30 s, as tracks.play_count). */
const historyOf = (day: string) => {
  const [start, end] = bounds(day);
  return sql`(SELECT h.*, h.played_duration >= ${COUNTED_PLAY_SECONDS} AS counted FROM playback_history h
                WHERE h.played_at >= ${start} AND h.played_at < ${end})`;
};

/**
 * One track_analytics row per (track, day) the track was played, from playback_history: counts
 * only, never who listened (§17.4). Plays, listeners, completion and the source/device breakdowns
 * are over counted plays (>= 30 s, like tracks.play_count); listen time sums every play, skips
 * included (time actually listened). Anonymised plays (user_id NULL) are plays but not listeners,
 * so unique_listeners <= plays. Rows of the day whose plays are gone (history deleted with an
 * account) are removed; rows that would not change are not written: a rerun changes nothing.
 */
function trackAnalyticsOf(day: string): SQL {
  return sql`
    WITH counted AS (
      SELECT ph.track_id,
             count(*) FILTER (WHERE counted)::int AS plays,
             count(DISTINCT ph.user_id) FILTER (WHERE counted)::int AS unique_listeners,
             sum(ph.played_duration)::bigint AS total_listen_seconds,
             COALESCE(round(avg(ph.completion_percentage) FILTER (WHERE counted), 2), 0) AS avg_completion,
             ${countsBy("ph.source", PLAY_SOURCES)} AS source_counts,
             ${countsBy("ph.device_type", PLAY_DEVICE_TYPES)} AS device_counts
        FROM ${historyOf(day)} ph
       GROUP BY ph.track_id
    ), written AS (
      INSERT INTO track_analytics AS ta (track_id, day, plays, unique_listeners, total_listen_seconds, avg_completion, source_counts, device_counts)
      SELECT track_id, ${day}::date, plays, unique_listeners, total_listen_seconds, avg_completion, source_counts, device_counts FROM counted
      ON CONFLICT (track_id, day) DO UPDATE
         SET plays = EXCLUDED.plays, unique_listeners = EXCLUDED.unique_listeners, total_listen_seconds = EXCLUDED.total_listen_seconds,
             avg_completion = EXCLUDED.avg_completion, source_counts = EXCLUDED.source_counts, device_counts = EXCLUDED.device_counts
       WHERE (ta.plays, ta.unique_listeners, ta.total_listen_seconds, ta.avg_completion, ta.source_counts, ta.device_counts)
             IS DISTINCT FROM (EXCLUDED.plays, EXCLUDED.unique_listeners, EXCLUDED.total_listen_seconds, EXCLUDED.avg_completion, EXCLUDED.source_counts, EXCLUDED.device_counts)
      RETURNING 1
    ), removed AS (
      DELETE FROM track_analytics ta
       WHERE ta.day = ${day}::date AND NOT EXISTS (SELECT 1 FROM counted c WHERE c.track_id = ta.track_id)
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM counted)::int AS tracks, (SELECT count(*) FROM written)::int AS written, (SELECT count(*) FROM removed)::int AS removed`;
}

/** `count(*) FROM <table> WHERE created_at within the day`, for the "new things" metrics. */
const createdOn = (table: string, day: string) => {
  const [start, end] = bounds(day);
  return sql`(SELECT count(*) FROM ${sql.identifier(table)} x WHERE x.created_at >= ${start} AND x.created_at < ${end})`;
};

/**
 * The platform's daily_metrics of the day (dimension '' = the total): plays, unique listeners and
 * listen time (counted plays as above), with plays broken down coarsely by 'source:<s>',
 * 'device:<d>' and 'genre:<genre>' (lower-cased; 'unknown' when unset, so each breakdown sums to
 * the total); and the day's signups, new tracks, posts and playlists. Breakdowns of this job's
 * metrics that no longer occur are removed; unchanged values are not rewritten.
 */
function dailyMetricsOf(day: string): SQL {
  const names = sql.join(PLATFORM_METRICS.map((m) => sql`${m}`), sql`, `);
  return sql`
    WITH plays AS (
      SELECT ph.user_id, ph.played_duration, ph.counted,
             'source:' || COALESCE(ph.source, 'unknown') AS by_source,
             'device:' || COALESCE(ph.device_type, 'unknown') AS by_device,
             'genre:' || COALESCE(NULLIF(left(lower(btrim(t.genre)), 100), ''), 'unknown') AS by_genre
        FROM ${historyOf(day)} ph
        JOIN tracks t ON t.id = ph.track_id
    ), metrics (metric_name, dimension, value) AS (
      SELECT 'plays', '', count(*) FILTER (WHERE counted) FROM plays
      UNION ALL SELECT 'unique_listeners', '', count(DISTINCT user_id) FILTER (WHERE counted) FROM plays
      UNION ALL SELECT 'listen_seconds', '', COALESCE(sum(played_duration), 0) FROM plays
      UNION ALL SELECT 'plays', by_source, count(*) FROM plays WHERE counted GROUP BY by_source
      UNION ALL SELECT 'plays', by_device, count(*) FROM plays WHERE counted GROUP BY by_device
      UNION ALL SELECT 'plays', by_genre, count(*) FROM plays WHERE counted GROUP BY by_genre
      UNION ALL SELECT 'signups', '', ${createdOn("users", day)}
      UNION ALL SELECT 'new_tracks', '', ${createdOn("tracks", day)}
      UNION ALL SELECT 'new_posts', '', ${createdOn("posts", day)}
      UNION ALL SELECT 'new_playlists', '', ${createdOn("playlists", day)}
    ), written AS (
      INSERT INTO daily_metrics AS dm (metric_date, metric_name, dimension, value)
      SELECT ${day}::date, metric_name, dimension, value FROM metrics
      ON CONFLICT (metric_date, metric_name, dimension) DO UPDATE SET value = EXCLUDED.value
       WHERE dm.value IS DISTINCT FROM EXCLUDED.value
      RETURNING 1
    ), removed AS (
      DELETE FROM daily_metrics dm
       WHERE dm.metric_date = ${day}::date AND dm.metric_name IN (${names})
         AND NOT EXISTS (SELECT 1 FROM metrics m WHERE m.metric_name = dm.metric_name AND m.dimension = dm.dimension)
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM metrics)::int AS metrics, (SELECT count(*) FROM written)::int AS written, (SELECT count(*) FROM removed)::int AS removed`;
}

/**
 * daily_metrics' `aggregation.final` = 1 (dimension '') says a day's figures are complete: it was
 * aggregated FINAL_AFTER_HOURS or more after it began, i.e. at least an hour after it ended (plays
 * are recorded as they happen). Readers of daily_metrics can tell a complete day from one still
 * filling, and the job never recomputes a complete day, which also keeps its figures once
 * playback_history's retention has dropped the rows they came from (§18.1).
 */
export const FINAL_METRIC = "aggregation.final";

function markFinal(day: string, now: Date): SQL | null {
  if (now.getTime() < Date.parse(`${day}T00:00:00Z`) + FINAL_AFTER_HOURS * 3_600_000) return null;
  return sql`
    INSERT INTO daily_metrics (metric_date, metric_name, dimension, value) VALUES (${day}::date, ${FINAL_METRIC}, '', 1)
    ON CONFLICT (metric_date, metric_name, dimension) DO NOTHING`;
}

/**
 * The days a run at `now` computes: today and yesterday (their plays may still arrive), then up to
 * CATCH_UP_DAYS_PER_RUN older days of the last CATCH_UP_WINDOW_DAYS that were never aggregated
 * for good (a cron that stopped), oldest first; the next run continues where this one stopped.
 */
async function daysToAggregate({ db, now }: JobContext): Promise<string[]> {
  const today = dayOf(now);
  const { rows } = await db.execute<{ day: string }>(sql`
    SELECT d::date::text AS day
      FROM generate_series(${addDays(today, -CATCH_UP_WINDOW_DAYS)}::date, ${addDays(today, -2)}::date, interval '1 day') d
     WHERE NOT EXISTS (SELECT 1 FROM daily_metrics m WHERE m.metric_date = d::date AND m.metric_name = ${FINAL_METRIC} AND m.dimension = '')
     ORDER BY d
     LIMIT ${CATCH_UP_DAYS_PER_RUN}`);
  return [...rows.map((r) => r.day), addDays(today, -1), today];
}

/**
 * Hourly (spec §15): aggregates playback_history into track_analytics and daily_metrics for the
 * days that can still change. Each day is recomputed whole from its source rows in one batch (one
 * transaction), so a rerun, or two runs at once, write the same figures. Bounded: at most
 * CATCH_UP_DAYS_PER_RUN + 2 days per run, each scanning one day of one playback_history partition.
 */
export async function aggregateAnalytics(ctx: JobContext): Promise<Record<string, number>> {
  const days = await daysToAggregate(ctx);
  const counts = { days: days.length, track_days: 0, track_rows_written: 0, track_rows_removed: 0, metrics_written: 0, metrics_removed: 0 };
  for (const day of days) {
    const final = markFinal(day, ctx.now);
    const [tracks, metrics] = await ctx.db.batch([
      ctx.db.execute<{ tracks: number; written: number; removed: number }>(trackAnalyticsOf(day)),
      ctx.db.execute<{ metrics: number; written: number; removed: number }>(dailyMetricsOf(day)),
      ...(final ? [ctx.db.execute(final)] : []),
    ]);
    const t = tracks.rows[0]!;
    const m = metrics.rows[0]!;
    counts.track_days += Number(t.tracks);
    counts.track_rows_written += Number(t.written);
    counts.track_rows_removed += Number(t.removed);
    counts.metrics_written += Number(m.written);
    counts.metrics_removed += Number(m.removed);
  }
  return counts;
}
