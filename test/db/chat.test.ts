// Constraint and trigger tests for migrations/0005_chat.sql (rooms, room_members, room_invites,
// messages [partitioned], message_reactions, direct_messages, user_presence, typing_indicators).
// Every test creates its own users/rooms with unique values; nothing depends on order or emptiness.
import { describe, it, expect } from "vitest";
import { sql, expectPgError, createUser, createFile, MISSING, insert, firstRow, once, type Row } from "../helpers/db";

type User = { id: string; email: string; username: string };

const rnd = () => Math.random().toString(36).slice(2, 10);
const uniqueCode = () => (rnd() + rnd()).replace(/[^a-z0-9]/g, "").slice(0, 10).toUpperCase();

async function makeRoom(creatorId: string, values: Record<string, unknown> = {}): Promise<string> {
  const row = await insert("rooms", { name: `room ${rnd()}`, room_type: "public", creator_id: creatorId, ...values }, "id");
  return row.id as string;
}

async function join(roomId: string, userId: string, values: Record<string, unknown> = {}): Promise<string> {
  const row = await insert("room_members", { room_id: roomId, user_id: userId, ...values }, "id");
  return row.id as string;
}

/** A message's composite key; created_at as text (exact, ms precision) to send back as a reference. */
type MessageKey = { id: string; createdAt: string };

async function post(roomId: string, senderId: string, values: Record<string, unknown> = {}): Promise<MessageKey> {
  const row = await insert("messages", { room_id: roomId, sender_id: senderId, content: `hi ${rnd()}`, ...values }, "id, created_at::text AS created_at_text");
  return { id: row.id as string, createdAt: row.created_at_text as string };
}

async function roomCounts(roomId: string): Promise<{ members: number; messages: number }> {
  const row = await firstRow("SELECT member_count, message_count FROM rooms WHERE id = $1", [roomId]);
  return { members: row.member_count as number, messages: row.message_count as number };
}

async function messageRow(key: MessageKey): Promise<Row> {
  return firstRow("SELECT * FROM messages WHERE id = $1 AND created_at = $2", [key.id, key.createdAt]);
}

// Shared fixture: three users and a public room (with a slug and a room code) that tests only read.
type Ctx = { a: User; b: User; c: User; roomId: string; slug: string; roomCode: string; msg: MessageKey };
const ctx = once(async (): Promise<Ctx> => {
  const a = await createUser();
  const b = await createUser();
  const c = await createUser();
  const slug = `general-${rnd()}`;
  const roomCode = uniqueCode();
  const roomId = await makeRoom(a.id, { slug, room_code: roomCode });
  await join(roomId, a.id, { role: "owner" });
  await join(roomId, b.id);
  await insert("room_invites", { room_id: roomId, inviter_id: a.id, invitee_id: c.id });
  const msg = await post(roomId, a.id, { seq: 1 });
  await insert("message_reactions", { message_id: msg.id, message_created_at: msg.createdAt, user_id: b.id, emoji: "👍" });
  await insert("user_presence", { user_id: a.id });
  await insert("typing_indicators", { room_id: roomId, user_id: a.id });
  return { a, b, c, roomId, slug, roomCode, msg };
});

type Case = { name: string; code: string; constraint?: string; run: (c: Ctx) => Promise<unknown> };

