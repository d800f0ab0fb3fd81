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

/** A kind of feed item: where it lives, whose it is, when it entered the world, and when it shows. */
interface Kind {
  kind: FeedRow["kind"];
  table: string;
  owner: string;
  at: string;
  shown: string;
}

/** What the feed holds of an account: posts outside groups and not unlisted, published tracks, public playlists with tracks. */
const KINDS: Kind[] = [
  { kind: "post", table: "posts", owner: "user_id", at: "created_at", shown: "a.deleted_at IS NULL AND a.group_id IS NULL AND a.visibility <> 'unlisted'" },
  {
    kind: "track",
    table: "tracks",
    owner: "creator_id",
    at: "published_at",
    shown: "a.deleted_at IS NULL AND a.published_at IS NOT NULL AND a.visibility = 'public' AND a.status = 'ready'",
  },
  { kind: "playlist", table: "playlists", owner: "user_id", at: "created_at", shown: "a.deleted_at IS NULL AND a.visibility = 'public' AND a.track_count > 0" },
];

/**
 * Up to this many follows, the feed reads each followed account's newest items (fan-in); beyond,
 * it walks everyone's items newest first and keeps the followed ones. Measured at 1-year volumes
 * (bench/community-queries.ts): the first costs ~60 index rows per followed account, the second
 * ~63 probes per 1/density of followed accounts, and they cross near 200 of 50 000 accounts.
 */
export const FAN_IN_LIMIT = 200;

/**
 * GET /v1/feed: the posts, published tracks and public playlists of the accounts `userId` follows,
 * newest first, keyset on (time, id) across the three kinds; one round trip. A followed account
 * counts while it is live, not banned, its profile not private, and no block stands either way.
 * Nothing is ranked: the time an item entered the world is the only order (spec §17).
 *
 * Two plans in one statement, and the follow count picks one before anything runs (the other
 * branch is cut by a one-time filter): up to FAN_IN_LIMIT follows, for each followed account a
 * keyset scan of each kind's (owner, time DESC, id DESC) index (migrations/0022, index-only)
 * reads at most one page after the cursor, and the candidates are merged; beyond, each kind's
 * time index is walked newest first and each row is kept when a probe of the follows' unique index
 * says I follow its owner, stopping at one page. Both read O(page) rows where they are chosen.
 */
export async function listFeed(db: Database, userId: string, query: { limit: number; cursor?: string }, secret: string): Promise<Feed> {
  const me = sql`${userId}::uuid`;
  const take = query.limit + 1;
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  // `at <= t` lets an index on the time alone start at the cursor; the row comparison breaks ties.
  const before = (at: string): SQL =>
    after ? sql`AND ${sql.raw(at)} <= ${after[0]}::timestamptz AND (${sql.raw(at)}, a.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``;
  const followsFew = sql`(SELECT fc.following_count FROM user_profiles fc WHERE fc.user_id = ${me}) <= ${FAN_IN_LIMIT}`;
  const sourceLive = (owner: SQL) => sql`EXISTS (SELECT 1 FROM users su JOIN user_profiles sp ON sp.user_id = su.id
     WHERE su.id = ${owner} AND su.deleted_at IS NULL AND NOT su.is_banned AND sp.profile_visibility <> 'private')
     AND NOT ${eitherBlocked(userId, owner)}`;
  const fanIn = KINDS.map(
    (k) => sql`SELECT ${k.kind} AS kind, x.id, x.at FROM src CROSS JOIN LATERAL (
        SELECT a.id, a.${sql.raw(k.at)} AS at FROM ${sql.raw(k.table)} a
         WHERE a.${sql.raw(k.owner)} = src.uid AND ${sql.raw(k.shown)} ${before(`a.${k.at}`)}
         ORDER BY a.${sql.raw(k.at)} DESC, a.id DESC LIMIT ${take}) x
       WHERE ${followsFew}`,
  );
  const walk = KINDS.map(
    (k) => sql`(SELECT ${k.kind} AS kind, a.id, a.${sql.raw(k.at)} AS at FROM ${sql.raw(k.table)} a
        WHERE NOT ${followsFew} AND ${sql.raw(k.shown)} ${before(`a.${k.at}`)}
          AND EXISTS (SELECT 1 FROM follows wf WHERE wf.follower_id = ${me} AND wf.following_id = a.${sql.raw(k.owner)})
          AND ${sourceLive(sql.raw(`a.${k.owner}`))}
        ORDER BY a.${sql.raw(k.at)} DESC, a.id DESC LIMIT ${take})`,
  );
  const { rows } = await db.execute<FeedRow>(sql`
    WITH src AS MATERIALIZED (
      SELECT f.following_id AS uid FROM follows f WHERE f.follower_id = ${me} AND ${sourceLive(sql`f.following_id`)}
    ), candidates AS (
      ${sql.join([...fanIn, ...walk], sql` UNION ALL `)}
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
