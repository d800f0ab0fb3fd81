import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { addMember, join, makeRoom, roomWith, upgrade } from "./fixtures";

describe("chat: two members talking", () => {
  it("delivers every message to both members in the same order, each sender's in the order sent, acked with id and seq", async () => {
    const { roomId, users } = await roomWith(1);
    const [a, b] = [await join(users[0]!, roomId), await join(users[1]!, roomId)];
    const sends = [];
    for (let i = 0; i < 15; i++) {
      sends.push(a.say(`a${i}`));
      sends.push(b.say(`b${i}`));
    }
    const acks = await Promise.all(sends);
    for (const ack of acks) expect(ack).toMatchObject({ message_id: expect.any(String), seq: expect.any(Number) });
    await a.until(() => a.messages().length === 30, "30 messages at a");
    await b.until(() => b.messages().length === 30, "30 messages at b");
    const order = (c: typeof a) => c.messages().map((m) => m.content);
    expect(order(a)).toEqual(order(b));
    const seqs = a.messages().map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(30);
    expect(order(a).filter((c) => c.startsWith("a"))).toEqual(Array.from({ length: 15 }, (_, i) => `a${i}`));
    expect(order(b).filter((c) => c.startsWith("b"))).toEqual(Array.from({ length: 15 }, (_, i) => `b${i}`));
    // the ack names the message each client then received
    const first = a.messages().find((m) => m.content === "a0")!;
    expect(acks[0]).toMatchObject({ message_id: first.id, seq: first.seq });
    expect(first.sender).toMatchObject({ id: users[0]!.id, username: users[0]!.username });
    a.close();
    b.close();
  });

  it("greets a connecting member with the room, who is online, the recent messages and their unread count", async () => {
    const { roomId, users } = await roomWith(1);
    const a = await join(users[0]!, roomId);
    await a.say("one");
    await a.say("two");
    const b = await join(users[1]!, roomId);
    const ready = b.frames.find((f) => f.type === "ready")!;
    expect(ready.me).toMatchObject({ user_id: users[1]!.id, role: "member", permissions: { manage_messages: false } });
    expect(ready.unread).toBe(2);
    expect(ready.online.map((o: { user_id: string }) => o.user_id).sort()).toEqual([users[0]!.id, users[1]!.id].sort());
    const sync = b.frames.find((f) => f.type === "sync")!;
    expect(sync.messages.map((m: { content: string }) => m.content)).toEqual(["one", "two"]);
    await a.next((f) => f.type === "presence" && f.user_id === users[1]!.id && f.status === "online", "b online");
    b.close();
    await a.next((f) => f.type === "presence" && f.user_id === users[1]!.id && f.status === "offline", "b offline");
    a.close();
  });
});

describe("chat: who may open a room's socket", () => {
  it("refuses a non-member (403 for a public room, 404 for a private one), anonymous, banned and deleted accounts", async () => {
    const owner = await signedInUser();
    const publicRoom = await makeRoom(owner);
    const privateRoom = await makeRoom(owner, { private: true });
    const stranger = await signedInUser();
    expect((await upgrade(publicRoom, { Authorization: `Bearer ${stranger.accessToken}` })).status).toBe(403);
    expect((await upgrade(privateRoom, { Authorization: `Bearer ${stranger.accessToken}` })).status).toBe(404);
    expect((await upgrade(publicRoom, {})).status).toBe(401);
    expect((await upgrade(publicRoom, { Authorization: "Bearer forged.token.value" })).status).toBe(401);
    expect((await upgrade(crypto.randomUUID(), { Authorization: `Bearer ${owner.accessToken}` })).status).toBe(404);

    const bannedFromRoom = await signedInUser();
    await addMember(publicRoom, bannedFromRoom, "member", { is_banned: true });
    const refused = await upgrade(publicRoom, { Authorization: `Bearer ${bannedFromRoom.accessToken}` });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");

    const bannedAccount = await signedInUser();
    await addMember(publicRoom, bannedAccount);
    await sql.query("UPDATE users SET is_banned = true WHERE id = $1", [bannedAccount.id]);
    expect((await upgrade(publicRoom, { Authorization: `Bearer ${bannedAccount.accessToken}` })).status).toBe(403);

    const deleted = await signedInUser();
    await addMember(publicRoom, deleted);
    await sql.query("UPDATE users SET deleted_at = now() WHERE id = $1", [deleted.id]);
    expect((await upgrade(publicRoom, { Authorization: `Bearer ${deleted.accessToken}` })).status).toBe(401);
  });

  it("answers a plain request 426 and a foreign subprotocol 400, and takes the token from the subprotocol list", async () => {
    const owner = await signedInUser();
    const roomId = await makeRoom(owner);
    const plain = await api("GET", `/v1/rooms/${roomId}/ws`, { headers: owner.headers });
    expect(plain.status).toBe(426);
    expect((await upgrade(roomId, { "Sec-WebSocket-Protocol": `other.v1, bearer.${owner.accessToken}` })).status).toBe(400);
    const ok = await upgrade(roomId, { "Sec-WebSocket-Protocol": `veza.chat.v1, bearer.${owner.accessToken}` });
    expect(ok.status).toBe(101);
    expect(ok.headers.get("Sec-WebSocket-Protocol")).toBe("veza.chat.v1");
    ok.webSocket!.accept();
    ok.webSocket!.close();
  });
});
