import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { ApiError, notFound } from "../../lib/errors";
import { iso, preciseIso } from "../tracks/track-view";
import type { Collaborator, InviteInput, Permission } from "./schemas";
import { selectCollaborator, toCollaborator, turnsCollaborative, type CollaboratorRow } from "./collaborator-view";
import { MANAGERS, refusal, seenColumns, target, type Seen } from "./playlist-view";

interface InviteRow extends Seen, Partial<CollaboratorRow> {
  owner_id: string | null;
  invitee_id: string | null;
  existing_status: string | null;
}

/**
 * POST /v1/playlists/:id/collaborators, by the owner or an admin: invites a user by username with a
 * permission, valid `expires_in_days`. Inviting someone who declined (or whose invitation is still
 * pending) sends it again, pending, with the new permission and expiry; an accepted collaborator is
 * a 409 (change their permission instead). Inviting with edit/admin makes the playlist
 * collaborative. One statement.
 */
export async function inviteCollaborator(db: Database, playlistId: string, userId: string, input: InviteInput): Promise<Collaborator> {
  const { rows } = await db.execute<InviteRow>(sql`
    WITH target AS (${target(playlistId, userId)}),
    invitee AS (
      SELECT id FROM users WHERE lower(username) = lower(${input.username}) AND deleted_at IS NULL AND NOT is_banned
    ), existing AS (
      SELECT status FROM playlist_collaborators WHERE playlist_id = ${playlistId} AND user_id = (SELECT id FROM invitee)
    ), invited AS (
      INSERT INTO playlist_collaborators (playlist_id, user_id, permission, status, invited_by, invited_at, expires_at)
      SELECT (SELECT id FROM target), i.id, ${input.permission}, 'pending', ${userId}, now(), now() + make_interval(days => ${input.expires_in_days}::int)
        FROM invitee i
       WHERE (SELECT role FROM target) IN ('owner', 'admin') AND i.id <> (SELECT user_id FROM target)
      ON CONFLICT (playlist_id, user_id) DO UPDATE
         SET permission = EXCLUDED.permission, status = 'pending', invited_by = EXCLUDED.invited_by,
             invited_at = EXCLUDED.invited_at, expires_at = EXCLUDED.expires_at, accepted_at = NULL
       WHERE playlist_collaborators.status <> 'accepted'
      RETURNING *
    ), flagged AS (
      UPDATE playlists SET is_collaborative = true
       WHERE id = (SELECT playlist_id FROM invited) AND ${turnsCollaborative(input.permission)}::boolean AND NOT is_collaborative
    )
    SELECT ${seenColumns}, (SELECT user_id FROM target) AS owner_id, (SELECT id FROM invitee) AS invitee_id,
           (SELECT status FROM existing) AS existing_status, v.*
      FROM (SELECT 1) one LEFT JOIN (${selectCollaborator(sql`invited`)}) v ON true`);
  const row = rows[0]!;
  if (row.user_id) return toCollaborator(row as CollaboratorRow);
  const refused = refusal(row, MANAGERS, "Only the owner or an admin collaborator can invite collaborators.");
  if (refused) throw refused;
  if (!row.invitee_id) throw new ApiError("validation_failed", "The request is not valid.", { errors: [{ path: "json.username", message: "is not a user" }] });
  if (row.invitee_id === row.owner_id) throw new ApiError("validation_failed", "The request is not valid.", { errors: [{ path: "json.username", message: "is the playlist's owner" }] });
  throw new ApiError("conflict", "This user is already a collaborator; change their permission instead.");
}

interface InvitationRow {
  playlist_id: string;
  playlist_name: string;
  owner_id: string;
  owner_username: string;
  permission: Permission;
  invited_by: string | null;
  invited_by_username: string | null;
  invited_at: string;
  expires_at: string | null;
  cursor_at: string;
  [column: string]: unknown;
}

/**
 * GET /v1/me/playlist-invitations: the caller's pending, unexpired invitations, newest first, with
 * the playlist's name and owner (all an invitee sees of a private playlist before accepting).
 */
