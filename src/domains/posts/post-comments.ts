import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { preciseIso } from "../tracks/track-view";
import { notifiedJson, notifyInsert, type PushedNotification, toNotifications } from "../notifications/notify";
import { commentJson, commentShown, toComment } from "./comment-view";
import { postVisibleTo } from "./post-view";
import type { PostComment } from "./schemas";

type Query = { limit: number; cursor?: string };
type Page = { items: PostComment[]; next_cursor: string | null };
type PageRow = { found: boolean; id: string | null; cursor_at: string | null; comment: unknown };

function page(rows: PageRow[], what: string, query: Query): Page {
  if (rows.length === 0) throw notFound(what);
  const found = rows.filter((r) => r.id !== null);
  const items = found.slice(0, query.limit);
  const last = items[items.length - 1];
  return { items: items.map((r) => toComment(r.comment)), next_cursor: found.length > query.limit && last ? encodeCursor(last.cursor_at!, last.id!) : null };
}

/**
 * GET /v1/posts/:id/comments: the post's shown top-level comments, newest first, with their
 * reply counts; keyset over idx_post_comments_post_id_created_at; one round trip. 404 when the
 * post is not visible to you. A deleted comment is gone, and its replies with it from the lists.
 */
export async function listPostComments(db: Database, postId: string, viewerId: string | null, query: Query): Promise<Page> {
  const a = query.cursor ? decodeCursor(query.cursor) : null;
  const { rows } = await db.execute<PageRow>(sql`
    WITH target AS (SELECT p.id FROM posts p WHERE p.id = ${postId}::uuid AND ${postVisibleTo(viewerId)})
    SELECT true AS found, x.* FROM target t LEFT JOIN LATERAL (
      SELECT c.id, ${preciseIso("c.created_at")} AS cursor_at, ${commentJson(viewerId)} AS comment
        FROM post_comments c
       WHERE c.post_id = t.id AND c.parent_comment_id IS NULL AND ${commentShown(viewerId)}
         ${a ? sql`AND (c.created_at, c.id) < (${a[0]}::timestamptz, ${a[1]}::uuid)` : sql``}
       ORDER BY c.created_at DESC, c.id DESC LIMIT ${query.limit + 1}
    ) x ON true
    ORDER BY x.cursor_at DESC, x.id DESC`);
  return page(rows, "This post", query);
}

/**
 * GET /v1/post-comments/:id/replies: a thread's shown replies, oldest first (a conversation reads
 * down), keyset on (created_at, id); one round trip. 404 when the comment is not shown to you or
 * its post is not visible to you.
 */
export async function listCommentReplies(db: Database, commentId: string, viewerId: string | null, query: Query): Promise<Page> {
  const a = query.cursor ? decodeCursor(query.cursor) : null;
  const { rows } = await db.execute<PageRow>(sql`
    WITH thread AS (
      SELECT c.id FROM post_comments c JOIN posts p ON p.id = c.post_id
       WHERE c.id = ${commentId}::uuid AND ${commentShown(viewerId)} AND ${postVisibleTo(viewerId)}
    )
    SELECT true AS found, x.* FROM thread t LEFT JOIN LATERAL (
      SELECT c.id, ${preciseIso("c.created_at")} AS cursor_at, ${commentJson(viewerId)} AS comment
        FROM post_comments c
       WHERE c.parent_comment_id = t.id AND ${commentShown(viewerId)}
         ${a ? sql`AND (c.created_at, c.id) > (${a[0]}::timestamptz, ${a[1]}::uuid)` : sql``}
       ORDER BY c.created_at, c.id LIMIT ${query.limit + 1}
    ) x ON true
    ORDER BY x.cursor_at, x.id`);
  return page(rows, "This comment", query);
}

type CreatedRow = { post_found: boolean; parent_found: boolean; parent_is_reply: boolean; comment: unknown; notifications: unknown };

/**
 * POST /v1/posts/:id/comments, one statement: the post must be visible to you (a block either way
 * hides it: 404); a reply's parent must be a shown top-level comment of the same post (422
 * otherwise). Notifies (type comment) the post's author and, for a reply, the parent comment's
 * author — each once, never yourself, never across a block or against their settings (notify.ts).
 * comment_count is kept by trg_post_comments_comment_count.
 */
