import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { parseJson } from "../../lib/json-value";
import { eitherBlocked } from "../blocks/either-blocked";
import { selectPlaylist, toPlaylist, type PlaylistRow } from "../playlists/playlist-view";
import { postJson, postVisibleTo, toPost } from "../posts/post-view";
import { iso, preciseIso, selectTrack, toTrackSummary, type TrackRow } from "../tracks/track-view";
import type { Feed, FeedItem } from "./schemas";

type FeedRow = {
  kind: "post" | "track" | "playlist";
  id: string;
  at: string;
  cursor_at: string;
  post: unknown;
  track: unknown;
  playlist: unknown;
};

/**
 * GET /v1/feed: the posts, published tracks and public playlists of the accounts `userId` follows,
 * newest first, keyset on (time, id) across the three kinds; one round trip.
 *
 * Fan-out on read, bounded: for each followed account (its live, non-private, unblocked profile)
 * a keyset scan of each kind's (owner, time DESC, id DESC) index (migrations/0023) reads at most
 * one page of its newest items after the cursor; the candidates are merged and the page cut.
 * Nothing is ranked: the time an item entered the world is the only order (spec §17).
 */
export async function listFeed(db: Database, userId: string, query: { limit: number; cursor?: string }, secret: string): Promise<Feed> {
  const me = sql`${userId}::uuid`;
  const take = query.limit + 1;
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const before = (at: string, id: string): SQL =>
    after ? sql`AND (${sql.raw(at)}, ${sql.raw(id)}) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``;
  const { rows } = await db.execute<FeedRow>(sql`
    WITH src AS MATERIALIZED (
      SELECT f.following_id AS uid
        FROM follows f
        JOIN users u ON u.id = f.following_id AND u.deleted_at IS NULL AND NOT u.is_banned
        JOIN user_profiles up ON up.user_id = u.id AND up.profile_visibility <> 'private'
       WHERE f.follower_id = ${me} AND NOT ${eitherBlocked(userId, sql`f.following_id`)}
    ), candidates AS (
      SELECT 'post' AS kind, x.id, x.at FROM src CROSS JOIN LATERAL (
        SELECT p.id, p.created_at AS at FROM posts p
         WHERE p.user_id = src.uid AND p.deleted_at IS NULL AND p.group_id IS NULL AND p.visibility <> 'unlisted'
               ${before("p.created_at", "p.id")}
         ORDER BY p.created_at DESC, p.id DESC LIMIT ${take}) x
      UNION ALL
      SELECT 'track', x.id, x.at FROM src CROSS JOIN LATERAL (
        SELECT t.id, t.published_at AS at FROM tracks t
         WHERE t.creator_id = src.uid AND t.deleted_at IS NULL AND t.published_at IS NOT NULL
               AND t.visibility = 'public' AND t.status = 'ready'
               ${before("t.published_at", "t.id")}
         ORDER BY t.published_at DESC, t.id DESC LIMIT ${take}) x
      UNION ALL
      SELECT 'playlist', x.id, x.at FROM src CROSS JOIN LATERAL (
        SELECT pl.id, pl.created_at AS at FROM playlists pl
         WHERE pl.user_id = src.uid AND pl.deleted_at IS NULL AND pl.visibility = 'public' AND pl.track_count > 0
               ${before("pl.created_at", "pl.id")}
         ORDER BY pl.created_at DESC, pl.id DESC LIMIT ${take}) x
    ), page AS (
      SELECT kind, id, at FROM candidates ORDER BY at DESC, id DESC LIMIT ${take}
    )
    SELECT pg.kind, pg.id, ${iso("pg.at")} AS at, ${preciseIso("pg.at")} AS cursor_at,
           CASE WHEN pg.kind = 'post' THEN (SELECT ${postJson(userId)} FROM posts p WHERE p.id = pg.id AND ${postVisibleTo(userId)}) END AS post,
           CASE WHEN pg.kind = 'track' THEN (SELECT to_jsonb(tr) FROM (${selectTrack(sql`tracks`, { waveform: false })} WHERE t.id = pg.id) tr) END AS track,
           CASE WHEN pg.kind = 'playlist' THEN (SELECT to_jsonb(pr) FROM (${selectPlaylist(sql`playlists`, userId)} AND p.id = pg.id) pr) END AS playlist
      FROM page pg
     ORDER BY pg.at DESC, pg.id DESC`);

  const page = rows.slice(0, query.limit);
  const items: FeedItem[] = [];
  for (const row of page) {
    const item = await toItem(row, userId, secret);
    if (item) items.push(item);
  }
  const last = page[page.length - 1];
  return { items, next_cursor: rows.length > query.limit && last ? encodeCursor(last.cursor_at, last.id) : null };
}

/** A feed row as the API shows it, or null when it must not show (hidden since it was picked, or a repost of nothing you may see). */
async function toItem(row: FeedRow, viewerId: string, secret: string): Promise<FeedItem | null> {
  if (row.kind === "post") {
    if (row.post == null) return null;
    const post = toPost(row.post);
    if (post.repost_of_id && !post.repost_of && post.content === "") return null;
    return { type: "post", id: row.id, at: row.at, post };
  }
  if (row.kind === "track") {
    const track = parseJson<TrackRow>(row.track);
    return track ? { type: "track", id: row.id, at: row.at, track: toTrackSummary(track, viewerId, null) } : null;
  }
  const playlist = parseJson<PlaylistRow>(row.playlist);
  return playlist ? { type: "playlist", id: row.id, at: row.at, playlist: await toPlaylist(playlist, secret) } : null;
}
