import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { forbidden, notFound } from "../../lib/errors";
import { visibleTo } from "../tracks/track-view";
import { selectComment, shown, toComment, type CommentRow } from "./comment-view";
import type { Comment } from "./schemas";

/**
 * PATCH /v1/comments/:id {content}, by its author only, one statement. is_edited becomes true
 * when the content really changes (sending the same text again is not an edit). A comment that
 * is deleted, or on a track the author can no longer see, is 404; someone else's shown comment 403.
 */
export async function updateComment(db: Database, commentId: string, userId: string, content: string): Promise<Comment> {
  const { rows } = await db.execute<Partial<CommentRow> & { author_id: string | null }>(sql`
    WITH target AS (
      SELECT c.id, c.user_id FROM track_comments c
        JOIN users a ON a.id = c.user_id
        JOIN tracks t ON t.id = c.track_id
        JOIN users u ON u.id = t.creator_id
       WHERE c.id = ${commentId} AND ${shown("c", "a")} AND ${visibleTo(userId)}
    ), updated AS (
      UPDATE track_comments
         SET content = ${content}, is_edited = is_edited OR content IS DISTINCT FROM ${content}
       WHERE id = (SELECT id FROM target) AND user_id = ${userId}
      RETURNING *
    )
    SELECT (SELECT user_id FROM target) AS author_id, v.*
      FROM (SELECT 1) AS one
      LEFT JOIN (${selectComment(sql`updated`)}) v ON true`);
  const row = rows[0]!;
  if (row.id) return toComment(row as CommentRow);
  if (!row.author_id) throw notFound("This comment");
  throw forbidden("Only the comment's author can edit it.");
}