const rejections: Case[] = [
  // rooms
  { name: "rejects a room_type of 'group'", code: "23514", constraint: "chk_rooms_room_type_valid",
    run: (c) => makeRoom(c.a.id, { room_type: "group" }) },
  { name: "rejects a public room without a name", code: "23514", constraint: "chk_rooms_name_required",
    run: (c) => makeRoom(c.a.id, { name: null }) },
  { name: "rejects a blank room name", code: "23514", constraint: "chk_rooms_name_required",
    run: (c) => makeRoom(c.a.id, { name: "   " }) },
  { name: "rejects max_members of 0", code: "23514", constraint: "chk_rooms_max_members_range",
    run: (c) => makeRoom(c.a.id, { max_members: 0 }) },
  { name: "rejects max_members of 10001", code: "23514", constraint: "chk_rooms_max_members_range",
    run: (c) => makeRoom(c.a.id, { max_members: 10001 }) },
  { name: "rejects a slow mode of 3601 seconds", code: "23514", constraint: "chk_rooms_slow_mode_seconds_range",
    run: (c) => makeRoom(c.a.id, { slow_mode_seconds: 3601 }) },
  { name: "rejects a negative slow mode", code: "23514", constraint: "chk_rooms_slow_mode_seconds_range",
    run: (c) => makeRoom(c.a.id, { slow_mode_seconds: -1 }) },
  { name: "rejects a negative message retention", code: "23514", constraint: "chk_rooms_message_retention_days_non_negative",
    run: (c) => makeRoom(c.a.id, { message_retention_days: -1 }) },
  { name: "rejects a room code with a dash", code: "23514", constraint: "chk_rooms_room_code_format",
    run: (c) => makeRoom(c.a.id, { room_code: "AB-CD12" }) },
  { name: "rejects a room code shorter than 6", code: "23514", constraint: "chk_rooms_room_code_format",
    run: (c) => makeRoom(c.a.id, { room_code: "AB12" }) },
  { name: "rejects a duplicate room code", code: "23505", constraint: "uq_rooms_room_code",
    run: (c) => makeRoom(c.a.id, { room_code: c.roomCode }) },
  { name: "rejects a duplicate slug", code: "23505", constraint: "idx_rooms_slug",
    run: (c) => makeRoom(c.a.id, { slug: c.slug }) },
  { name: "rejects an archived room without archived_at", code: "23514", constraint: "chk_rooms_archived_consistent",
    run: (c) => makeRoom(c.a.id, { is_archived: true }) },
  { name: "rejects archived_at on a room that is not archived", code: "23514", constraint: "chk_rooms_archived_consistent",
    run: (c) => makeRoom(c.a.id, { archived_at: new Date().toISOString() }) },
  { name: "rejects a negative member_count", code: "23514", constraint: "chk_rooms_member_count_non_negative",
    run: (c) => makeRoom(c.a.id, { member_count: -1 }) },
  { name: "rejects a negative message_count", code: "23514", constraint: "chk_rooms_message_count_non_negative",
    run: (c) => makeRoom(c.a.id, { message_count: -1 }) },
  { name: "rejects a room whose creator does not exist", code: "23503", constraint: "fk_rooms_users",
    run: () => makeRoom(MISSING) },

  // room_members
  { name: "rejects a member role of 'king'", code: "23514", constraint: "chk_room_members_role_valid",
    run: (c) => join(c.roomId, c.c.id, { role: "king" }) },
  { name: "rejects joining the same room twice", code: "23505", constraint: "uq_room_members_room_user",
    run: (c) => join(c.roomId, c.b.id) },
  { name: "rejects an unknown notification level", code: "22P02",
    run: (c) => join(c.roomId, c.c.id, { notification_level: "some" }) },
  { name: "rejects a blank nickname", code: "23514", constraint: "chk_room_members_custom_nickname_not_blank",
    run: (c) => join(c.roomId, c.c.id, { custom_nickname: "  " }) },
  { name: "rejects a nickname over 100 characters", code: "22001",
    run: (c) => join(c.roomId, c.c.id, { custom_nickname: "n".repeat(101) }) },
  { name: "rejects a ban without banned_at", code: "23514", constraint: "chk_room_members_banned_consistent",
    run: (c) => join(c.roomId, c.c.id, { is_banned: true }) },
  { name: "rejects banned_at on a member who is not banned", code: "23514", constraint: "chk_room_members_banned_consistent",
    run: (c) => join(c.roomId, c.c.id, { banned_at: new Date().toISOString() }) },
  { name: "rejects a negative last_read_seq", code: "23514", constraint: "chk_room_members_last_read_seq_non_negative",
    run: (c) => join(c.roomId, c.c.id, { last_read_seq: -1 }) },
  { name: "rejects a membership of a room that does not exist", code: "23503", constraint: "fk_room_members_rooms",
    run: (c) => join(MISSING, c.c.id) },
  { name: "rejects a membership of a user that does not exist", code: "23503", constraint: "fk_room_members_users",
    run: (c) => join(c.roomId, MISSING) },
  { name: "rejects a ban by a user that does not exist", code: "23503", constraint: "fk_room_members_banned_by",
    run: (c) => join(c.roomId, c.c.id, { is_banned: true, banned_at: new Date().toISOString(), banned_by: MISSING }) },

  // room_invites
  { name: "rejects an invite status of 'maybe'", code: "23514", constraint: "chk_room_invites_status_valid",
    run: async (c) => insert("room_invites", { room_id: await makeRoom(c.a.id), inviter_id: c.a.id, invitee_id: c.b.id, status: "maybe" }) },
  { name: "rejects inviting yourself", code: "23514", constraint: "chk_room_invites_not_self",
    run: async (c) => insert("room_invites", { room_id: await makeRoom(c.a.id), inviter_id: c.b.id, invitee_id: c.b.id }) },
  { name: "rejects an invite that expires before it is created", code: "23514", constraint: "chk_room_invites_expires_after_created",
    run: async (c) => insert("room_invites", { room_id: await makeRoom(c.a.id), inviter_id: c.a.id, invitee_id: c.b.id, expires_at: new Date(Date.now() - 86_400_000).toISOString() }) },
  { name: "rejects a second invite of the same user to the same room", code: "23505", constraint: "uq_room_invites_room_invitee",
    run: (c) => insert("room_invites", { room_id: c.roomId, inviter_id: c.b.id, invitee_id: c.c.id }) },
  { name: "rejects an invite of a user that does not exist", code: "23503", constraint: "fk_room_invites_invitee",
    run: (c) => insert("room_invites", { room_id: c.roomId, inviter_id: c.a.id, invitee_id: MISSING }) },

  // messages (partitioned: CHECK and FK names are the parent's)
  { name: "rejects an empty message", code: "23514", constraint: "chk_messages_content_length",
    run: (c) => post(c.roomId, c.a.id, { content: "" }) },
  { name: "rejects a message of 10001 characters", code: "23514", constraint: "chk_messages_content_length",
    run: (c) => post(c.roomId, c.a.id, { content: "a".repeat(10001) }) },
  { name: "rejects a created_at with microseconds", code: "23514", constraint: "chk_messages_created_at_ms",
    run: (c) => sql.query("INSERT INTO messages (room_id, sender_id, content, created_at) VALUES ($1, $2, 'x', date_trunc('milliseconds', NOW()) + INTERVAL '1 microsecond')", [c.roomId, c.a.id]) },
  { name: "rejects a message in a room that does not exist", code: "23503", constraint: "fk_messages_rooms",
    run: (c) => post(MISSING, c.a.id) },
  { name: "rejects a message from a user that does not exist", code: "23503", constraint: "fk_messages_users",
    run: (c) => post(c.roomId, MISSING) },
  { name: "rejects an attachment that does not exist", code: "23503", constraint: "fk_messages_files",
    run: (c) => post(c.roomId, c.a.id, { attachment_file_id: MISSING }) },
  { name: "rejects a reply to a message key that does not exist", code: "23503", constraint: "fk_messages_reply_to",
    run: (c) => post(c.roomId, c.a.id, { reply_to_id: c.msg.id, reply_to_created_at: "2001-01-01T00:00:00Z" }) },
  { name: "rejects a thread root that does not exist", code: "23503", constraint: "fk_messages_thread_root",
    run: (c) => post(c.roomId, c.a.id, { thread_root_id: MISSING, thread_root_created_at: c.msg.createdAt }) },
  { name: "rejects reply_to_id without reply_to_created_at", code: "23514", constraint: "chk_messages_reply_to_pair",
    run: (c) => post(c.roomId, c.a.id, { reply_to_id: c.msg.id }) },
  { name: "rejects thread_root_created_at without thread_root_id", code: "23514", constraint: "chk_messages_thread_root_pair",
    run: (c) => post(c.roomId, c.a.id, { thread_root_created_at: c.msg.createdAt }) },
  { name: "rejects a message that replies to itself", code: "23514", constraint: "chk_messages_not_self_reference",
    run: (c) => post(c.roomId, c.a.id, { id: c.msg.id, created_at: c.msg.createdAt, reply_to_id: c.msg.id, reply_to_created_at: c.msg.createdAt }) },
  { name: "rejects a thread root from another room", code: "23514", constraint: "chk_messages_thread_root_same_room",
    run: async (c) => post(await makeRoom(c.a.id), c.a.id, { thread_root_id: c.msg.id, thread_root_created_at: c.msg.createdAt }) },
  { name: "rejects a reply to a message of another room", code: "23514", constraint: "chk_messages_reply_to_same_room",
    run: async (c) => post(await makeRoom(c.a.id), c.a.id, { reply_to_id: c.msg.id, reply_to_created_at: c.msg.createdAt }) },
  { name: "rejects a negative seq", code: "23514", constraint: "chk_messages_seq_non_negative",
    run: (c) => post(c.roomId, c.a.id, { seq: -1 }) },
  // a unique violation on a partitioned table names the partition's index, so only the code is checked
  { name: "rejects a duplicate (room, seq, created_at)", code: "23505",
    run: (c) => post(c.roomId, c.b.id, { seq: 1, created_at: c.msg.createdAt }) },
  { name: "rejects a duplicate (id, created_at)", code: "23505",
    run: (c) => post(c.roomId, c.b.id, { id: c.msg.id, created_at: c.msg.createdAt }) },
  { name: "rejects is_edited without edited_at", code: "23514", constraint: "chk_messages_edited_consistent",
    run: (c) => post(c.roomId, c.a.id, { is_edited: true }) },
  { name: "rejects is_deleted without deleted_at", code: "23514", constraint: "chk_messages_deleted_consistent",
    run: (c) => post(c.roomId, c.a.id, { is_deleted: true }) },
  { name: "rejects a negative edit_count", code: "23514", constraint: "chk_messages_edit_count_non_negative",
    run: (c) => post(c.roomId, c.a.id, { edit_count: -1 }) },
  { name: "rejects a negative thread_count", code: "23514", constraint: "chk_messages_thread_count_non_negative",
    run: (c) => post(c.roomId, c.a.id, { thread_count: -1 }) },
  { name: "rejects a negative reaction_count", code: "23514", constraint: "chk_messages_reaction_count_non_negative",
    run: (c) => post(c.roomId, c.a.id, { reaction_count: -1 }) },
  { name: "rejects 101 mentions", code: "23514", constraint: "chk_messages_mentions_max",
    run: (c) => sql.query("INSERT INTO messages (room_id, sender_id, content, mentions) SELECT $1, $2, 'x', array_agg(gen_random_uuid()) FROM generate_series(1, 101)", [c.roomId, c.a.id]) },
  { name: "rejects an unknown moderation status", code: "22P02",
    run: (c) => post(c.roomId, c.a.id, { moderation_status: "meh" }) },
  { name: "rejects an unknown message type", code: "22P02",
    run: (c) => post(c.roomId, c.a.id, { message_type: "sticker" }) },

  // message_reactions
  { name: "rejects the same emoji twice from the same user", code: "23505", constraint: "uq_message_reactions_message_user_emoji",
    run: (c) => insert("message_reactions", { message_id: c.msg.id, message_created_at: c.msg.createdAt, user_id: c.b.id, emoji: "👍" }) },
  { name: "rejects an empty emoji", code: "23514", constraint: "chk_message_reactions_emoji_not_empty",
    run: (c) => insert("message_reactions", { message_id: c.msg.id, message_created_at: c.msg.createdAt, user_id: c.b.id, emoji: "" }) },
  { name: "rejects an emoji over 20 characters", code: "22001",
    run: (c) => insert("message_reactions", { message_id: c.msg.id, message_created_at: c.msg.createdAt, user_id: c.b.id, emoji: "x".repeat(21) }) },
  { name: "rejects a reaction to a message key that does not exist", code: "23503", constraint: "fk_message_reactions_messages",
    run: (c) => insert("message_reactions", { message_id: c.msg.id, message_created_at: "2001-01-01T00:00:00Z", user_id: c.b.id, emoji: "🎵" }) },
  { name: "rejects a reaction from a user that does not exist", code: "23503", constraint: "fk_message_reactions_users",
    run: (c) => insert("message_reactions", { message_id: c.msg.id, message_created_at: c.msg.createdAt, user_id: MISSING, emoji: "🎵" }) },

  // direct_messages
  { name: "rejects a direct message to yourself", code: "23514", constraint: "chk_direct_messages_different_users",
    run: (c) => insert("direct_messages", { sender_id: c.a.id, recipient_id: c.a.id, content: "me" }) },
  { name: "rejects an empty direct message", code: "23514", constraint: "chk_direct_messages_content_length",
    run: (c) => insert("direct_messages", { sender_id: c.a.id, recipient_id: c.b.id, content: "" }) },
  { name: "rejects a direct message of 10001 characters", code: "23514", constraint: "chk_direct_messages_content_length",
    run: (c) => insert("direct_messages", { sender_id: c.a.id, recipient_id: c.b.id, content: "a".repeat(10001) }) },
  { name: "rejects is_read without read_at", code: "23514", constraint: "chk_direct_messages_read_consistent",
    run: (c) => insert("direct_messages", { sender_id: c.a.id, recipient_id: c.b.id, content: "x", is_read: true }) },
  { name: "rejects a direct message to a user that does not exist", code: "23503", constraint: "fk_direct_messages_recipient",
    run: (c) => insert("direct_messages", { sender_id: c.a.id, recipient_id: MISSING, content: "x" }) },
  { name: "rejects a direct message from a user that does not exist", code: "23503", constraint: "fk_direct_messages_sender",
    run: (c) => insert("direct_messages", { sender_id: MISSING, recipient_id: c.a.id, content: "x" }) },
  { name: "rejects a direct message attachment that does not exist", code: "23503", constraint: "fk_direct_messages_files",
    run: (c) => insert("direct_messages", { sender_id: c.a.id, recipient_id: c.b.id, content: "x", attachment_file_id: MISSING }) },

  // user_presence
  { name: "rejects a presence status of 'invisible'", code: "23514", constraint: "chk_user_presence_status_valid",
    run: (c) => insert("user_presence", { user_id: c.b.id, status: "invisible" }) },
  { name: "rejects a second presence row for a user", code: "23505", constraint: "uq_user_presence_user_id",
    run: (c) => insert("user_presence", { user_id: c.a.id }) },
  { name: "rejects presence of a user that does not exist", code: "23503", constraint: "fk_user_presence_users",
    run: () => insert("user_presence", { user_id: MISSING }) },

  // typing_indicators
  { name: "rejects a second typing indicator for the same user and room", code: "23505", constraint: "uq_typing_indicators_room_user",
    run: (c) => insert("typing_indicators", { room_id: c.roomId, user_id: c.a.id }) },
  { name: "rejects a typing indicator that expires before it starts", code: "23514", constraint: "chk_typing_indicators_expires_after_start",
    run: (c) => insert("typing_indicators", { room_id: c.roomId, user_id: c.b.id, expires_at: new Date(Date.now() - 60_000).toISOString() }) },
  { name: "rejects a typing indicator in a room that does not exist", code: "23503", constraint: "fk_typing_indicators_rooms",
    run: (c) => insert("typing_indicators", { room_id: MISSING, user_id: c.b.id }) },
];

