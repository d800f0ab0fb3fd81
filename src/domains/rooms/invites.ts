import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { iso, preciseIso } from "../tracks/track-view";
import { actorColumn, actorCte, actorMay, asMember, parseJson, withPermission, type Actor } from "./access";
import type { InviteView } from "./schemas";

/** How long an invitation may be accepted (room_invites.expires_at's default too). */
const INVITE_DAYS = 7;

const invalid = (message: string) => new ApiError("validation_failed", "The request is not valid.", { errors: [{ path: "json.username", message }] });

/** An invitation over any relation of room_invites rows aliased `i` (the table or a RETURNING). */
const selectInvite = (from: SQL) => sql`
  SELECT i.id, i.status, ${iso("i.expires_at")} AS expires_at, ${iso("i.created_at")} AS created_at, ${preciseIso("i.updated_at")} AS cursor_at,
         r.id AS room_id, r.name AS room_name, r.room_type, r.password_hash IS NOT NULL AS has_password,
         iu.id AS inviter_id, iu.username AS inviter_username, ee.id AS invitee_id, ee.username AS invitee_username
    FROM ${from} i
    JOIN rooms r ON r.id = i.room_id
    JOIN users ee ON ee.id = i.invitee_id
    LEFT JOIN users iu ON iu.id = i.inviter_id`;

interface InviteRow {
  id: string;
  status: InviteView["status"];
  expires_at: string;
  created_at: string;
  cursor_at: string;
  room_id: string;
  room_name: string | null;
  room_type: InviteView["room"]["room_type"];
  has_password: boolean;
  inviter_id: string | null;
  inviter_username: string | null;
  invitee_id: string;
  invitee_username: string;
  [column: string]: unknown;
}

const toInvite = (r: InviteRow): InviteView => ({
  id: r.id,
  room: { id: r.room_id, name: r.room_name, room_type: r.room_type, has_password: r.has_password },
  inviter: r.inviter_id && r.inviter_username ? { id: r.inviter_id, username: r.inviter_username } : null,
  invitee: { id: r.invitee_id, username: r.invitee_username },
  status: r.status,
  expires_at: r.expires_at,
  created_at: r.created_at,
});

/**
 * POST /v1/rooms/:id/invites: a member with the invite permission invites a user by username (a
 * live, unbanned account; not banned from the room, not a member). Inviting again — pending,
 * declined, revoked, or someone who has since left — makes it pending with a fresh expiry.
 * Archived and DM rooms take no invitations. One statement.
 */
export async function inviteToRoom(db: Database, roomId: string, userId: string, username: string): Promise<InviteView> {
  const { rows } = await db.execute<Partial<InviteRow> & { actor: unknown; invitee: string | null; existing_banned: boolean | null }>(sql`
    WITH actor AS (${actorCte(roomId, userId)}),
    invitee AS (SELECT id FROM users WHERE lower(username) = lower(${username}) AND deleted_at IS NULL AND NOT is_banned),
    existing AS (SELECT is_banned FROM room_members WHERE room_id = (SELECT room_id FROM actor) AND user_id = (SELECT id FROM invitee)),
    invited AS (
      INSERT INTO room_invites AS ri (room_id, inviter_id, invitee_id, status, expires_at)
      SELECT a.room_id, ${userId}, iv.id, 'pending', now() + make_interval(days => ${INVITE_DAYS})
        FROM actor a, invitee iv
       WHERE ${actorMay("invite")} AND NOT a.is_archived AND a.room_type <> 'dm' AND iv.id <> ${userId}::uuid AND NOT EXISTS (SELECT 1 FROM existing)
      ON CONFLICT (room_id, invitee_id) DO UPDATE
         SET status = 'pending', inviter_id = EXCLUDED.inviter_id, expires_at = EXCLUDED.expires_at, responded_at = NULL
      RETURNING *
    )
    SELECT ${actorColumn}, (SELECT id FROM invitee) AS invitee, (SELECT is_banned FROM existing) AS existing_banned, v.*
      FROM (SELECT 1) one LEFT JOIN (${selectInvite(sql`invited`)}) v ON true`);
  const row = rows[0]!;
  if (row.id) return toInvite(row as InviteRow);
  const actor = withPermission(parseJson<Actor>(row.actor), "invite", "You may not invite people to this room.");
  if (actor.is_archived) throw new ApiError("conflict", "This room is archived: it takes no new members.");
  if (actor.room_type === "dm") throw new ApiError("conflict", "Direct message rooms take no invitations.");
  if (!row.invitee) throw invalid("is not a user");
  if (row.invitee === userId) throw invalid("is you");
  if (row.existing_banned) throw new ApiError("conflict", "This user is banned from the room; unban them first.");
  throw new ApiError("conflict", "This user is already a member of the room.");
}

/** GET /v1/me/room-invites: pending, unexpired invitations to live rooms, newest first. One statement. */
export async function listMyInvites(db: Database, userId: string, query: { limit: number; cursor?: string }) {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const { rows } = await db.execute<InviteRow>(sql`
    ${selectInvite(sql`room_invites`)}
     WHERE i.invitee_id = ${userId} AND i.status = 'pending' AND i.expires_at > now() AND r.deleted_at IS NULL
       ${after ? sql`AND (i.updated_at, i.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
     ORDER BY i.updated_at DESC, i.id DESC
     LIMIT ${query.limit + 1}`);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { items: page.map(toInvite), next_cursor: rows.length > query.limit && last ? encodeCursor(last.cursor_at, last.id) : null };
}

/** POST /v1/me/room-invites/:inviteId/decline: idempotent; the room may invite again later. */
export async function declineInvite(db: Database, userId: string, inviteId: string): Promise<void> {
  const { rows } = await db.execute<{ status: string | null; declined: boolean }>(sql`
    WITH declined AS (
      UPDATE room_invites SET status = 'declined', responded_at = now()
       WHERE id = ${inviteId} AND invitee_id = ${userId} AND status = 'pending'
      RETURNING id
    )
    SELECT (SELECT status FROM room_invites WHERE id = ${inviteId} AND invitee_id = ${userId}) AS status, EXISTS (SELECT 1 FROM declined) AS declined`);
  const row = rows[0]!;
  if (!row.declined && row.status !== "declined") throw notFound("This invitation");
}

/**
 * DELETE /v1/rooms/:id/invites/:inviteId: a pending invitation is withdrawn by whoever sent it
 * (while still a member) or by someone who manages members. One statement.
 */
export async function revokeInvite(db: Database, roomId: string, userId: string, inviteId: string): Promise<void> {
  const { rows } = await db.execute<{ actor: unknown; pending: boolean; revoked: boolean }>(sql`
    WITH actor AS (${actorCte(roomId, userId)}),
    invite AS (SELECT id, inviter_id FROM room_invites WHERE id = ${inviteId} AND room_id = (SELECT room_id FROM actor) AND status = 'pending'),
    revoked AS (
      UPDATE room_invites SET status = 'revoked'
       WHERE id = (SELECT id FROM invite)
         AND (${actorMay("manage_members")} OR ((SELECT inviter_id FROM invite) = ${userId}::uuid AND ${actorMay("member")}))
      RETURNING id
    )
    SELECT ${actorColumn}, EXISTS (SELECT 1 FROM invite) AS pending, EXISTS (SELECT 1 FROM revoked) AS revoked`);
  const row = rows[0]!;
  if (row.revoked) return;
  asMember(parseJson<Actor>(row.actor));
  if (!row.pending) throw notFound("This invitation");
  throw forbidden("Only whoever sent the invitation, or someone who manages members, can withdraw it.");
}
