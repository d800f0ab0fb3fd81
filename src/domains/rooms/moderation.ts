import { sql, type SQL } from "drizzle-orm";
import { outranks, type MemberInfo, type MemberRole, type Permissions } from "../../../durable-objects/chat-room/members";
import type { Database } from "../../db/client";
import { forbidden, notFound } from "../../lib/errors";
import { actorColumn, actorCte, actorMay, moderationRefusal, outranksSql, parseJson, withPermission, type Actor } from "./access";
import { changedMemberColumns, memberViewJson, toInfo, toMember } from "./member-view";
import type { Member, UpdateMemberInput } from "./schemas";

/**
 * What members with a permission do to others: change roles and grants, mute, kick, ban, unban.
 * Each is one statement that acts only if the actor has the permission and outranks the target
 * (the rules of durable-objects/chat-room/members.ts, as SQL), and returns what it saw otherwise.
 */

const MANAGE_MEMBERS = "This needs the permission to manage the room's members.";
const MANAGE_ROOM = "Only the room's owner and admins can change members' roles and permissions.";

interface ChangedRow {
  actor: unknown;
  target_role: MemberRole | null;
  view: unknown;
  member: unknown;
  [column: string]: unknown;
}

/** The UPDATE of a member (not banned) that the actor has `kind` on and outranks; `extra` adds conditions on actor `a`. */
async function changeMember(db: Database, roomId: string, userId: string, targetId: string, kind: keyof Permissions, set: SQL, extra: SQL = sql``) {
  const { rows } = await db.execute<ChangedRow>(sql`
    WITH actor AS (${actorCte(roomId, userId)}),
    target AS (SELECT role FROM room_members WHERE room_id = (SELECT room_id FROM actor) AND user_id = ${targetId} AND NOT is_banned),
    changed AS (
      UPDATE room_members m SET ${set} FROM users u
       WHERE u.id = m.user_id AND m.room_id = (SELECT room_id FROM actor) AND m.user_id = ${targetId} AND NOT m.is_banned
         AND ${actorMay(kind)} AND EXISTS (SELECT 1 FROM actor a WHERE ${outranksSql(sql`a.role`, sql`m.role`)} ${extra})
      RETURNING ${changedMemberColumns}
    )
    SELECT ${actorColumn}, (SELECT role FROM target) AS target_role, (SELECT view FROM changed), (SELECT member FROM changed)`);
  return rows[0]!;
}

type Changed = { result: Member; member: MemberInfo };
const changed = (row: ChangedRow): Changed | null => (row.view ? { result: toMember(row.view), member: toInfo(row.member)! } : null);

/**
 * PATCH /v1/rooms/:id/members/:userId: the owner changes anyone; admins change moderators and
 * members, and grant only roles below their own (never admin or owner).
 */
export async function updateMember(db: Database, roomId: string, userId: string, targetId: string, patch: UpdateMemberInput): Promise<Changed> {
  const sets: SQL[] = [];
  if (patch.role !== undefined) sets.push(sql`role = ${patch.role}`);
  for (const grant of ["can_invite", "can_manage_messages", "can_manage_members"] as const) {
    if (patch[grant] !== undefined) sets.push(sql`${sql.identifier(grant)} = ${patch[grant]}`);
  }
  const grantable = patch.role ? sql`AND ${outranksSql(sql`a.role`, sql`${patch.role}`)}` : sql``;
  const row = await changeMember(db, roomId, userId, targetId, "manage_room", sql.join(sets, sql`, `), grantable);
  const done = changed(row);
  if (done) return done;
  const actor = withPermission(parseJson<Actor>(row.actor), "manage_room", MANAGE_ROOM);
  if (patch.role && row.target_role && outranks(actor.role, row.target_role) && !outranks(actor.role, patch.role)) {
    throw forbidden(`Your role (${actor.role}) cannot grant the ${patch.role} role.`);
  }
  throw moderationRefusal(parseJson<Actor>(row.actor), row.target_role, "manage_room", MANAGE_ROOM);
}

/** POST /v1/rooms/:id/members/:userId/mute: for `minutes`, or until unmuted. */
export async function muteMember(db: Database, roomId: string, userId: string, targetId: string, minutes: number | undefined): Promise<Changed> {
  const until = minutes === undefined ? sql`NULL` : sql`now() + make_interval(mins => ${minutes}::int)`;
  const row = await changeMember(db, roomId, userId, targetId, "manage_members", sql`is_muted = true, muted_until = ${until}`);
  const done = changed(row);
  if (done) return done;
  throw moderationRefusal(parseJson<Actor>(row.actor), row.target_role, "manage_members", MANAGE_MEMBERS);
}

/** POST /v1/rooms/:id/members/:userId/unmute (idempotent). */
export async function unmuteMember(db: Database, roomId: string, userId: string, targetId: string): Promise<Changed> {
  const row = await changeMember(db, roomId, userId, targetId, "manage_members", sql`is_muted = false, muted_until = NULL`);
  const done = changed(row);
  if (done) return done;
  throw moderationRefusal(parseJson<Actor>(row.actor), row.target_role, "manage_members", MANAGE_MEMBERS);
}

/**
 * DELETE /v1/rooms/:id/members/:userId: kicked members may join again (unlike the banned).
 * Idempotent: someone who is not a member is already out.
 */