describe("chat constraints", () => {
  it.each(rejections)("$name", async ({ run, code, constraint }) => {
    const c = await ctx();
    await expectPgError(run(c), code, constraint);
  });

  it("accepts a DM room without a name, a 20-character emoji sequence and the boundary values", async () => {
    const c = await ctx();
    const dm = await makeRoom(c.a.id, { room_type: "dm", name: null, is_private: true });
    const edge = await makeRoom(c.a.id, { slow_mode_seconds: 3600, max_members: 10000, message_retention_days: 0, room_code: uniqueCode() });
    expect(dm).toBeTruthy();
    expect(edge).toBeTruthy();
    await post(c.roomId, c.a.id, { content: "a".repeat(10000) });
    await insert("message_reactions", { message_id: c.msg.id, message_created_at: c.msg.createdAt, user_id: c.a.id, emoji: "👩🏻‍❤️‍💋‍👨🏼" });
  });
});

describe("rooms.member_count", () => {
  it("counts up on join and down on leave", async () => {
    const u1 = await createUser();
    const u2 = await createUser();
    const room = await makeRoom(u1.id);
    await join(room, u1.id, { role: "owner" });
    await join(room, u2.id);
    expect((await roomCounts(room)).members).toBe(2);
    await sql.query("DELETE FROM room_members WHERE room_id = $1 AND user_id = $2", [room, u2.id]);
    expect((await roomCounts(room)).members).toBe(1);
  });

  it("does not count banned members and moves on ban and unban", async () => {
    const u1 = await createUser();
    const u2 = await createUser();
    const room = await makeRoom(u1.id);
    await join(room, u1.id);
    await join(room, u2.id);
    await sql.query("UPDATE room_members SET is_banned = true, banned_at = NOW(), banned_by = $3, banned_reason = 'spam' WHERE room_id = $1 AND user_id = $2", [room, u2.id, u1.id]);
    expect((await roomCounts(room)).members).toBe(1);
    await sql.query("UPDATE room_members SET is_banned = false, banned_at = NULL WHERE room_id = $1 AND user_id = $2", [room, u2.id]);
    expect((await roomCounts(room)).members).toBe(2);
    await sql.query("UPDATE room_members SET is_banned = true, banned_at = NOW() WHERE room_id = $1 AND user_id = $2", [room, u2.id]);
    await sql.query("DELETE FROM room_members WHERE room_id = $1 AND user_id = $2", [room, u2.id]);
    expect((await roomCounts(room)).members).toBe(1); // deleting a banned row does not decrement again
  });

  it("never goes below 0", async () => {
    const u1 = await createUser();
    const room = await makeRoom(u1.id);
    await join(room, u1.id);
    await sql.query("UPDATE rooms SET member_count = 0 WHERE id = $1", [room]);
    await sql.query("DELETE FROM room_members WHERE room_id = $1", [room]);
    expect((await roomCounts(room)).members).toBe(0);
  });

  it("rejects a join beyond max_members but still records a ban", async () => {
    const u1 = await createUser();
    const u2 = await createUser();
    const room = await makeRoom(u1.id, { room_type: "private", is_private: true, max_members: 1 });
    await join(room, u1.id);
    await expectPgError(join(room, u2.id), "23514", "chk_rooms_member_count_max");
    await join(room, u2.id, { is_banned: true, banned_at: new Date().toISOString() });
    expect((await roomCounts(room)).members).toBe(1);
  });
});

