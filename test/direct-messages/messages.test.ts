import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { banUser, softDeleteUser } from "../tracks/fixtures";
import { markRead, messagesOf, send, sent } from "./fixtures";

describe("direct messages", () => {
  it("stores a message and shows it to both sides, newest first, by cursor", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const res = await send(ada, bob, { content: "  Hello Bob!\nHow are you?  " });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      sender_id: ada.id,
      recipient_id: bob.id,
      content: "Hello Bob!\nHow are you?",
      message_type: "text",
      attachment: null,
      is_read: false,
      read_at: null,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    const two = await sent(bob, ada, "Fine, thanks");
    const three = await sent(ada, bob, "Great");

    const mine = await messagesOf(ada, bob);
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ user: { id: bob.id, username: bob.username }, blocked: false, blocked_by_me: false, next_cursor: null });
    expect(mine.body.items.map((m: { id: string }) => m.id)).toEqual([three.id, two.id, res.body.id]);
    const theirs = await messagesOf(bob, ada, "?limit=2");
    expect(theirs.body.items.map((m: { id: string }) => m.id)).toEqual([three.id, two.id]);
    const older = await messagesOf(bob, ada, `?limit=2&before=${theirs.body.next_cursor}`);
    expect(older.body).toMatchObject({ items: [{ id: res.body.id }], next_cursor: null });
    const bad = await messagesOf(bob, ada, "?before=garbage");
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([{ path: "query.before", message: "is not a cursor this API gave" }]);
  });

  it("marks their messages read, up to one or all, and only theirs", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const m1 = await sent(ada, bob, "one");
    const m2 = await sent(ada, bob, "two");
    const mine = await sent(bob, ada, "mine");
    const m3 = await sent(ada, bob, "three");

    const upTo = await markRead(bob, ada, { up_to_id: m2.id });
    expect(upTo.status).toBe(200);
    expect(upTo.body).toEqual({ marked: 2, up_to_id: m2.id, read_at: expect.any(String), unread_count: 1 });
    const page = (await messagesOf(ada, bob)).body.items as Array<{ id: string; is_read: boolean; read_at: string | null }>;
    const byId = new Map(page.map((m) => [m.id, m]));
    expect([m1, m2, m3, mine].map((m) => byId.get(m.id)!.is_read)).toEqual([true, true, false, false]);
    expect(byId.get(m1.id)!.read_at).toBe(upTo.body.read_at);

    // again: nothing new; then everything (a bound that is my own message counts too)
    expect((await markRead(bob, ada, { up_to_id: m2.id })).body).toMatchObject({ marked: 0, up_to_id: null, unread_count: 1 });
    expect((await markRead(bob, ada, { up_to_id: mine.id })).body).toMatchObject({ marked: 0, unread_count: 1 });
    expect((await markRead(bob, ada)).body).toMatchObject({ marked: 1, up_to_id: m3.id, unread_count: 0 });
    // ada's reading marks nothing of hers
    expect((await markRead(ada, bob)).body).toMatchObject({ marked: 1, up_to_id: mine.id, unread_count: 0 });

    const stranger = await signedInUser();
    const other = await sent(stranger, bob, "elsewhere");
    const wrong = await markRead(bob, ada, { up_to_id: other.id });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors).toEqual([{ path: "json.up_to_id", message: "is not a message of this conversation" }]);
    expect((await markRead(bob, ada, { up_to_id: "nope" })).status).toBe(422);
  });

  it("deletes a message for one side only; both deleting stamps deleted_at", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const keep = await sent(ada, bob, "keep");
    const gone = await sent(ada, bob, "gone");
    await sent(bob, ada, "unread for ada");

    expect((await api("DELETE", `/v1/me/direct-messages/${gone.id}`, { headers: ada.headers })).status).toBe(204);
    expect((await api("DELETE", `/v1/me/direct-messages/${gone.id}`, { headers: ada.headers })).status).toBe(204);
    expect((await messagesOf(ada, bob)).body.items.map((m: { id: string }) => m.id)).not.toContain(gone.id);
    expect((await messagesOf(bob, ada)).body.items.map((m: { id: string }) => m.id)).toContain(gone.id);
    expect(await sql.query("SELECT is_deleted_by_sender, is_deleted_by_recipient, deleted_at FROM direct_messages WHERE id = $1", [gone.id])).toEqual([
      { is_deleted_by_sender: true, is_deleted_by_recipient: false, deleted_at: null },
    ]);

    expect((await api("DELETE", `/v1/me/direct-messages/${gone.id}`, { headers: bob.headers })).status).toBe(204);
    expect((await messagesOf(bob, ada)).body.items.map((m: { id: string }) => m.id)).toEqual([expect.any(String), keep.id]);
    const [row] = await sql.query("SELECT is_deleted_by_sender, is_deleted_by_recipient, deleted_at FROM direct_messages WHERE id = $1", [gone.id]);
    expect(row).toMatchObject({ is_deleted_by_sender: true, is_deleted_by_recipient: true, deleted_at: expect.anything() });

    // not part of it: 404, as for a message that does not exist
    const stranger = await signedInUser();
    expect((await api("DELETE", `/v1/me/direct-messages/${keep.id}`, { headers: stranger.headers })).status).toBe(404);
    expect((await api("DELETE", "/v1/me/direct-messages/00000000-0000-4000-8000-000000000000", { headers: ada.headers })).status).toBe(404);
    expect((await api("DELETE", "/v1/me/direct-messages/not-an-id", { headers: ada.headers })).status).toBe(422);
  });

  it("refuses yourself (422), unknown, banned and deleted recipients (404) and invalid content (422)", async () => {
    const ada = await signedInUser();
    const banned = await signedInUser();
    const deleted = await signedInUser();
    await banUser(banned.id);
    await softDeleteUser(deleted.id);
    const self = await send(ada, ada, { content: "me" });
    expect(self.status).toBe(422);
    expect(self.body.errors).toEqual([{ path: "param.username", message: "is you" }]);
    expect((await messagesOf(ada, ada)).status).toBe(422);
    for (const to of [{ username: "nobody_at_all_here" }, banned, deleted]) {
      const res = await send(ada, to, { content: "hi" });
      expect(res.status, to.username).toBe(404);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect((await messagesOf(ada, to)).status).toBe(404);
      expect((await markRead(ada, to)).status).toBe(404);
    }
    const bob = await signedInUser();
    for (const body of [{ content: "" }, { content: "   " }, { content: "x".repeat(10_001) }, { content: "bell\u0007" }, {}, { content: "hi", extra: 1 }]) {
      const res = await send(ada, bob, body);
      expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(422);
      expect(res.body.code).toBe("validation_failed");
    }
    expect((await send(ada, bob, { content: "x".repeat(10_000) })).status).toBe(201);
    expect(await sql.query("SELECT count(*)::int AS n FROM direct_messages WHERE sender_id = $1", [ada.id])).toEqual([{ n: 1 }]);
  });
});
