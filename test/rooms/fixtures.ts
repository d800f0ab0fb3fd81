import type { MemberRole } from "../../durable-objects/chat-room/members";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { sql, uniq } from "../helpers/db";

/** Fixtures of the rooms domain's tests. */

export { banUser, softDeleteUser } from "../tracks/fixtures";

export interface TestRoom {
  id: string;
  room_code: string | null;
  [k: string]: any;
}

/** A room created through the API by `owner` (a unique name unless given). */
export async function makeRoom(owner: SignedInUser, body: Record<string, unknown> = {}): Promise<TestRoom> {
  const res = await api("POST", "/v1/rooms", { headers: owner.headers, body: { name: `Room ${uniq()}`, ...body } });
  if (res.status !== 201) throw new Error(`create room: ${res.status} ${res.text}`);
  return res.body;
}

/** The room's code as stored (the API shows it only to those who may invite). */
export async function codeOf(roomId: string): Promise<string> {
  const [row] = await sql.query("SELECT room_code FROM rooms WHERE id = $1", [roomId]);
  return row!.room_code as string;
}

/** A new signed-in user made a member of the room with `role` directly in the database (setup, not under test). */
export async function memberOf(roomId: string, role: MemberRole = "member", grants: { can_manage_members?: boolean; can_invite?: boolean } = {}): Promise<SignedInUser> {
  const user = await signedInUser();
  await sql.query(
    "INSERT INTO room_members (room_id, user_id, role, can_manage_members, can_invite) VALUES ($1, $2, $3, $4, $5)",
    [roomId, user.id, role, grants.can_manage_members ?? false, grants.can_invite ?? false],
  );
  return user;
}

/** Everyone of a room, by role: the owner made through the API, the others by SQL. */
export async function staffedRoom(body: Record<string, unknown> = {}) {
  const owner = await signedInUser();
  const room = await makeRoom(owner, body);
  const [admin, moderator, member, member2] = await Promise.all([memberOf(room.id, "admin"), memberOf(room.id, "moderator"), memberOf(room.id, "member"), memberOf(room.id, "member")]);
  const outsider = await signedInUser();
  return { room, owner: owner, admin: admin!, moderator: moderator!, member: member!, member2: member2!, outsider };
}

/** The stored membership row (null when none). */
export async function membershipRow(roomId: string, userId: string): Promise<Record<string, any> | null> {
  const [row] = await sql.query("SELECT * FROM room_members WHERE room_id = $1 AND user_id = $2", [roomId, userId]);
  return row ?? null;
}

export async function memberCount(roomId: string): Promise<number> {
  const [row] = await sql.query("SELECT member_count FROM rooms WHERE id = $1", [roomId]);
  return Number(row!.member_count);
}

/**
 * A message as the ChatRoom object would flush it: `secondsAgo` orders them (created_at must be
 * whole milliseconds, chk_messages_created_at_ms).
 */
export async function insertMessage(roomId: string, senderId: string, seq: number, options: { content?: string; secondsAgo?: number; deleted?: boolean } = {}) {
  const [row] = await sql.query(
    `INSERT INTO messages (id, room_id, sender_id, seq, content, created_at, is_deleted, deleted_at)
     VALUES (gen_random_uuid(), $1, $2, $3, $4, date_trunc('milliseconds', now()) - make_interval(secs => $5), $6, CASE WHEN $6 THEN now() END)
     RETURNING id`,
    [roomId, senderId, seq, options.content ?? `message ${seq}`, options.secondsAgo ?? 0, options.deleted ?? false],
  );
  return row!.id as string;
}