describe("rooms.message_count and last_activity_at", () => {
  it("counts a batch insert, ignores replays and soft deletes, and counts down on hard delete", async () => {
    const u = await createUser();
    const room = await makeRoom(u.id);
    const rows = await sql.query(
      `INSERT INTO messages (room_id, sender_id, content, seq) VALUES ($1, $2, 'one', 1), ($1, $2, 'two', 2), ($1, $2, 'three', 3)
       RETURNING id, created_at::text AS created_at_text`, [room, u.id]);
    expect((await roomCounts(room)).messages).toBe(3);
    const first = { id: rows[0]!.id as string, createdAt: rows[0]!.created_at_text as string };

    // the room object's flush is idempotent: a replay inserts nothing and counts nothing
    await sql.query("INSERT INTO messages (id, room_id, sender_id, content, created_at) VALUES ($1, $2, $3, 'one', $4) ON CONFLICT DO NOTHING",
      [first.id, room, u.id, first.createdAt]);
    expect((await roomCounts(room)).messages).toBe(3);

    await sql.query("UPDATE messages SET is_deleted = true, deleted_at = NOW() WHERE id = $1 AND created_at = $2", [first.id, first.createdAt]);
    expect((await roomCounts(room)).messages).toBe(3);

    await sql.query("DELETE FROM messages WHERE id = $1 AND created_at = $2", [first.id, first.createdAt]);
    expect((await roomCounts(room)).messages).toBe(2);

    const activity = await firstRow("SELECT last_activity_at = (SELECT max(created_at) FROM messages WHERE room_id = $1) AS ok FROM rooms WHERE id = $1", [room]);
    expect(activity.ok).toBe(true);
  });

  it("never goes below 0", async () => {
    const u = await createUser();
    const room = await makeRoom(u.id);
    const m = await post(room, u.id);
    await sql.query("UPDATE rooms SET message_count = 0 WHERE id = $1", [room]);
    await sql.query("DELETE FROM messages WHERE id = $1 AND created_at = $2", [m.id, m.createdAt]);
    expect((await roomCounts(room)).messages).toBe(0);
  });

  it("stores seq as a bigint (string)", async () => {
    const u = await createUser();
    const room = await makeRoom(u.id);
    const m = await post(room, u.id, { seq: "9007199254740993" });
    expect((await messageRow(m)).seq).toBe("9007199254740993");
  });
});