export async function createPostComment(
  db: Database,
  postId: string,
  userId: string,
  input: { content: string; parent_comment_id?: string },
): Promise<{ comment: PostComment; notifications: PushedNotification[] }> {
  const parentId = input.parent_comment_id ?? null;
  const { rows } = await db.execute<CreatedRow>(sql`
    WITH target AS (SELECT p.id, p.user_id FROM posts p WHERE p.id = ${postId}::uuid AND ${postVisibleTo(userId)}),
    parent AS (
      SELECT c.id, c.user_id, c.parent_comment_id FROM post_comments c
       WHERE c.id = ${parentId}::uuid AND c.post_id = ${postId}::uuid AND ${commentShown(userId)}
    ), c AS (
      INSERT INTO post_comments (post_id, user_id, content, parent_comment_id)
      SELECT t.id, ${userId}::uuid, ${input.content}, ${parentId}::uuid FROM target t
       WHERE ${parentId}::uuid IS NULL OR EXISTS (SELECT 1 FROM parent WHERE parent_comment_id IS NULL)
      RETURNING *
    ), notified AS (${notifyInsert({
      from: sql`c JOIN LATERAL (SELECT t.user_id AS recipient FROM target t UNION ALL SELECT pc.user_id FROM parent pc) rcpt ON true`,
      recipient: sql`rcpt.recipient`,
      actor: userId,
      type: "comment",
      entity: { type: "post_comment", id: sql`c.id` },
      body: sql`left(c.content, 280)`,
      data: sql`jsonb_build_object('post_id', c.post_id, 'comment_id', c.id, 'parent_comment_id', c.parent_comment_id)`,
    })})
    SELECT EXISTS (SELECT 1 FROM target) AS post_found, EXISTS (SELECT 1 FROM parent) AS parent_found,
           EXISTS (SELECT 1 FROM parent WHERE parent_comment_id IS NOT NULL) AS parent_is_reply,
           (SELECT ${commentJson(userId)} FROM c) AS comment, ${notifiedJson("notified")} AS notifications`);
  const row = rows[0]!;
  if (row.comment) return { comment: toComment(row.comment), notifications: toNotifications(row.notifications) };
  if (!row.post_found) throw notFound("This post");
  const message = row.parent_is_reply ? "is a reply; reply to the comment that starts the thread" : "is not a comment of this post (or it was deleted)";
  throw new ApiError("validation_failed", "The request is not valid.", { errors: [{ path: "json.parent_comment_id", message }] });
}

type WriteRow = { found: boolean; mine: boolean; comment: unknown };

/** The comment, shown to `userId`, on a post visible to them, with the post's author. */
const targetComment = (commentId: string, userId: string) => sql`
  SELECT c.id, c.user_id, p.user_id AS post_author_id FROM post_comments c JOIN posts p ON p.id = c.post_id
   WHERE c.id = ${commentId}::uuid AND ${commentShown(userId)} AND ${postVisibleTo(userId)}`;

/** PATCH /v1/post-comments/:id, one statement: its author edits the content. 404 when not shown to you, 403 when not yours. */
export async function updatePostComment(db: Database, commentId: string, userId: string, content: string): Promise<PostComment> {
  const { rows } = await db.execute<WriteRow>(sql`
    WITH target AS (${targetComment(commentId, userId)}),
    c AS (UPDATE post_comments pc SET content = ${content} FROM target t WHERE pc.id = t.id AND t.user_id = ${userId}::uuid RETURNING pc.*)
    SELECT EXISTS (SELECT 1 FROM target) AS found, (SELECT ${commentJson(userId)} FROM c) AS comment`);
  const row = rows[0]!;
  if (row.comment) return toComment(row.comment);
  if (!row.found) throw notFound("This comment");
  throw forbidden("Only its author may edit a comment.");
}

/**
 * DELETE /v1/post-comments/:id, one statement: a soft delete by its author or by the post's author.
 * Its replies stay in the table but leave the lists with it. 404 when not shown to you, 403 otherwise.
 */
export async function deletePostComment(db: Database, commentId: string, userId: string): Promise<void> {
  const { rows } = await db.execute<WriteRow & { deleted: boolean }>(sql`
    WITH target AS (${targetComment(commentId, userId)}),
    deleted AS (
      UPDATE post_comments pc SET deleted_at = now() FROM target t
       WHERE pc.id = t.id AND (t.user_id = ${userId}::uuid OR t.post_author_id = ${userId}::uuid) RETURNING pc.id
    )
    SELECT EXISTS (SELECT 1 FROM target) AS found, EXISTS (SELECT 1 FROM deleted) AS deleted`);
  const row = rows[0]!;
  if (!row.found) throw notFound("This comment");
  if (!row.deleted) throw forbidden("Only its author, or the post's author, may delete a comment.");
}
