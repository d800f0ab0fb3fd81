import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { notFound } from "../../lib/errors";
import type { Collaborator, Permission, Role } from "./schemas";
import { selectCollaborator, toCollaborator, turnsCollaborative, type CollaboratorRow } from "./collaborator-view";
import { MANAGERS, refusal, seenColumns, target, type Seen } from "./playlist-view";

const MANAGE_REFUSED = "Only the owner or an admin collaborator can manage this playlist's collaborators.";
const MEMBERS: Role[] = ["owner", "admin", "edit", "view"];

/**
 * GET /v1/playlists/:id/collaborators, for members: the owner and admins see every invitation
 * (pending, declined), other members the accepted collaborators. One statement.
 */
export async function listCollaborators(db: Database, playlistId: string, userId: string): Promise<{ items: Collaborator[] }> {
  const { rows } = await db.execute<Seen & { items: CollaboratorRow[] | null }>(sql`
    WITH target AS (${target(playlistId, userId)})
    SELECT ${seenColumns},
           (SELECT json_agg(x ORDER BY x.status, x.invited_at, x.user_id) FROM (
              ${selectCollaborator(sql`playlist_collaborators`)}
               WHERE c.playlist_id = ${playlistId} AND (SELECT role FROM target) IS NOT NULL
                 AND (c.status = 'accepted' OR (SELECT role FROM target) IN ('owner', 'admin'))) x) AS items`);
  const row = rows[0]!;
  const refused = refusal(row, MEMBERS, "Only the playlist's members can see its collaborators.");
  if (refused) throw refused;
  return { items: (row.items ?? []).map(toCollaborator) };
}

/**
 * PATCH /v1/playlists/:id/collaborators/:userId {permission}, by the owner or an admin. Promoting
 * to edit/admin makes the playlist collaborative, as an invitation does. One statement.
 */
export async function changePermission(db: Database, playlistId: string, userId: string, collaboratorId: string, permission: Permission): Promise<Collaborator> {
  const { rows } = await db.execute<Seen & Partial<CollaboratorRow>>(sql`
    WITH target AS (${target(playlistId, userId)}),
    changed AS (
      UPDATE playlist_collaborators SET permission = ${permission}
       WHERE playlist_id = (SELECT id FROM target) AND user_id = ${collaboratorId} AND (SELECT role FROM target) IN ('owner', 'admin')
      RETURNING *
    ), flagged AS (
      UPDATE playlists SET is_collaborative = true
       WHERE id = (SELECT playlist_id FROM changed) AND ${turnsCollaborative(permission)}::boolean AND NOT is_collaborative
    )
    SELECT ${seenColumns}, v.* FROM (SELECT 1) one LEFT JOIN (${selectCollaborator(sql`changed`)}) v ON true`);
  const row = rows[0]!;
  if (row.user_id) return toCollaborator(row as CollaboratorRow);
  throw refusal(row, MANAGERS, MANAGE_REFUSED) ?? notFound("This collaborator");
}

/**
 * DELETE /v1/playlists/:id/collaborators/:userId: the owner or an admin removes a collaborator (or
 * withdraws an invitation); anyone removes themselves (leaves). One statement.
 */
export async function removeCollaborator(db: Database, playlistId: string, userId: string, collaboratorId: string): Promise<void> {
  const { rows } = await db.execute<Seen & { done: boolean }>(sql`
    WITH target AS (${target(playlistId, userId)}),
    removed AS (
      DELETE FROM playlist_collaborators
       WHERE playlist_id = (SELECT id FROM target) AND user_id = ${collaboratorId}
         AND (${collaboratorId}::uuid = ${userId}::uuid OR (SELECT role FROM target) IN ('owner', 'admin'))
      RETURNING id
    )
    SELECT ${seenColumns}, EXISTS (SELECT 1 FROM removed) AS done`);
  const row = rows[0]!;
  if (row.done) return;
  const refused = refusal(row, MANAGERS, MANAGE_REFUSED);
  if (refused && (refused.status === 404 || collaboratorId !== userId)) throw refused;
  throw notFound("This collaborator");
}