describe("threads and replies", () => {
  it("counts replies on the thread root, marks it, and counts down on hard delete", async () => {
    const u1 = await createUser();
    const u2 = await createUser();
    const room = await makeRoom(u1.id);
    const root = await post(room, u1.id);
    const r1 = await post(room, u2.id, { thread_root_id: root.id, thread_root_created_at: root.createdAt });
    await post(room, u1.id, { thread_root_id: root.id, thread_root_created_at: root.createdAt });
    let row = await messageRow(root);
    expect(row.thread_count).toBe(2);
    expect(row.is_thread_root).toBe(true);

    await sql.query("UPDATE messages SET is_deleted = true, deleted_at = NOW() WHERE id = $1 AND created_at = $2", [r1.id, r1.createdAt]);
    expect((await messageRow(root)).thread_count).toBe(2);
    await sql.query("DELETE FROM messages WHERE id = $1 AND created_at = $2", [r1.id, r1.createdAt]);
    row = await messageRow(root);
    expect(row.thread_count).toBe(1);
  });

  it("sets both reply and thread columns to NULL when the parent is hard-deleted", async () => {
    const u = await createUser();
    const room = await makeRoom(u.id);
    const root = await post(room, u.id);
    const reply = await post(room, u.id, {
      reply_to_id: root.id, reply_to_created_at: root.createdAt,
      thread_root_id: root.id, thread_root_created_at: root.createdAt,
    });
    await sql.query("DELETE FROM messages WHERE id = $1 AND created_at = $2", [root.id, root.createdAt]);
    const row = await messageRow(reply);
    expect(row.reply_to_id).toBeNull();
    expect(row.reply_to_created_at).toBeNull();
    expect(row.thread_root_id).toBeNull();
    expect(row.thread_root_created_at).toBeNull();
  });

  it("finds messages by mention and keeps them when the attachment is deleted", async () => {
    const u1 = await createUser();
    const u2 = await createUser();
    const file = await createFile(u1.id);
    const room = await makeRoom(u1.id);
    const rows = await sql.query(
      "INSERT INTO messages (room_id, sender_id, content, mentions, attachment_file_id) VALUES ($1, $2, 'look', ARRAY[$3]::uuid[], $4) RETURNING id, created_at::text AS created_at_text",
      [room, u1.id, u2.id, file.id]);
    const m = { id: rows[0]!.id as string, createdAt: rows[0]!.created_at_text as string };
    const found = await sql.query("SELECT id FROM messages WHERE room_id = $1 AND mentions @> ARRAY[$2]::uuid[]", [room, u2.id]);
    expect(found.map((r) => r.id)).toEqual([m.id]);
    await sql.query("DELETE FROM files WHERE id = $1", [file.id]);
    expect((await messageRow(m)).attachment_file_id).toBeNull();
  });
});

