import { runDurableObjectAlarm } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { createFile, sql } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { addMember, join, makeRoom, roomStub, roomWith } from "./fixtures";

describe("chat history over REST", () => {
  it("pages newest first across what the room keeps and what only Postgres has, without a seam", async () => {
    const owner = await signedInUser();
    const roomId = await makeRoom(owner);
    // 30 older messages the room's object never held (seq 1..30), then 25 sent live (31..55).
    await sql.query(
      `INSERT INTO messages (room_id, sender_id, seq, content, created_at)
       SELECT $1, $2, g, 'old ' || g, date_trunc('milliseconds', now()) - interval '1 hour' + g * interval '1 second' FROM generate_series(1, 30) g`,
      [roomId, owner.id],
    );
    const o = await join(owner, roomId);
    for (let i = 31; i <= 55; i++) await o.say(`live ${i}`);
    const seen: number[] = [];
    let before: number | null = null;
    for (;;) {
      const res = await api("GET", `/v1/rooms/${roomId}/messages?limit=20${before ? `&before_seq=${before}` : ""}`, { headers: owner.headers });
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((m: { seq: number }) => m.seq));
      before = res.body.next_before_seq;
      if (!before) break;
    }
    expect(seen).toEqual(Array.from({ length: 55 }, (_, i) => 55 - i));
    o.close();
  });

  it("serves public rooms to anyone, private rooms to members only, in one round trip", async () => {
    const owner = await signedInUser();
    const publicRoom = await makeRoom(owner);
    const privateRoom = await makeRoom(owner, { private: true });
    const o = await join(owner, privateRoom);
    await o.say("secret plans");
    const stranger = await signedInUser();
    expect((await api("GET", `/v1/rooms/${publicRoom}/messages`)).status).toBe(200);
    expect((await api("GET", `/v1/rooms/${privateRoom}/messages`)).status).toBe(404);
    expect((await api("GET", `/v1/rooms/${privateRoom}/messages`, { headers: stranger.headers })).status).toBe(404);
    const banned = await signedInUser();
    await addMember(publicRoom, banned, "member", { is_banned: true });
    expect((await api("GET", `/v1/rooms/${publicRoom}/messages`, { headers: banned.headers })).status).toBe(403);
    const { response, roundTrips } = await withRoundTrips(new Request(`https://veza.test/v1/rooms/${privateRoom}/messages`, { headers: owner.headers }));
    expect(response.status).toBe(200);
    expect(((await response.json()) as { items: Array<{ content: string }> }).items[0]!.content).toBe("secret plans");
    expect(roundTrips).toBe(1);
    expect((await api("GET", `/v1/rooms/${privateRoom}/messages?limit=500`, { headers: owner.headers })).status).toBe(422);
    o.close();
  });

  it("finds messages by full-text search, members only for private rooms", async () => {
    const { roomId, users } = await roomWith(1, { private: true });
    const a = await join(users[0]!, roomId);
    await a.say("The bassline in the second verse is wonderful");
    await a.say("Nothing to see here");
    const gone = await a.say("deleted basslines stay hidden");
    await a.ok({ type: "delete", message_id: gone.message_id });
    await runDurableObjectAlarm(roomStub(roomId));
    const res = await api("GET", `/v1/rooms/${roomId}/messages/search?q=basslines`, { headers: users[1]!.headers });
    expect(res.status).toBe(200);
    expect(res.body.items.map((m: { content: string }) => m.content)).toEqual(["The bassline in the second verse is wonderful"]);
    expect((await api("GET", `/v1/rooms/${roomId}/messages/search?q=bassline`, { headers: (await signedInUser()).headers })).status).toBe(404);
    expect((await api("GET", `/v1/rooms/${roomId}/messages/search?q=`, { headers: users[1]!.headers })).status).toBe(422);
    a.close();
  });
});

