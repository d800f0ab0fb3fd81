import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { iso, preciseIso, selectTrack, toTrackSummary, trackSignature, visibleTo, type TrackRow } from "../tracks/track-view";
import type { Play } from "./schemas";

interface PlayRow extends TrackRow {
  play_id: string;
  played_at: string;
  play_cursor: string;
  played_duration: number;
  completion_percentage: number;
  source: Play["source"];
  source_id: string | null;
  device_type: Play["device_type"];
}

/**
 * GET /v1/me/history: my plays, newest first, keyset on (played_at, id) over
 * idx_playback_history_user_id_played_at_id (the monthly partitions are read newest first by a
 * merge of their ordered indexes); one round trip. Only rows with my user_id exist for me: anonymous
 * plays and anonymised rows (user_id NULL) are nobody's. Plays of tracks I can no longer see are
 * left out inside the keyset scan, before the LIMIT.
 */
export async function listHistory(
  db: Database,
  secret: string,
  userId: string,
  query: { limit: number; cursor?: string },
): Promise<{ items: Play[]; next_cursor: string | null }> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const { rows } = await db.execute<PlayRow>(sql`
    SELECT h.id AS play_id, ${iso("h.played_at")} AS played_at, ${preciseIso("h.played_at")} AS play_cursor,
           h.played_duration, h.completion_percentage, h.source, h.source_id, h.device_type, v.*
      FROM (SELECT h.*
              FROM playback_history h
              JOIN tracks t ON t.id = h.track_id
              JOIN users u ON u.id = t.creator_id
             WHERE h.user_id = ${userId} AND ${visibleTo(userId)}
               ${after ? sql`AND (h.played_at, h.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
             ORDER BY h.played_at DESC, h.id DESC
             LIMIT ${query.limit + 1}) h
      JOIN LATERAL (${selectTrack(sql`tracks`, { waveform: false })} WHERE t.id = h.track_id) v ON true
     ORDER BY h.played_at DESC, h.id DESC`);
  const page = rows.slice(0, query.limit);
  const items = await Promise.all(
    page.map(async (row) => ({
      id: row.play_id,
      played_at: row.played_at,
      played_duration: Number(row.played_duration),
      completion_percentage: Number(row.completion_percentage),
      source: row.source,
      source_id: row.source_id,
      device_type: row.device_type,
      track: toTrackSummary(row, userId, await trackSignature(secret, row)),
    })),
  );
  const last = page[page.length - 1];
  return { items, next_cursor: rows.length > query.limit && last ? encodeCursor(last.play_cursor, last.play_id) : null };
}