describe("messages.reaction_count", () => {
  it("counts up and down, never below 0, and reactions go with their message", async () => {
    const u1 = await createUser();
    const u2 = await createUser();
    const room = await makeRoom(u1.id);
    const m = await post(room, u1.id);
    const react = (userId: string, emoji: string) =>
      insert("message_reactions", { message_id: m.id, message_created_at: m.createdAt, user_id: userId, emoji });
    await react(u1.id, "👍");
    await react(u2.id, "👍");
    await react(u2.id, "🎵");
    expect((await messageRow(m)).reaction_count).toBe(3);
    await sql.query("DELETE FROM message_reactions WHERE message_id = $1 AND user_id = $2 AND emoji = '🎵'", [m.id, u2.id]);
    expect((await messageRow(m)).reaction_count).toBe(2);
    await sql.query("UPDATE messages SET reaction_count = 0 WHERE id = $1 AND created_at = $2", [m.id, m.createdAt]);
    await sql.query("DELETE FROM message_reactions WHERE message_id = $1 AND user_id = $2", [m.id, u1.id]);
    expect((await messageRow(m)).reaction_count).toBe(0);
    await sql.query("DELETE FROM messages WHERE id = $1 AND created_at = $2", [m.id, m.createdAt]);
    const left = await firstRow("SELECT count(*)::int AS n FROM message_reactions WHERE message_id = $1", [m.id]);
    expect(left.n).toBe(0);
  });
});

