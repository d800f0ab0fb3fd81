import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { ApiError, notFound } from "../../lib/errors";
import { blockHides } from "../blocks/either-blocked";
import { visibleTo } from "../tracks/track-view";
import { hasShownReply, selectComment, shown, toComment, type CommentRow } from "./comment-view";
import { DEFAULT_SPAN_SECONDS, MAX_TIMED_COMMENTS, type Comment, type CommentListQuery } from "./schemas";

type Page = { items: Comment[]; next_cursor: string | null };

const invalid = (path: string, message: string) =>
  new ApiError("validation_failed", "The request is not valid.", { errors: [{ path: `query.${path}`, message }] });

/** The query's view: threads (paginated), a window of timed comments, or every timed comment. */
function viewOf(query: CommentListQuery): { kind: "threads" } | { kind: "timed"; from: number | null; to: number | null } {
  if (query.at !== undefined && query.timed) throw invalid("timed", "cannot be combined with at");
  if (query.span !== undefined && query.at === undefined) throw invalid("span", "needs at");
  if (query.at !== undefined || query.timed) {
    if (query.cursor !== undefined) throw invalid("cursor", "applies to the threads view only, not to timed comments");
    return query.at === undefined ? { kind: "timed", from: null, to: null } : { kind: "timed", from: query.at, to: query.at + (query.span ?? DEFAULT_SPAN_SECONDS) };
  }
  return { kind: "threads" };
}

/**
 * GET /v1/tracks/:id/comments, one round trip, to anyone who may see the track (404 otherwise).
 *
 * - Threads (default): top-level comments, newest first, keyset on (created_at, id) over
 *   idx_track_comments_track_id_created_at_id. A deleted top-level comment with shown replies is
 *   kept as a placeholder so its thread can still be opened; without any it is gone.
 * - Timed (`?at=S&span=W`: S <= timestamp_seconds < S+W; `?timed=true`: all): the shown comments
 *   placed in the track, replies included (a reply placed at a second is at that second too; its
 *   parent_comment_id lets a player thread it), by position then age, at most MAX_TIMED_COMMENTS,
 *   over idx_track_comments_timestamp_seconds. Placeholders never appear there: nothing to draw.
 */
export async function listComments(db: Database, trackId: string, viewerId: string | null, query: CommentListQuery): Promise<Page> {
  const view = viewOf(query);
  const after = view.kind === "threads" && query.cursor ? decodeCursor(query.cursor) : null;
  let page: SQL;
  let order: SQL;
  if (view.kind === "threads") {
    page = sql`(SELECT c.* FROM track_comments c JOIN users a ON a.id = c.user_id
                 WHERE c.track_id = (SELECT id FROM target) AND c.parent_comment_id IS NULL
                   AND (${shown("c", "a")} OR ${hasShownReply("c")}) AND NOT ${blockHides(viewerId, sql`c.user_id`)}
                   ${after ? sql`AND (c.created_at, c.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
                 ORDER BY c.created_at DESC, c.id DESC
                 LIMIT ${query.limit + 1})`;
    order = sql`v.cursor_at DESC, v.id DESC`;
  } else {
    page = sql`(SELECT c.* FROM track_comments c JOIN users a ON a.id = c.user_id
                 WHERE c.track_id = (SELECT id FROM target) AND c.timestamp_seconds IS NOT NULL AND ${shown("c", "a")}
                   AND NOT ${blockHides(viewerId, sql`c.user_id`)}
                   ${view.from !== null ? sql`AND c.timestamp_seconds >= ${view.from}::int AND c.timestamp_seconds < ${view.to}::bigint` : sql``}
                 ORDER BY c.timestamp_seconds, c.created_at, c.id
                 LIMIT ${MAX_TIMED_COMMENTS})`;
    order = sql`v.timestamp_seconds, v.cursor_at, v.id`;
  }
  const { rows } = await db.execute<Partial<CommentRow> & { track_found: boolean }>(sql`
    WITH target AS (
      SELECT t.id FROM tracks t JOIN users u ON u.id = t.creator_id WHERE t.id = ${trackId} AND ${visibleTo(viewerId)}
    )
    SELECT EXISTS (SELECT 1 FROM target) AS track_found, v.*
      FROM (SELECT 1) AS one
      LEFT JOIN LATERAL (${selectComment(page)}) v ON true
     ORDER BY ${order}`);
  if (!rows[0]?.track_found) throw notFound("This track");
  const comments = rows.filter((row): row is CommentRow & { track_found: boolean } => row.id != null);
  if (view.kind === "timed") return { items: comments.map(toComment), next_cursor: null };
  const items = comments.slice(0, query.limit);
  const last = items[items.length - 1];
  return { items: items.map(toComment), next_cursor: comments.length > query.limit && last ? encodeCursor(last.cursor_at, last.id) : null };
}
