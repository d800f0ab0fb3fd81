import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { iso, preciseIso, selectTrack, toTrackSummary, trackSignature, visibleTo, type TrackRow } from "../tracks/track-view";
import type { LikedTrack } from "./schemas";

interface LikeRow extends TrackRow {
  like_id: string;
  liked_at: string;
  like_cursor: string;
}

/**
 * GET /v1/me/likes: my liked tracks, most recently liked first, keyset on (track_likes.created_at,
 * id) over idx_track_likes_user_id_created_at_id; one round trip. Tracks I can no longer see
 * (deleted, made private by someone else, creator banned or deleted) are left out inside the
 * keyset scan, before the LIMIT, so a page is never short while more remain. Their likes stay:
 * the track shows again if it becomes visible again.
 */
export async function listLikes(
  db: Database,
  secret: string,
  userId: string,
  query: { limit: number; cursor?: string },
): Promise<{ items: LikedTrack[]; next_cursor: string | null }> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const { rows } = await db.execute<LikeRow>(sql`
    SELECT l.id AS like_id, ${iso("l.created_at")} AS liked_at, ${preciseIso("l.created_at")} AS like_cursor, v.*
      FROM (SELECT l.id, l.created_at, l.track_id
              FROM track_likes l
              JOIN tracks t ON t.id = l.track_id
              JOIN users u ON u.id = t.creator_id
             WHERE l.user_id = ${userId} AND ${visibleTo(userId)}
               ${after ? sql`AND (l.created_at, l.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
             ORDER BY l.created_at DESC, l.id DESC
             LIMIT ${query.limit + 1}) l
      JOIN LATERAL (${selectTrack(sql`tracks`, { waveform: false })} WHERE t.id = l.track_id) v ON true
     ORDER BY l.created_at DESC, l.id DESC`);
  const page = rows.slice(0, query.limit);
  const items = await Promise.all(
    page.map(async (row) => ({ liked_at: row.liked_at, track: toTrackSummary(row, userId, await trackSignature(secret, row)) })),
  );
  const last = page[page.length - 1];
  return { items, next_cursor: rows.length > query.limit && last ? encodeCursor(last.like_cursor, last.like_id) : null };
}