describe("direct_messages.deleted_at", () => {
  it("is set only once both sides have deleted, and cleared on restore", async () => {
    const u1 = await createUser();
    const u2 = await createUser();
    const dm = (await insert("direct_messages", { sender_id: u1.id, recipient_id: u2.id, content: "psst" }, "id")).id as string;
    const deletedAt = async () => (await firstRow("SELECT deleted_at FROM direct_messages WHERE id = $1", [dm])).deleted_at;
    await sql.query("UPDATE direct_messages SET is_deleted_by_sender = true WHERE id = $1", [dm]);
    expect(await deletedAt()).toBeNull();
    await sql.query("UPDATE direct_messages SET is_deleted_by_recipient = true WHERE id = $1", [dm]);
    expect(await deletedAt()).toBeInstanceOf(Date);
    await sql.query("UPDATE direct_messages SET is_deleted_by_recipient = false WHERE id = $1", [dm]);
    expect(await deletedAt()).toBeNull();
  });
});

describe("cascades", () => {
  it("deleting a room removes its members, invites, messages and typing indicators", async () => {
    const u1 = await createUser();
    const u2 = await createUser();
    const room = await makeRoom(u1.id);
    await join(room, u1.id);
    await insert("room_invites", { room_id: room, inviter_id: u1.id, invitee_id: u2.id });
    await post(room, u1.id);
    await insert("typing_indicators", { room_id: room, user_id: u1.id });
    await sql.query("DELETE FROM rooms WHERE id = $1", [room]);
    const left = await firstRow(
      `SELECT (SELECT count(*) FROM room_members WHERE room_id = $1) + (SELECT count(*) FROM room_invites WHERE room_id = $1)
            + (SELECT count(*) FROM messages WHERE room_id = $1) + (SELECT count(*) FROM typing_indicators WHERE room_id = $1) AS n`, [room]);
    expect(Number(left.n)).toBe(0);
  });

  it("deleting a moderator keeps the ban and the moderated message, without the moderator", async () => {
    const owner = await createUser();
    const mod = await createUser();
    const member = await createUser();
    const room = await makeRoom(owner.id);
    await join(room, member.id, { is_banned: true, banned_at: new Date().toISOString(), banned_by: mod.id });
    const m = await post(room, member.id, { moderation_status: "rejected", moderated_by: mod.id });
    await sql.query("DELETE FROM users WHERE id = $1", [mod.id]);
    const ban = await firstRow("SELECT is_banned, banned_by FROM room_members WHERE room_id = $1 AND user_id = $2", [room, member.id]);
    expect(ban).toMatchObject({ is_banned: true, banned_by: null });
    expect((await messageRow(m)).moderated_by).toBeNull();
  });
});