export async function kickMember(db: Database, roomId: string, userId: string, targetId: string): Promise<void> {
  const { rows } = await db.execute<{ actor: unknown; target_role: MemberRole | null; kicked: boolean }>(sql`
    WITH actor AS (${actorCte(roomId, userId)}),
    target AS (SELECT role FROM room_members WHERE room_id = (SELECT room_id FROM actor) AND user_id = ${targetId} AND NOT is_banned),
    kicked AS (
      DELETE FROM room_members m
       WHERE m.room_id = (SELECT room_id FROM actor) AND m.user_id = ${targetId} AND NOT m.is_banned
         AND ${actorMay("manage_members")} AND EXISTS (SELECT 1 FROM actor a WHERE ${outranksSql(sql`a.role`, sql`m.role`)})
      RETURNING m.user_id
    )
    SELECT ${actorColumn}, (SELECT role FROM target) AS target_role, EXISTS (SELECT 1 FROM kicked) AS kicked`);
  const row = rows[0]!;
  if (row.kicked) return;
  const actor = withPermission(parseJson<Actor>(row.actor), "manage_members", MANAGE_MEMBERS);
  // Not (or no longer) a member: already done. Answered as done so that a repeat after a 503 tells the room again.
  if (!row.target_role) return;
  throw moderationRefusal(actor, row.target_role, "manage_members", MANAGE_MEMBERS);
}

/**
 * POST /v1/rooms/:id/members/:userId/ban. The row stays, flagged (a banned user cannot rejoin), back
 * to a plain member without grants or mute, so an unban never restores a rank; banning someone who
 * is not a member creates the banned row. Their pending invitation is revoked. Banning again
 * updates the reason. The member counter follows (trg_room_members_member_count).
 */
export async function banMember(db: Database, roomId: string, userId: string, targetId: string, reason: string | null): Promise<Member> {
  const { rows } = await db.execute<{ actor: unknown; target_role: MemberRole | null; user_exists: boolean; view: unknown }>(sql`
    WITH actor AS (${actorCte(roomId, userId)}),
    target_user AS (SELECT id FROM users WHERE id = ${targetId} AND deleted_at IS NULL),
    target AS (SELECT role, is_banned FROM room_members WHERE room_id = (SELECT room_id FROM actor) AND user_id = ${targetId}),
    banned AS (
      INSERT INTO room_members AS m (room_id, user_id, role, is_banned, banned_at, banned_by, banned_reason)
      SELECT (SELECT room_id FROM actor), tu.id, 'member', true, now(), ${userId}, ${reason} FROM target_user tu
       WHERE ${actorMay("manage_members")}
         AND EXISTS (SELECT 1 FROM actor a WHERE ${outranksSql(sql`a.role`, sql`COALESCE((SELECT role FROM target), 'member')`)})
      ON CONFLICT (room_id, user_id) DO UPDATE
         SET is_banned = true, banned_at = COALESCE(m.banned_at, now()), banned_by = EXCLUDED.banned_by, banned_reason = EXCLUDED.banned_reason,
             role = 'member', can_invite = false, can_manage_messages = false, can_manage_members = false, is_muted = false, muted_until = NULL
       WHERE ${outranksSql(sql`(SELECT role FROM actor)`, sql`m.role`)}
      RETURNING *
    ),
    revoked AS (
      UPDATE room_invites SET status = 'revoked'
       WHERE room_id = (SELECT room_id FROM actor) AND invitee_id = ${targetId} AND status = 'pending' AND EXISTS (SELECT 1 FROM banned)
    )
    SELECT ${actorColumn}, (SELECT role FROM target) AS target_role, EXISTS (SELECT 1 FROM target_user) AS user_exists,
           (SELECT ${memberViewJson} FROM banned m JOIN users u ON u.id = m.user_id) AS view`);
  const row = rows[0]!;
  if (row.view) return toMember(row.view);
  const actor = withPermission(parseJson<Actor>(row.actor), "manage_members", MANAGE_MEMBERS);
  if (!row.user_exists) throw notFound("This user");
  throw moderationRefusal(actor, row.target_role ?? "member", "manage_members", MANAGE_MEMBERS);
}

/** DELETE /v1/rooms/:id/bans/:userId: the banned row goes; they may join again like anyone. */
export async function unbanMember(db: Database, roomId: string, userId: string, targetId: string): Promise<void> {
  const { rows } = await db.execute<{ actor: unknown; target_banned: boolean | null; unbanned: boolean }>(sql`
    WITH actor AS (${actorCte(roomId, userId)}),
    unbanned AS (
      DELETE FROM room_members m
       WHERE m.room_id = (SELECT room_id FROM actor) AND m.user_id = ${targetId} AND m.is_banned
         AND ${actorMay("manage_members")} AND EXISTS (SELECT 1 FROM actor a WHERE ${outranksSql(sql`a.role`, sql`m.role`)})
      RETURNING m.user_id
    )
    SELECT ${actorColumn}, (SELECT is_banned FROM room_members WHERE room_id = (SELECT room_id FROM actor) AND user_id = ${targetId}) AS target_banned,
           EXISTS (SELECT 1 FROM unbanned) AS unbanned`);
  const row = rows[0]!;
  if (row.unbanned) return;
  const actor = withPermission(parseJson<Actor>(row.actor), "manage_members", MANAGE_MEMBERS);
  if (!row.target_banned) throw notFound("This ban");
  throw moderationRefusal(actor, "member", "manage_members", MANAGE_MEMBERS);
}
