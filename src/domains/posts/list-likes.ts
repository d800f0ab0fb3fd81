import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { notFound } from "../../lib/errors";
import { blockHides } from "../blocks/either-blocked";
import { iso, preciseIso } from "../tracks/track-view";
import { postVisibleTo } from "./post-view";

type LikerRow = { like_id: string | null; cursor_at: string; liked_at: string; id: string; username: string; display_name: string | null; avatar_url: string | null };

/**
 * GET /v1/posts/:id/likes: who liked a post you may see, newest like first, keyset on
 * (post_likes.created_at, id) over idx_post_likes_post_id_created_at; one round trip. Likers who
 * are gone, private or blocked either way with you are left out inside the scan (pages never short).
 */
export async function listLikes(db: Database, postId: string, viewerId: string | null, query: { limit: number; cursor?: string }) {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const { rows } = await db.execute<LikerRow>(sql`
    WITH target AS (SELECT p.id FROM posts p WHERE p.id = ${postId}::uuid AND ${postVisibleTo(viewerId)})
    SELECT x.* FROM target t LEFT JOIN LATERAL (
      SELECT l.id AS like_id, l.created_at, ${preciseIso("l.created_at")} AS cursor_at, ${iso("l.created_at")} AS liked_at,
             u.id, u.username, u.display_name, up.avatar_url
        FROM post_likes l
        JOIN users u ON u.id = l.user_id AND u.deleted_at IS NULL AND NOT u.is_banned
        LEFT JOIN user_profiles up ON up.user_id = u.id
       WHERE l.post_id = t.id AND (up.profile_visibility IS DISTINCT FROM 'private' OR u.id = ${viewerId}::uuid)
         AND NOT ${blockHides(viewerId, sql`u.id`)}
         ${after ? sql`AND (l.created_at, l.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
       ORDER BY l.created_at DESC, l.id DESC LIMIT ${query.limit + 1}
    ) x ON true
    ORDER BY x.created_at DESC, x.like_id DESC`);
  if (rows.length === 0) throw notFound("This post");
  const found = rows.filter((r) => r.like_id !== null);
  const page = found.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({ id: r.id, username: r.username, display_name: r.display_name, avatar_url: r.avatar_url, liked_at: r.liked_at })),
    next_cursor: found.length > query.limit && last ? encodeCursor(last.cursor_at, last.like_id!) : null,
  };
}
