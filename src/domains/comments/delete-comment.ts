import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { auditInsertFrom, type AuditOrigin } from "../../lib/audit";
import type { AuthContext } from "../../lib/auth/middleware";
import { forbidden, notFound } from "../../lib/errors";
import { visibleTo } from "../tracks/track-view";

const STAFF = new Set<AuthContext["role"]>(["moderator", "admin"]);

/**
 * DELETE /v1/comments/:id, one statement: a soft delete (is_deleted and deleted_at, the spec's two
 * markers; trg_track_comments_comment_count_update takes it off comment_count). Allowed to
 *  - its author (even on a track that has since become invisible to them: one's own words can
 *    always be taken back),
 *  - the track's creator, moderating their own track,
 *  - moderators and admins. When only that role allowed it (neither author nor the track's
 *    creator), it is a moderation action, written to the audit log ('track_comment.delete',
 *    subject the author) by the same statement.
 * Replies stay: a deleted comment with live replies is listed as a placeholder. A comment already
 * deleted, or on a deleted track, is 404; one on a track the actor cannot see is 404 unless the
 * actor may delete it; anyone else's visible comment is 403.
 */
export async function deleteComment(db: Database, commentId: string, actor: AuthContext, origin: AuditOrigin): Promise<void> {
  const staff = STAFF.has(actor.role);
  const { rows } = await db.execute<{ author_id: string | null; visible: boolean | null; deleted: boolean }>(sql`
    WITH target AS (
      SELECT c.id, c.user_id, t.creator_id, (${visibleTo(actor.userId)}) AS visible
        FROM track_comments c
        JOIN tracks t ON t.id = c.track_id
        JOIN users u ON u.id = t.creator_id
       WHERE c.id = ${commentId} AND NOT c.is_deleted AND c.deleted_at IS NULL AND t.deleted_at IS NULL
    ), deleted AS (
      UPDATE track_comments c SET is_deleted = true, deleted_at = now()
        FROM target
       WHERE c.id = target.id AND NOT c.is_deleted AND c.deleted_at IS NULL
         AND (target.user_id = ${actor.userId} OR target.creator_id = ${actor.userId} OR ${staff}::boolean)
      RETURNING c.id, c.user_id, c.track_id, c.content, target.creator_id
    ), audit AS (
      ${auditInsertFrom(
        {
          action: "track_comment.delete",
          userId: sql`deleted.user_id`,
          actorId: actor.userId,
          severity: "warning",
          origin,
          metadata: sql`jsonb_build_object('comment_id', deleted.id, 'track_id', deleted.track_id, 'content', left(deleted.content, 500), 'role', ${actor.role}::text)`,
        },
        sql`deleted WHERE deleted.user_id <> ${actor.userId} AND deleted.creator_id <> ${actor.userId}`,
      )}
      RETURNING 1
    )
    SELECT target.user_id AS author_id, target.visible, EXISTS (SELECT 1 FROM deleted) AS deleted
      FROM (SELECT 1) AS one LEFT JOIN target ON true`);
  const row = rows[0]!;
  if (row.deleted) return;
  if (!row.author_id || !row.visible) throw notFound("This comment");
  throw forbidden("Only the comment's author, the track's creator or a moderator can delete it.");
}
