import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { auditInsertFrom, type AuditOrigin } from "../../lib/audit";
import type { AuthContext } from "../../lib/auth/middleware";
import { forbidden, notFound } from "../../lib/errors";

const STAFF = new Set<AuthContext["role"]>(["moderator", "admin"]);

/**
 * DELETE /v1/tracks/:id: a soft delete (deleted_at), by the creator or by staff (moderator, admin).
 * Staff removing someone else's track is a moderation action: it is written to the audit log
 * ('track.delete', subject the creator, actor the staff member) in the same statement. The R2
 * objects stay: the row can be restored, and the retention jobs remove both later. A private track
 * is 404 to anyone who may not see or delete it, a visible one 403.
 */
export async function deleteTrack(db: Database, trackId: string, actor: AuthContext, origin: AuditOrigin): Promise<void> {
  const staff = STAFF.has(actor.role);
  const { rows } = await db.execute<{ creator_id: string | null; visibility: string | null; deleted: boolean }>(sql`
    WITH target AS (
      SELECT creator_id, visibility FROM tracks WHERE id = ${trackId} AND deleted_at IS NULL
    ), deleted AS (
      UPDATE tracks SET deleted_at = now()
       WHERE id = ${trackId} AND deleted_at IS NULL AND (creator_id = ${actor.userId} OR ${staff}::boolean)
      RETURNING id, creator_id, title
    ), audit AS (
      ${auditInsertFrom(
        {
          action: "track.delete",
          userId: sql`deleted.creator_id`,
          actorId: actor.userId,
          severity: "warning",
          origin,
          metadata: sql`jsonb_build_object('track_id', deleted.id, 'title', deleted.title, 'role', ${actor.role}::text)`,
        },
        sql`deleted WHERE deleted.creator_id <> ${actor.userId}`,
      )}
      RETURNING 1
    )
    SELECT target.creator_id, target.visibility, EXISTS (SELECT 1 FROM deleted) AS deleted
      FROM (SELECT 1) AS one LEFT JOIN target ON true`);
  const row = rows[0]!;
  if (row.deleted) return;
  if (!row.creator_id || row.visibility === "private") throw notFound("This track");
  throw forbidden("Only the track's creator or a moderator can delete it.");
}
