import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { notFound } from "../../lib/errors";
import { seriesAndTotals, type Period } from "./period";
import type { AnalyticsOverview, TrackAnalytics } from "./schemas";

/** How many tracks the overview ranks. */
export const TOP_TRACKS = 10;

const ROW_COLUMNS = sql.raw("ta.day, ta.plays, ta.unique_listeners, ta.total_listen_seconds, ta.avg_completion, ta.source_counts, ta.device_counts");

/**
 * GET /v1/me/analytics/tracks/:id, one round trip: the track's daily figures over the period from
 * track_analytics (zeros for days without plays) and their totals. Only the track's creator sees
 * them; for anyone else the track is not among "my" tracks, so it is a 404 whether or not they may
 * see the track itself (the answer does not even reveal that a private track exists). Deleted
 * tracks have no analytics to read. Counts only: nothing in the answer names a listener.
 */
export async function findTrackAnalytics(db: Database, userId: string, trackId: string, period: Period): Promise<TrackAnalytics> {
  const { rows } = await db.execute<{ track: TrackAnalytics["track"] | null; days: TrackAnalytics["days"]; totals: TrackAnalytics["totals"] }>(sql`
    WITH mine AS (
      SELECT t.id, t.title, t.visibility FROM tracks t
       WHERE t.id = ${trackId}::uuid AND t.creator_id = ${userId}::uuid AND t.deleted_at IS NULL
    ),
    ${seriesAndTotals(period, sql`
      SELECT ${ROW_COLUMNS} FROM track_analytics ta JOIN mine ON mine.id = ta.track_id
       WHERE ta.day BETWEEN ${period.from}::date AND ${period.to}::date`)}
    SELECT (SELECT json_build_object('id', id, 'title', title, 'visibility', visibility) FROM mine) AS track, d.days, t.totals
      FROM days_json d, totals t`);
  const row = rows[0];
  if (!row?.track) throw notFound("This track");
  return { track: row.track, period, days: row.days, totals: row.totals };
}

/**
 * GET /v1/me/analytics/overview, one round trip: all my live tracks summed per day over the
 * period, the totals, and my most played tracks of the period (plays, then listen time, then title).
 */
export async function findAnalyticsOverview(db: Database, userId: string, period: Period): Promise<AnalyticsOverview> {
  const { rows } = await db.execute<{ days: AnalyticsOverview["days"]; totals: AnalyticsOverview["totals"]; top_tracks: AnalyticsOverview["top_tracks"] }>(sql`
    WITH mine AS (
      SELECT t.id, t.title FROM tracks t WHERE t.creator_id = ${userId}::uuid AND t.deleted_at IS NULL
    ),
    ${seriesAndTotals(period, sql`
      SELECT ta.track_id, ${ROW_COLUMNS} FROM track_analytics ta JOIN mine ON mine.id = ta.track_id
       WHERE ta.day BETWEEN ${period.from}::date AND ${period.to}::date`)},
    top AS (
      SELECT mine.id, mine.title, sum(r.plays)::int AS plays, sum(r.total_listen_seconds)::bigint AS listen_seconds
        FROM r JOIN mine ON mine.id = r.track_id
       GROUP BY mine.id, mine.title
       ORDER BY sum(r.plays) DESC, sum(r.total_listen_seconds) DESC, mine.title, mine.id
       LIMIT ${TOP_TRACKS}
    )
    SELECT d.days, t.totals,
           COALESCE((SELECT json_agg(json_build_object('id', id, 'title', title, 'plays', plays, 'listen_seconds', listen_seconds)
                               ORDER BY plays DESC, listen_seconds DESC, title, id) FROM top), '[]'::json) AS top_tracks
      FROM days_json d, totals t`);
  const row = rows[0]!;
  return { period, days: row.days, totals: row.totals, top_tracks: row.top_tracks };
}
