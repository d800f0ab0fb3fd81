import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { notFound } from "../../lib/errors";
import { blockHides } from "../blocks/either-blocked";
import { iso, preciseIso } from "../tracks/track-view";
import type { FollowCard } from "./schemas";

/** Which side of the owner's follows to list: who follows them, or whom they follow. */
export type FollowDirection = "followers" | "following";

type CardRow = {
  owner_id: string;
  follow_id: string | null;
  cursor_at: string;
  followed_at: string;
  id: string;
  username: string;
  display_name: string | null;
  avatar_url: string | null;
  followed_by_me: boolean | null;
};

/**
 * GET /v1/users/:username/followers and /following, newest follow first, keyset on (follows.created_at,
 * id); one round trip. The owner is found by the profile's rule (banned, deleted and others'
 * private profiles are 404), and the LEFT JOIN keeps one row for a found owner with no follows, so
 * 404 and an empty page are told apart in the same statement. Listed users are left out inside the
 * keyset scan, before the LIMIT (a page is never short while more remain), when banned or deleted,
 * blocked either way with the viewer, or private (their profile is 404 to others, so is their name
 * here); counters still count them. A user's follows are few enough to sort in memory over
 * idx_follows_following_id / idx_follows_follower_id.
 */
export async function listFollows(
  db: Database,
  direction: FollowDirection,
  username: string,
  viewerId: string | null,
  query: { limit: number; cursor?: string },
): Promise<{ items: FollowCard[]; next_cursor: string | null }> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const [ownerSide, cardSide] = direction === "followers" ? [sql`f.following_id`, sql`f.follower_id`] : [sql`f.follower_id`, sql`f.following_id`];
  const viewer = sql`${viewerId}::uuid`;
  const { rows } = await db.execute<CardRow>(sql`
    WITH owner AS (
      SELECT u.id FROM users u JOIN user_profiles p ON p.user_id = u.id
       WHERE lower(u.username) = lower(${username}) AND u.deleted_at IS NULL AND NOT u.is_banned
         AND (p.profile_visibility <> 'private' OR u.id = ${viewer})
    )
    SELECT o.id AS owner_id, c.*
      FROM owner o
      LEFT JOIN LATERAL (
        SELECT f.id AS follow_id, f.created_at, ${preciseIso("f.created_at")} AS cursor_at, ${iso("f.created_at")} AS followed_at,
               u.id, u.username, u.display_name, p.avatar_url,
               ${viewerId ? sql`EXISTS (SELECT 1 FROM follows mine WHERE mine.follower_id = ${viewer} AND mine.following_id = u.id)` : sql`NULL::boolean`} AS followed_by_me
          FROM follows f
          JOIN users u ON u.id = ${cardSide} AND u.deleted_at IS NULL AND NOT u.is_banned
          JOIN user_profiles p ON p.user_id = u.id
         WHERE ${ownerSide} = o.id
           AND (p.profile_visibility <> 'private' OR u.id = ${viewer})
           AND NOT ${blockHides(viewerId, sql`u.id`)}
           ${after ? sql`AND (f.created_at, f.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
         ORDER BY f.created_at DESC, f.id DESC
         LIMIT ${query.limit + 1}
      ) c ON true
     ORDER BY c.created_at DESC, c.follow_id DESC`);
  if (rows.length === 0) throw notFound("This profile");
  const found = rows.filter((r) => r.follow_id !== null);
  const page = found.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: r.id,
      username: r.username,
      display_name: r.display_name,
      avatar_url: r.avatar_url,
      followed_at: r.followed_at,
      ...(viewerId ? { followed_by_me: Boolean(r.followed_by_me) } : {}),
    })),
    next_cursor: found.length > query.limit && last ? encodeCursor(last.cursor_at, last.follow_id!) : null,
  };
}
