import { sql, type SQL } from "drizzle-orm";
import { parseJson } from "../../lib/json-value";
import { blockHides } from "../blocks/either-blocked";
import type { PostComment } from "./schemas";

/**
 * How a post comment is seen and shaped, over a post_comments row aliased `c` (the table, a page,
 * or the RETURNING of a write). A comment is shown while it is live, its author is live (not
 * deleted, not banned) and no block stands either way between its author and the viewer. Threads
 * are one level deep: a reply's parent is a top-level comment of the same post
 * (fk_post_comments_parent keeps them on one post).
 */
export function commentShown(viewerId: string | null, c = "c"): SQL {
  const a = sql.raw(c);
  return sql`${a}.deleted_at IS NULL
    AND EXISTS (SELECT 1 FROM users ca WHERE ca.id = ${a}.user_id AND ca.deleted_at IS NULL AND NOT ca.is_banned)
    AND NOT ${blockHides(viewerId, sql`${a}.user_id`)}`;
}

const ts = (column: string) => sql.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/** The comment's jsonb (PostCommentSchema) for the row aliased `c`; reply_count counts replies shown to the viewer. */
export function commentJson(viewerId: string | null): SQL {
  return sql`jsonb_build_object(
    'id', c.id, 'post_id', c.post_id, 'parent_comment_id', c.parent_comment_id,
    'author', (SELECT jsonb_build_object('id', u.id, 'username', u.username, 'display_name', u.display_name, 'avatar_url', up.avatar_url)
                 FROM users u LEFT JOIN user_profiles up ON up.user_id = u.id WHERE u.id = c.user_id),
    'content', c.content,
    'reply_count', CASE WHEN c.parent_comment_id IS NULL
                        THEN (SELECT count(*) FROM post_comments r WHERE r.parent_comment_id = c.id AND ${commentShown(viewerId, "r")})::int
                        ELSE 0 END,
    'created_at', ${ts("c.created_at")}, 'updated_at', ${ts("c.updated_at")},
    'edited', c.updated_at > c.created_at)`;
}

export const toComment = (value: unknown): PostComment => parseJson<PostComment>(value)!;