export async function listInvitations(db: Database, userId: string, query: { limit: number; cursor?: string }) {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const { rows } = await db.execute<InvitationRow>(sql`
    SELECT p.id AS playlist_id, p.name AS playlist_name, o.id AS owner_id, o.username AS owner_username, c.permission,
           c.invited_by, ib.username AS invited_by_username, ${iso("c.invited_at")} AS invited_at, ${iso("c.expires_at")} AS expires_at,
           ${preciseIso("c.invited_at")} AS cursor_at
      FROM playlist_collaborators c
      JOIN playlists p ON p.id = c.playlist_id
      JOIN users o ON o.id = p.user_id
      LEFT JOIN users ib ON ib.id = c.invited_by
     WHERE c.user_id = ${userId} AND c.status = 'pending' AND (c.expires_at IS NULL OR c.expires_at > now())
       AND p.deleted_at IS NULL AND o.deleted_at IS NULL AND NOT o.is_banned
       ${after ? sql`AND (c.invited_at, c.playlist_id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
     ORDER BY c.invited_at DESC, c.playlist_id DESC
     LIMIT ${query.limit + 1}`);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      playlist: { id: r.playlist_id, name: r.playlist_name, owner: { id: r.owner_id, username: r.owner_username } },
      permission: r.permission,
      invited_by: r.invited_by ? { id: r.invited_by, username: r.invited_by_username ?? "" } : null,
      invited_at: r.invited_at,
      expires_at: r.expires_at,
    })),
    next_cursor: rows.length > query.limit && last ? encodeCursor(last.cursor_at, last.playlist_id) : null,
  };
}

interface RespondRow extends Partial<CollaboratorRow> {
  found_status: string | null;
  expired: boolean | null;
  [column: string]: unknown;
}

/**
 * POST /v1/me/playlist-invitations/:playlistId/accept | decline. Accepting an expired invitation is
 * 410; accepting again is harmless (the collaborator as it is); declining after accepting is a 409
 * (leave instead: DELETE /v1/playlists/{id}/collaborators/{your id}). One statement.
 */
export async function respondToInvitation(db: Database, playlistId: string, userId: string, accept: boolean): Promise<Collaborator> {
  const { rows } = await db.execute<RespondRow>(sql`
    WITH inv AS (
      SELECT c.id, c.status, c.expires_at IS NOT NULL AND c.expires_at <= now() AS expired
        FROM playlist_collaborators c JOIN playlists p ON p.id = c.playlist_id JOIN users o ON o.id = p.user_id
       WHERE c.playlist_id = ${playlistId} AND c.user_id = ${userId}
         AND p.deleted_at IS NULL AND o.deleted_at IS NULL AND NOT o.is_banned
    ), answered AS (
      UPDATE playlist_collaborators
         SET status = ${accept ? "accepted" : "declined"}, accepted_at = ${accept ? sql`now()` : sql`NULL`}
       WHERE id = (SELECT id FROM inv) AND status = 'pending' ${accept ? sql`AND NOT (SELECT expired FROM inv)` : sql``}
      RETURNING *
    ), unchanged AS (
      SELECT * FROM playlist_collaborators WHERE id = (SELECT id FROM inv) AND ${accept}::boolean AND status = 'accepted'
    )
    SELECT (SELECT status FROM inv) AS found_status, (SELECT expired FROM inv) AS expired, v.*
      FROM (SELECT 1) one LEFT JOIN (${selectCollaborator(sql`(SELECT * FROM answered UNION ALL SELECT * FROM unchanged)`)}) v ON true`);
  const row = rows[0]!;
  if (row.user_id) return toCollaborator(row as CollaboratorRow);
  if (!row.found_status || (row.found_status === "declined" && accept)) throw notFound("This invitation");
  if (row.found_status === "pending" && row.expired) throw new ApiError("gone", "This invitation has expired; ask for a new one.");
  throw new ApiError("conflict", row.found_status === "accepted" ? "You already accepted; to leave, remove yourself from the collaborators." : "You already declined this invitation.");
}
