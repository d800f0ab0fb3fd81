import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, notFound } from "../../lib/errors";
import { visibleTo } from "../tracks/track-view";
import { selectComment, shown, toComment, type CommentRow } from "./comment-view";
import type { Comment, CreateCommentInput } from "./schemas";

interface CreatedRow extends Partial<CommentRow> {
  track_found: boolean;
  duration: number | null;
  duration_ms: number | null;
  parent_found: boolean;
  parent_is_reply: boolean;
}

const invalid = (path: string, message: string) =>
  new ApiError("validation_failed", "The request is not valid.", { errors: [{ path: `json.${path}`, message }] });

/**
 * The last second a comment may be placed at: a second is in the track when it starts before the
 * end (`s < duration_ms / 1000`: 199 is the last one of a 200.000 s track, 200 the last of 200.5 s).
 * When only the rounded `duration` is known, the end may lie up to half a second past it, so its
 * own second is accepted (`s <= duration`). Null: not processed, the length is unknown.
 */
export function lastSecond(duration: number | null, durationMs: number | null): number | null {
  if (durationMs !== null) return Math.ceil(Number(durationMs) / 1000) - 1;
  return duration === null ? null : Number(duration);
}

/**
 * POST /v1/tracks/:id/comments, one statement: the track must be visible to the commenter; a
 * reply's parent must be a shown, top-level comment of the same track (threads are one level deep:
 * replying to a reply is refused rather than silently re-parented; the composite FK
 * fk_track_comments_parent keeps parent and reply on one track whatever this code does); a timed
 * comment must fall inside the track (see lastSecond). The refusal is derived from what the
 * statement saw. comment_count is kept by trg_track_comments_comment_count_insert_delete.
 */
export async function createComment(db: Database, trackId: string, userId: string, input: CreateCommentInput): Promise<Comment> {
  const parentId = input.parent_comment_id ?? null;
  const at = input.timestamp_seconds ?? null;
  const { rows } = await db.execute<CreatedRow>(sql`
    WITH target AS (
      SELECT t.id, t.duration, t.duration_ms FROM tracks t JOIN users u ON u.id = t.creator_id
       WHERE t.id = ${trackId} AND ${visibleTo(userId)}
    ), parent AS (
      SELECT p.id, p.parent_comment_id FROM track_comments p JOIN users pa ON pa.id = p.user_id
       WHERE p.id = ${parentId}::uuid AND p.track_id = ${trackId} AND ${shown("p", "pa")}
    ), checked AS (
      SELECT id FROM target
       WHERE ${at}::bigint IS NULL
          OR (duration_ms IS NOT NULL AND ${at}::bigint * 1000 < duration_ms)
          OR (duration_ms IS NULL AND duration IS NOT NULL AND ${at}::bigint <= duration)
    ), inserted AS (
      INSERT INTO track_comments (track_id, user_id, content, parent_comment_id, timestamp_seconds)
      SELECT id, ${userId}, ${input.content}, ${parentId}::uuid, ${at}::int FROM checked
       WHERE ${parentId}::uuid IS NULL OR EXISTS (SELECT 1 FROM parent WHERE parent_comment_id IS NULL)
      RETURNING *
    )
    SELECT EXISTS (SELECT 1 FROM target) AS track_found,
           (SELECT duration FROM target) AS duration, (SELECT duration_ms FROM target) AS duration_ms,
           EXISTS (SELECT 1 FROM parent) AS parent_found,
           EXISTS (SELECT 1 FROM parent WHERE parent_comment_id IS NOT NULL) AS parent_is_reply,
           v.*
      FROM (SELECT 1) AS one
      LEFT JOIN (${selectComment(sql`inserted`)}) v ON true`);
  const row = rows[0]!;
  if (row.id) return toComment(row as CommentRow);

  if (!row.track_found) throw notFound("This track");
  if (parentId && !row.parent_found) throw invalid("parent_comment_id", "is not a comment of this track (or it was deleted)");
  if (parentId && row.parent_is_reply) throw invalid("parent_comment_id", "is a reply; reply to the comment that starts the thread");
  const last = lastSecond(row.duration, row.duration_ms);
  if (last === null) {
    throw invalid("timestamp_seconds", "cannot be placed yet: this track has not been processed, so its length is unknown (post it without a timestamp, or wait)");
  }
  throw invalid("timestamp_seconds", `is past the end of the track: it must be between 0 and ${last}`);
}