// updated_at moves on UPDATE (compared in SQL, at microsecond precision)
type Touch = { table: string; set: string; make: () => Promise<{ where: string; params: unknown[] }> };
const touches: Touch[] = [
  { table: "rooms", set: "topic = 'new topic'", make: async () => {
    const u = await createUser(); return { where: "id = $1", params: [await makeRoom(u.id)] }; } },
  { table: "room_members", set: "custom_nickname = 'Nick'", make: async () => {
    const u = await createUser(); return { where: "id = $1", params: [await join(await makeRoom(u.id), u.id)] }; } },
  { table: "room_invites", set: "status = 'accepted', responded_at = NOW()", make: async () => {
    const u1 = await createUser(); const u2 = await createUser();
    const row = await insert("room_invites", { room_id: await makeRoom(u1.id), inviter_id: u1.id, invitee_id: u2.id }, "id");
    return { where: "id = $1", params: [row.id] }; } },
  { table: "messages", set: "content = 'edited', is_edited = true, edited_at = NOW(), edit_count = edit_count + 1", make: async () => {
    const u = await createUser(); const m = await post(await makeRoom(u.id), u.id);
    return { where: "id = $1 AND created_at = $2", params: [m.id, m.createdAt] }; } },
  { table: "message_reactions", set: "emoji = '🎶'", make: async () => {
    const u = await createUser(); const m = await post(await makeRoom(u.id), u.id);
    const row = await insert("message_reactions", { message_id: m.id, message_created_at: m.createdAt, user_id: u.id, emoji: "🎵" }, "id");
    return { where: "id = $1", params: [row.id] }; } },
  { table: "direct_messages", set: "is_read = true, read_at = NOW()", make: async () => {
    const u1 = await createUser(); const u2 = await createUser();
    const row = await insert("direct_messages", { sender_id: u1.id, recipient_id: u2.id, content: "yo" }, "id");
    return { where: "id = $1", params: [row.id] }; } },
  { table: "user_presence", set: "status = 'online'", make: async () => {
    const u = await createUser(); const row = await insert("user_presence", { user_id: u.id }, "id");
    return { where: "id = $1", params: [row.id] }; } },
  { table: "typing_indicators", set: "expires_at = NOW() + INTERVAL '10 seconds'", make: async () => {
    const u = await createUser(); const row = await insert("typing_indicators", { room_id: await makeRoom(u.id), user_id: u.id }, "id");
    return { where: "id = $1", params: [row.id] }; } },
];

describe("updated_at", () => {
  it.each(touches)("moves on UPDATE of $table", async ({ table, set, make }) => {
    const { where, params } = await make();
    const before = (await firstRow(`SELECT updated_at::text AS t FROM ${table} WHERE ${where}`, params)).t as string;
    await sql.query(`UPDATE ${table} SET ${set} WHERE ${where}`, params);
    const after = await firstRow(`SELECT updated_at > $${params.length + 1}::timestamptz AS moved FROM ${table} WHERE ${where}`, [...params, before]);
    expect(after.moved).toBe(true);
  });
});
