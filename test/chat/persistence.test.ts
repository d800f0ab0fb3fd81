import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ChatRoom } from "../../durable-objects/chat-room";
import { createDb } from "../../src/db/client";
import { api, signedInUser } from "../helpers/auth";
import { sql, unique } from "../helpers/db";
import { openInbox } from "../inbox/sockets";
import { addMember, join, makeRoom, roomStub, roomWith, storedMessages } from "./fixtures";

const unreachable = () => createDb({ DATABASE_URL: "postgres://down:down@127.0.0.1:9/veza" });

describe("chat: every message reaches Postgres exactly once", () => {
  it("keeps accepting and broadcasting while the database is unreachable, then stores all of them once it is back", async () => {
    const { roomId, users } = await roomWith(1);
    const a = await join(users[0]!, roomId);
    const b = await join(users[1]!, roomId);
    const stub = roomStub(roomId);
    await runInDurableObject(stub, (room: ChatRoom) => {
      room.database = unreachable();
    });
    const sent = [];
    for (let i = 0; i < 12; i++) sent.push(await (i % 2 ? b : a).say(`during the outage ${i}`));
    await a.ok({ type: "edit", message_id: sent[0]!.message_id, content: "edited during the outage" });
    await b.ok({ type: "react", message_id: sent[0]!.message_id, emoji: "🌧️" });
    await b.until(() => b.messages().length === 12, "all 12 broadcast during the outage");
    // The flush fails: nothing lost, a retry is scheduled.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await storedMessages(roomId)).toHaveLength(0);
    expect(await runInDurableObject(stub, (_: ChatRoom, state) => state.storage.getAlarm())).not.toBeNull();

    await runInDurableObject(stub, (room: ChatRoom) => {
      room.database = createDb(env);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const stored = await storedMessages(roomId);
    expect(stored.map((m) => m.id)).toEqual(sent.map((s) => s.message_id));
    expect(stored.map((m) => m.seq)).toEqual(sent.map((s) => s.seq));
    expect(stored[0]).toMatchObject({ content: "edited during the outage", is_edited: true, edit_count: 1, reaction_count: 1 });
    const [room] = await sql.query("SELECT message_count FROM rooms WHERE id = $1", [roomId]);
    expect(room!.message_count).toBe(12);
    // Everything is marked flushed: no further flush is scheduled.
    expect(await runDurableObjectAlarm(stub)).toBe(false);

    // A flush repeated (as after a lost answer) changes nothing and counts nothing twice.
    await runInDurableObject(stub, async (_: ChatRoom, state) => {
      state.storage.sql.exec("UPDATE messages SET flushed_rev = 0");
      await state.storage.setAlarm(Date.now() + 60_000);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await storedMessages(roomId)).toHaveLength(12);
    const [again] = await sql.query("SELECT message_count FROM rooms WHERE id = $1", [roomId]);
    expect(again!.message_count).toBe(12);
    const [reactions] = await sql.query("SELECT count(*)::int AS n FROM message_reactions WHERE message_id = $1", [sent[0]!.message_id]);
    expect(reactions!.n).toBe(1);
    a.close();
    b.close();
  });

  it("stores edits, deletions, pins, reactions and threads as they end up", async () => {
    const { roomId, users } = await roomWith(1);
    const a = await join(users[0]!, roomId);
    const b = await join(users[1]!, roomId);
    const root = await a.say("root");
    await runDurableObjectAlarm(roomStub(roomId));
    const reply = await b.say("reply", { thread_root_id: root.message_id, reply_to_id: root.message_id });
    await a.ok({ type: "pin", message_id: root.message_id });
    await b.ok({ type: "react", message_id: root.message_id, emoji: "👍" });
    const gone = await b.say("regret");
    await b.ok({ type: "delete", message_id: gone.message_id });
    await runDurableObjectAlarm(roomStub(roomId));
    const [r, rep, g] = await storedMessages(roomId);
    expect(r).toMatchObject({ id: root.message_id, is_pinned: true, thread_count: 1, reaction_count: 1 });
    expect(rep).toMatchObject({ thread_root_id: root.message_id, reply_to_id: root.message_id });
    expect(g).toMatchObject({ id: gone.message_id, is_deleted: true });
    await b.ok({ type: "unreact", message_id: root.message_id, emoji: "👍" });
    await runDurableObjectAlarm(roomStub(roomId));
    expect((await storedMessages(roomId))[0]).toMatchObject({ reaction_count: 0 });
    a.close();
    b.close();
  });

  it("resolves @mentions to members and notifies them once; read markers and presence follow", async () => {
    const owner = await signedInUser();
    const roomId = await makeRoom(owner);
    const [mentioned, quiet, outsider, optedOut] = [await signedInUser(), await signedInUser(), await signedInUser(), await signedInUser()];
    await addMember(roomId, mentioned);
    await addMember(roomId, quiet);
    await addMember(roomId, optedOut);
    await sql.query("UPDATE user_settings SET email_on_mention = false WHERE user_id = $1", [optedOut.id]);
    await sql.query("UPDATE room_members SET notification_level = 'none' WHERE room_id = $1 AND user_id = $2", [roomId, quiet.id]);
    const o = await join(owner, roomId);
    const m = await join(mentioned, roomId);
    const inbox = await openInbox(mentioned);
    const ack = await o.say(`hey @${mentioned.username.toUpperCase()}, @${optedOut.username} and @${quiet.username}, not @${outsider.username} nor @nobody_${unique()}`);
    const heard = await m.heard(ack.message_id);
    expect(heard.mentions).toContain(mentioned.username.toLowerCase());
    await m.ok({ type: "read", seq: ack.seq });
    const stub = roomStub(roomId);
    await runDurableObjectAlarm(stub);
    const [stored] = await storedMessages(roomId);
    // resolved: every member named; notified: only those who want it (notification level, preferences)
    expect([...(stored!.mentions as string[])].sort()).toEqual([mentioned.id, quiet.id, optedOut.id].sort());
    const notifications = await sql.query("SELECT user_id, actor_id, type, entity_id FROM notifications WHERE entity_id = $1", [ack.message_id]);
    expect(notifications).toEqual([{ user_id: mentioned.id, actor_id: owner.id, type: "mention", entity_id: ack.message_id }]);
    // ...and pushed to the mentioned user's inbox socket
    const pushed = await inbox.next((f) => f.type === "notification", "the mention on the inbox socket");
    expect(pushed.notification).toMatchObject({ user_id: mentioned.id, actor_id: owner.id, type: "mention", entity_id: ack.message_id, data: { room_id: roomId, seq: ack.seq } });
    inbox.close();
    const [member] = await sql.query("SELECT last_read_seq::int AS seq, last_read_message_id FROM room_members WHERE room_id = $1 AND user_id = $2", [roomId, mentioned.id]);
    expect(member).toMatchObject({ seq: ack.seq, last_read_message_id: ack.message_id });
    const [presence] = await sql.query("SELECT status FROM user_presence WHERE user_id = $1", [mentioned.id]);
    expect(presence).toMatchObject({ status: "online" });
    // an edit re-resolves mentions but notifies no one again
    await o.ok({ type: "edit", message_id: ack.message_id, content: `only @${quiet.username} now` });
    await runDurableObjectAlarm(stub);
    expect((await storedMessages(roomId))[0]!.mentions).toEqual([quiet.id]);
    expect(await sql.query("SELECT 1 FROM notifications WHERE entity_id = $1", [ack.message_id])).toHaveLength(1);
    o.close();
    m.close();
  });

  it("continues the seq from Postgres when the room's object starts without storage", async () => {
    const owner = await signedInUser();
    const roomId = await makeRoom(owner);
    await sql.query("INSERT INTO messages (room_id, sender_id, seq, content) VALUES ($1, $2, 41, 'from before')", [roomId, owner.id]);
    const o = await join(owner, roomId);
    expect((await o.say("next")).seq).toBe(42);
    o.close();
  });
});

describe("chat: a message Postgres refuses for good", () => {
  it("is set aside, kept in the room, and holds up none of the others", async () => {
    const { roomId, users } = await roomWith(1);
    const [owner, member] = users as [typeof users[0], typeof users[0]];
    // A message only Postgres has (the room never held it), replied to from the room...
    const [parent] = await sql.query("INSERT INTO messages (room_id, sender_id, seq, content) VALUES ($1, $2, 1, 'old news') RETURNING id", [roomId, owner.id]);
    const o = await join(owner, roomId);
    const m = await join(member, roomId);
    const stub = roomStub(roomId);
    // The test decides when the room flushes: the alarm is pushed back, and the room knows one is set.
    await runInDurableObject(stub, async (room: ChatRoom, state) => {
      await state.storage.setAlarm(Date.now() + 60_000);
      (room as unknown as { flusher: { scheduled: boolean } }).flusher.scheduled = true;
    });
    const before = await o.say("before");
    const reply = await m.say("replying to old news", { reply_to_id: parent!.id });
    const after = await o.say("after");
    // ...then deleted from Postgres before the flush (as retention would): the reply's FK now fails.
    await sql.query("DELETE FROM messages WHERE id = $1", [parent!.id]);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await storedMessages(roomId)).map((x) => x.id)).toEqual([before.message_id, after.message_id]);
    // nothing left pending: the refused message is not retried forever
    expect(await runDurableObjectAlarm(stub)).toBe(false);
    const refused = await runInDurableObject(stub, (_: ChatRoom, state) =>
      state.storage.sql.exec<{ flush_error: string }>("SELECT flush_error FROM messages WHERE id = ?", reply.message_id).one(),
    );
    expect(refused.flush_error).toMatch(/^23/);
    // still in the room's history for everyone
    const page = await api("GET", `/v1/rooms/${roomId}/messages`, { headers: owner.headers });
    expect(page.body.items.map((x: { id: string }) => x.id)).toContain(reply.message_id);
    o.close();
    m.close();
  });
});
