import { describe, expect, it } from "vitest";
import type { MemberInfo } from "../../durable-objects/chat-room/members";
import { api, signedInUser } from "../helpers/auth";
import { join, roomStub, roomWith, upgrade } from "./fixtures";

const info = (user: { id: string; username: string }, extra: Partial<MemberInfo> = {}): MemberInfo => ({
  user_id: user.id,
  username: user.username,
  nickname: null,
  role: "member",
  can_invite: false,
  can_manage_messages: false,
  can_manage_members: false,
  muted_until: null,
  muted_forever: false,
  ...extra,
});

describe("chat: the room hears of membership and settings changes at once", () => {
  it("applies a mute, a new role and a nickname to open sockets, and closes the sockets of a kicked member (4003)", async () => {
    const { roomId, users } = await roomWith(2);
    const [owner, member, other] = users as [typeof users[0], typeof users[0], typeof users[0]];
    const o = await join(owner, roomId);
    const m = await join(member, roomId);
    const x = await join(other, roomId);
    const stub = roomStub(roomId);

    await stub.memberChanged(member.id, info(member, { muted_until: Date.now() + 60_000 }), "updated");
    expect(await m.request({ type: "send", content: "hello?" })).toMatchObject({ type: "error", code: "muted" });
    await o.next((f) => f.type === "member" && f.user_id === member.id && f.change === "updated", "the member change");

    await stub.memberChanged(member.id, info(member, { role: "moderator", nickname: "Mod M" }), "updated");
    const ack = await m.say("I can speak and moderate");
    expect((await o.heard(ack.message_id)).sender.nickname).toBe("Mod M");
    const victim = await x.say("spam");
    await m.ok({ type: "delete", message_id: victim.message_id });

    await stub.memberChanged(other.id, null, "kicked");
    await x.until(() => x.closed, "the kicked member's socket to close");
    expect(x.closed).toMatchObject({ code: 4003, reason: "kicked" });
    await o.next((f) => f.type === "presence" && f.user_id === other.id && f.status === "offline", "the kicked member offline");
    o.close();
    m.close();
  });

  it("applies slow mode and archiving as they are configured, and closes every socket of a deleted room (4004)", async () => {
    const { roomId, users } = await roomWith(1);
    const o = await join(users[0]!, roomId);
    const m = await join(users[1]!, roomId);
    const stub = roomStub(roomId);
    await stub.configure({ room_id: roomId, slow_mode_seconds: 120, is_archived: false, is_deleted: false });
    await m.next((f) => f.type === "room" && f.room.slow_mode_seconds === 120, "the new settings");
    await m.say("one");
    expect(await m.request({ type: "send", content: "two" })).toMatchObject({ type: "error", code: "slow_mode" });
    await stub.configure({ room_id: roomId, slow_mode_seconds: 0, is_archived: true, is_deleted: false });
    expect(await o.request({ type: "send", content: "archived?" })).toMatchObject({ type: "error", code: "archived" });
    await stub.configure({ room_id: roomId, slow_mode_seconds: 0, is_archived: true, is_deleted: true });
    await o.until(() => o.closed, "the socket to close");
    await m.until(() => m.closed, "the socket to close");
    expect(o.closed).toMatchObject({ code: 4004 });
  });
});

describe("chat: moderation over REST reaches open sockets through the real room", () => {
  it("joins, mutes, unmutes, kicks and bans with the effect on the member's socket at once", async () => {
    const owner = await signedInUser();
    const created = await api("POST", "/v1/rooms", { headers: owner.headers, body: { name: "Moderated room", room_type: "public" } });
    expect(created.status).toBe(201);
    const roomId = created.body.id as string;
    const member = await signedInUser();
    expect((await api("POST", `/v1/rooms/${roomId}/join`, { headers: member.headers })).status).toBe(200);
    const o = await join(owner, roomId);
    const m = await join(member, roomId);
    await m.say("hello, I just joined");

    expect((await api("POST", `/v1/rooms/${roomId}/members/${member.id}/mute`, { headers: owner.headers, body: { minutes: 10 } })).status).toBeLessThan(300);
    expect(await m.request({ type: "send", content: "can you hear me?" })).toMatchObject({ type: "error", code: "muted" });
    expect((await api("POST", `/v1/rooms/${roomId}/members/${member.id}/unmute`, { headers: owner.headers })).status).toBeLessThan(300);
    await m.say("I am back");

    expect((await api("DELETE", `/v1/rooms/${roomId}/members/${member.id}`, { headers: owner.headers })).status).toBeLessThan(300);
    await m.until(() => m.closed, "the kicked member's socket to close");
    expect(m.closed).toMatchObject({ code: 4003 });
    await o.next((f) => f.type === "member" && f.user_id === member.id && f.change === "kicked", "the kick, heard by the room");

    expect((await api("POST", `/v1/rooms/${roomId}/join`, { headers: member.headers })).status).toBe(200);
    const again = await join(member, roomId);
    expect((await api("POST", `/v1/rooms/${roomId}/members/${member.id}/ban`, { headers: owner.headers, body: { reason: "spam" } })).status).toBeLessThan(300);
    await again.until(() => again.closed, "the banned member's socket to close");
    expect((await upgrade(roomId, { Authorization: `Bearer ${member.accessToken}` })).status).toBe(403);
    o.close();
  });
});
