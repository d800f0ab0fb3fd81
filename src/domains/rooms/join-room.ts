import { sql, type SQL } from "drizzle-orm";
import type { MemberInfo } from "../../../durable-objects/chat-room/members";
import type { Database } from "../../db/client";
import { DUMMY_HASH, verifyPassword } from "../../lib/auth/passwords";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { memberInfoJson } from "../chat/member-info";
import { actorColumn, actorCte, parseJson, type Actor } from "./access";
import { toInfo } from "./member-view";
import { isRoomFull } from "./pg-error";
import { membershipJson, toMembership } from "./room-view";
import type { Membership } from "./schemas";

export interface JoinResult {
  room_id: string;
  /** false: already a member, nothing changed. */
  joined: boolean;
  membership: Membership;
  /**
   * For notifyMemberChanged, also when already a member: a repeated join after a 503 (the room
   * was not told) must repeat the notice.
   */
  member: MemberInfo;
}

interface JoinRow {
  actor: unknown;
  room_id: string | null;
  admitted: boolean;
  password_hash: string | null;
  invited: boolean;
  invite_expired: boolean | null;
  code_matches: boolean | null;
  full: boolean | null;
  joined: unknown;
  joined_membership: unknown;
  existing: unknown;
  existing_member: unknown;
  [column: string]: unknown;
}

/**
 * One statement: join `room` (a uuid expression) if the caller may — a live, unarchived, non-DM
 * room; no membership row yet (members and the banned have one); a private room only with a
 * pending, unexpired invitation or its code; the password unless invited (the inviter vouches),
 * matched by passing the hash the Worker verified; room for one more (and under concurrency
 * chk_rooms_member_count_max). A pending invitation is marked accepted. Everything the Worker needs
 * to explain a refusal comes back too.
 */
function joinStatement(db: Database, room: SQL, userId: string, code: string | null, inviteId: string | null, verifiedHash: string | null) {
  return db.execute<JoinRow>(sql`
    WITH actor AS (${actorCte(room, userId)}),
    room AS (SELECT * FROM rooms WHERE id = (SELECT room_id FROM actor)),
    invite AS (
      SELECT i.id, i.inviter_id, i.expires_at <= now() AS expired FROM room_invites i
       WHERE i.room_id = (SELECT room_id FROM actor) AND i.invitee_id = ${userId} AND i.status = 'pending'
         ${inviteId ? sql`AND i.id = ${inviteId}` : sql``}
    ),
    admitted AS (
      SELECT r.id, r.password_hash, r.max_members, r.member_count, (SELECT inviter_id FROM invite WHERE NOT expired) AS invited_by,
             EXISTS (SELECT 1 FROM invite WHERE NOT expired) AS by_invite
        FROM room r
       WHERE NOT r.is_archived AND r.room_type <> 'dm' AND NOT EXISTS (SELECT 1 FROM actor a WHERE a.role IS NOT NULL)
         AND (NOT (r.is_private OR r.room_type <> 'public') OR EXISTS (SELECT 1 FROM invite WHERE NOT expired) OR r.room_code = ${code})
    ),
    joined AS (
      INSERT INTO room_members (room_id, user_id, role, invited_by)
      SELECT ad.id, ${userId}, 'member', ad.invited_by FROM admitted ad
       WHERE (ad.by_invite OR ad.password_hash IS NULL OR ad.password_hash = ${verifiedHash})
         AND (ad.max_members IS NULL OR ad.member_count < ad.max_members)
      ON CONFLICT (room_id, user_id) DO NOTHING
      RETURNING *
    ),
    accepted AS (
      UPDATE room_invites SET status = 'accepted', responded_at = now()
       WHERE id IN (SELECT id FROM invite WHERE NOT expired) AND EXISTS (SELECT 1 FROM joined)
    )
    SELECT ${actorColumn}, (SELECT room_id FROM actor) AS room_id, EXISTS (SELECT 1 FROM admitted) AS admitted,
           (SELECT CASE WHEN NOT by_invite THEN password_hash END FROM admitted) AS password_hash,
           EXISTS (SELECT 1 FROM invite) AS invited, (SELECT bool_and(expired) FROM invite) AS invite_expired,
           (SELECT room_code = ${code} FROM room) AS code_matches,
           (SELECT max_members IS NOT NULL AND member_count >= max_members FROM admitted) AS full,
           (SELECT ${memberInfoJson} FROM joined m JOIN users u ON u.id = m.user_id) AS joined,
           (SELECT ${membershipJson} FROM joined m) AS joined_membership,
           (SELECT ${membershipJson} FROM room_members m WHERE m.room_id = (SELECT room_id FROM actor) AND m.user_id = ${userId}) AS existing,
           (SELECT ${memberInfoJson} FROM room_members m JOIN users u ON u.id = m.user_id
             WHERE m.room_id = (SELECT room_id FROM actor) AND m.user_id = ${userId} AND NOT m.is_banned) AS existing_member`);
}