describe("sending over REST, and attachments", () => {
  it("sends like the socket does: broadcast to members, the same rules, problems for refusals", async () => {
    const owner = await signedInUser();
    const roomId = await makeRoom(owner, { slowMode: 60 });
    const member = await signedInUser();
    await addMember(roomId, member);
    const o = await join(owner, roomId);
    const sent = await api("POST", `/v1/rooms/${roomId}/messages`, { headers: member.headers, body: { content: "over http" } });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ content: "over http", sender: { id: member.id } });
    await o.heard(sent.body.id);
    const slow = await api("POST", `/v1/rooms/${roomId}/messages`, { headers: member.headers, body: { content: "again" } });
    expect(slow.status).toBe(429);
    expect(Number(slow.headers.get("retry-after"))).toBeGreaterThan(50);
    expect((await api("POST", `/v1/rooms/${roomId}/messages`, { body: { content: "anon" } })).status).toBe(401);
    expect((await api("POST", `/v1/rooms/${roomId}/messages`, { headers: (await signedInUser()).headers, body: { content: "stranger" } })).status).toBe(403);
    const banned = await signedInUser();
    await addMember(roomId, banned);
    await sql.query("UPDATE users SET is_banned = true WHERE id = $1", [banned.id]);
    expect((await api("POST", `/v1/rooms/${roomId}/messages`, { headers: banned.headers, body: { content: "banned" } })).status).toBe(403);
    const deleted = await signedInUser();
    await addMember(roomId, deleted);
    await sql.query("UPDATE users SET deleted_at = now() WHERE id = $1", [deleted.id]);
    expect((await api("POST", `/v1/rooms/${roomId}/messages`, { headers: deleted.headers, body: { content: "deleted" } })).status).toBe(401);
    expect((await api("POST", `/v1/rooms/${roomId}/messages`, { headers: owner.headers, body: { content: "" } })).status).toBe(422);
    expect((await api("POST", `/v1/rooms/${roomId}/messages`, { headers: owner.headers, body: { content: "x", extra: 1 } })).status).toBe(422);
    o.close();
  });

  it("attaches one's own uploaded file, typed by its mime type, downloadable by readers only", async () => {
    const { roomId, users } = await roomWith(1, { private: true });
    const [owner, member] = users as [typeof users[0], typeof users[0]];
    const file = await createFile(owner.id);
    const [{ storage_path }] = (await sql.query("SELECT storage_path FROM files WHERE id = $1", [file.id])) as [{ storage_path: string }];
    await env.MEDIA.put(storage_path, new Uint8Array(1024).fill(7));
    const o = await join(owner, roomId);
    const m = await join(member, roomId);
    const ack = await o.say("my new loop", { attachment_file_id: file.id });
    const heard = await m.heard(ack.message_id);
    expect(heard).toMatchObject({ message_type: "audio", attachment: { file_id: file.id, mime_type: "audio/wav", size: 1024 } });
    // another's file, or none at all
    expect(await m.request({ type: "send", content: "stolen", attachment_file_id: file.id })).toMatchObject({ type: "error", code: "invalid_attachment" });
    // downloadable before and after the flush
    const before = await api("GET", `/v1/rooms/${roomId}/attachments/${file.id}`, { headers: member.headers });
    expect(before.status).toBe(200);
    expect(before.text.length).toBe(1024);
    await runDurableObjectAlarm(roomStub(roomId));
    const ranged = await fetchAs(member.headers, `/v1/rooms/${roomId}/attachments/${file.id}`, { Range: "bytes=0-9" });
    expect(ranged.status).toBe(206);
    expect((await api("GET", `/v1/rooms/${roomId}/attachments/${file.id}`, { headers: (await signedInUser()).headers })).status).toBe(404);
    const unrelated = await createFile(owner.id);
    expect((await api("GET", `/v1/rooms/${roomId}/attachments/${unrelated.id}`, { headers: member.headers })).status).toBe(404);
    o.close();
    m.close();
  });
});

function fetchAs(headers: Record<string, string>, path: string, extra: Record<string, string>) {
  return exports.default.fetch(`https://veza.test${path}`, { headers: { ...headers, ...extra } });
}
