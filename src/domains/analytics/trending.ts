import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { blockHides } from "../blocks/either-blocked";
import { selectTrack, toTrackSummary, type TrackRow } from "../tracks/track-view";
import type { TrendingEntry } from "./schemas";

type ChartRow = TrackRow & { score: number; plays_7d: number; unique_listeners_7d: number };

/**
 * GET /v1/tracks/trending, one round trip: the hourly trending_tracks snapshot (§23.1), in score
 * order, each entry checked against the track's live state so that a track deleted, made private
 * or unlisted, or whose creator was banned or deleted since the last refresh is left out at once;
 * so are tracks of creators with a block either way with the viewer. A popularity chart, the same
 * for everyone: nothing in it depends on what the viewer listened to (§17: no profiling). The
 * genre filter applies within the chart's 100 tracks.
 */
export async function listTrending(db: Database, viewerId: string | null, query: { limit: number; genre?: string }): Promise<{ items: TrendingEntry[] }> {
  const { rows } = await db.execute<ChartRow>(sql`
    SELECT c.trending_score::float8 AS score, c.play_count_7d::int AS plays_7d, c.unique_listeners_7d::int AS unique_listeners_7d, s.*
      FROM trending_tracks c
      JOIN LATERAL (
        ${selectTrack(sql`tracks`, { waveform: false })}
         WHERE t.id = c.id AND t.deleted_at IS NULL AND t.visibility = 'public' AND t.status = 'ready'
           AND u.deleted_at IS NULL AND NOT u.is_banned
           ${query.genre ? sql`AND lower(btrim(t.genre)) = lower(${query.genre})` : sql``}
           AND NOT ${blockHides(viewerId, sql`t.creator_id`)}
      ) s ON true
     ORDER BY c.trending_score DESC, c.id
     LIMIT ${query.limit}`);
  return {
    items: rows.map((row, i) => ({
      rank: i + 1,
      score: Number(row.score),
      plays_7d: Number(row.plays_7d),
      unique_listeners_7d: Number(row.unique_listeners_7d),
      like_count: Number(row.like_count),
      track: toTrackSummary(row, viewerId, null),
    })),
  };
}