/** Why a join that changed nothing was refused, in the order a caller should learn it. */
function refusal(row: JoinRow, viaInvite: boolean): ApiError {
  const actor = parseJson<Actor>(row.actor);
  if (!actor) return notFound(viaInvite ? "This invitation" : "This room");
  if (actor.is_banned) return forbidden("You are banned from this room.");
  if (viaInvite && !row.invited) return notFound("This invitation");
  if (viaInvite && row.invite_expired) return new ApiError("gone", "This invitation has expired; ask for a new one.");
  if (!row.admitted) {
    if (actor.room_type === "dm" || (actor.is_private && !row.invited && !row.code_matches)) return notFound("This room");
    if (actor.is_archived) return new ApiError("conflict", "This room is archived: it takes no new members.");
    return notFound("This room");
  }
  if (row.full) return new ApiError("conflict", "This room is full: it has reached its maximum number of members.");
  return new ApiError("conflict", "The room changed while you joined; try again.");
}

/**
 * POST /v1/rooms/:id/join and POST /v1/me/room-invites/:inviteId/accept. One round trip, two for a
 * password-protected room (the first reads the hash, the Worker verifies it, the second joins if
 * the hash is still the one verified). A password sent is always compared once — against DUMMY_HASH
 * when there is nothing to compare it with — so the time taken does not tell whether the room exists
 * or has a password.
 */
export async function joinRoom(
  db: Database,
  userId: string,
  target: { roomId: string; code?: string; password?: string } | { inviteId: string },
): Promise<JoinResult> {
  const viaInvite = "inviteId" in target;
  const room = viaInvite ? sql`(SELECT room_id FROM room_invites WHERE id = ${target.inviteId} AND invitee_id = ${userId})` : sql`${target.roomId}::uuid`;
  const code = viaInvite ? null : (target.code?.toUpperCase() ?? null);
  const password = viaInvite ? undefined : target.password;
  let compared = false;
  let verifiedHash: string | null = null;
  try {
    for (let pass = 0; pass < 2; pass++) {
      const { rows } = await joinStatement(db, room, userId, code, viaInvite ? target.inviteId : null, verifiedHash);
      const row = rows[0]!;
      if (row.joined) return { room_id: row.room_id!, joined: true, membership: toMembership(row.joined_membership)!, member: toInfo(row.joined)! };
      if (row.existing) return { room_id: row.room_id!, joined: false, membership: toMembership(row.existing)!, member: toInfo(row.existing_member)! };
      if (!row.admitted || !row.password_hash || row.password_hash === verifiedHash) throw refusal(row, viaInvite);
      if (!password) throw forbidden("This room is protected by a password: send it as `password`.");
      compared = true;
      if (!(await verifyPassword(password, row.password_hash))) throw forbidden("The room's password is not right.");
      verifiedHash = row.password_hash;
    }
    throw new ApiError("conflict", "The room changed while you joined; try again.");
  } catch (err) {
    if (isRoomFull(err)) throw new ApiError("conflict", "This room is full: it has reached its maximum number of members.", { cause: err });
    throw err;
  } finally {
    if (password && !compared) await verifyPassword(password, DUMMY_HASH);
  }
}
