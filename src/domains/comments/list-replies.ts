import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { notFound } from "../../lib/errors";
import { blockHides } from "../blocks/either-blocked";
import { visibleTo } from "../tracks/track-view";
import { hasShownReply, selectComment, shown, toComment, type CommentRow } from "./comment-view";
import type { Comment } from "./schemas";

/**
 * GET /v1/comments/:id/replies: a thread's shown replies, oldest first (a conversation reads down),
 * keyset on (created_at, id) over idx_track_comments_parent_comment_id_created_at_id; one round
 * trip, to anyone who may see the track. The thread is 404 when its track is not visible, or when
 * its first comment is gone from the list (deleted, with no shown reply left).
 */
export async function listReplies(
  db: Database,
  commentId: string,
  viewerId: string | null,
  query: { limit: number; cursor?: string },
): Promise<{ items: Comment[]; next_cursor: string | null }> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const { rows } = await db.execute<Partial<CommentRow> & { thread_found: boolean }>(sql`
    WITH thread AS (
      SELECT c.id FROM track_comments c
        JOIN users a ON a.id = c.user_id
        JOIN tracks t ON t.id = c.track_id
        JOIN users u ON u.id = t.creator_id
       WHERE c.id = ${commentId} AND ${visibleTo(viewerId)} AND (${shown("c", "a")} OR ${hasShownReply("c")})
    )
    SELECT EXISTS (SELECT 1 FROM thread) AS thread_found, v.*
      FROM (SELECT 1) AS one
      LEFT JOIN LATERAL (${selectComment(sql`(
        SELECT r.* FROM track_comments r JOIN users ra ON ra.id = r.user_id
         WHERE r.parent_comment_id = (SELECT id FROM thread) AND ${shown("r", "ra")} AND NOT ${blockHides(viewerId, sql`r.user_id`)}
           ${after ? sql`AND (r.created_at, r.id) > (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
         ORDER BY r.created_at, r.id
         LIMIT ${query.limit + 1})`)}) v ON true
     ORDER BY v.cursor_at, v.id`);
  if (!rows[0]?.thread_found) throw notFound("This comment");
  const replies = rows.filter((row): row is CommentRow & { thread_found: boolean } => row.id != null);
  const items = replies.slice(0, query.limit);
  const last = items[items.length - 1];
  return { items: items.map(toComment), next_cursor: replies.length > query.limit && last ? encodeCursor(last.cursor_at, last.id) : null };
}
