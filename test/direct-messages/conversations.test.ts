import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { withRoundTrips } from "../helpers/round-trips";
import { softDeleteUser } from "../tracks/fixtures";
import { conversationsOf, markRead, sent } from "./fixtures";

describe("GET /v1/me/conversations", () => {
  it("lists each conversation once, newest first, with its last message for me and my unread count, in one round trip", async () => {
    const me = await signedInUser();
    const [ada, bob, cy] = [await signedInUser(), await signedInUser(), await signedInUser()];
    await sent(ada, me, "ada 1");
    await sent(ada, me, "ada 2");
    const myReply = await sent(me, ada, "my reply to ada");
    await sent(bob, me, "bob 1");
    const bob2 = await sent(bob, me, "bob 2");
    const bob3 = await sent(bob, me, "bob 3");
    const toCy = await sent(me, cy, "hi cy");
    // my deleting bob's last message: the one before it becomes the last, and it is no longer unread
    expect((await api("DELETE", `/v1/me/direct-messages/${bob3.id}`, { headers: me.headers })).status).toBe(204);
    await sent(cy, ada, "not mine at all");

    await conversationsOf(me); // warms my auth state, as at the edge
    const { response, roundTrips } = await withRoundTrips(new Request("https://veza.test/v1/me/conversations", { headers: me.headers }));
    expect(response.status).toBe(200);
    expect(roundTrips).toBe(1);
    const body = (await response.json()) as { items: any[]; next_cursor: string | null };
    expect(body.next_cursor).toBeNull();
    expect(body.items).toEqual([
      { user: { id: cy.id, username: cy.username, display_name: null, avatar_url: null }, last_message: expect.objectContaining({ id: toCy.id, content: "hi cy" }), unread_count: 0, blocked: false, blocked_by_me: false },
      { user: expect.objectContaining({ id: bob.id }), last_message: expect.objectContaining({ id: bob2.id, sender_id: bob.id, recipient_id: me.id }), unread_count: 2, blocked: false, blocked_by_me: false },
      { user: expect.objectContaining({ id: ada.id }), last_message: expect.objectContaining({ id: myReply.id, content: "my reply to ada" }), unread_count: 2, blocked: false, blocked_by_me: false },
    ]);

    // the other side sees its own view
    expect((await conversationsOf(bob)).body.items).toEqual([expect.objectContaining({ user: expect.objectContaining({ id: me.id }), last_message: expect.objectContaining({ id: bob3.id }), unread_count: 0 })]);

    // reading changes my counts, and a new message moves its conversation to the top
    await markRead(me, ada);
    await sent(ada, me, "ada 3");
    const after = (await conversationsOf(me)).body.items;
    expect(after.map((c: { user: { id: string }; unread_count: number }) => [c.user.id, c.unread_count])).toEqual([[ada.id, 1], [cy.id, 0], [bob.id, 2]]);
  });

  it("pages by cursor and leaves out deleted accounts and conversations I emptied", async () => {
    const me = await signedInUser();
    const others = [await signedInUser(), await signedInUser(), await signedInUser(), await signedInUser()];
    const firsts = [];
    for (const other of others) firsts.push(await sent(other, me, `from ${other.username}`));
    await softDeleteUser(others[1]!.id);
    expect((await api("DELETE", `/v1/me/direct-messages/${firsts[2]!.id}`, { headers: me.headers })).status).toBe(204);

    const first = await conversationsOf(me, "?limit=1");
    expect(first.body.items.map((c: { user: { id: string } }) => c.user.id)).toEqual([others[3]!.id]);
    const second = await conversationsOf(me, `?limit=1&cursor=${first.body.next_cursor}`);
    expect(second.body.items.map((c: { user: { id: string } }) => c.user.id)).toEqual([others[0]!.id]);
    expect(second.body.next_cursor).toBeNull();
    expect((await conversationsOf(me, "?cursor=garbage")).status).toBe(422);
    expect((await conversationsOf(me, "?limit=101")).status).toBe(422);
    // the sender of the message I deleted still has the conversation
    expect((await conversationsOf(others[2]!)).body.items).toHaveLength(1);
  });
});
