import { describe, expect, it } from "vitest";
import { signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { block, conversationsOf, markRead, messagesOf, send, sent, unblock } from "./fixtures";

describe("direct messages between blocked users", () => {
  it("are refused both ways (403) while the block stands, and allowed again once it is lifted", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    await sent(ada, bob, "before the block");
    expect((await block(bob, ada)).status).toBe(200);

    for (const [from, to] of [[ada, bob], [bob, ada]] as const) {
      const res = await send(from, to, { content: "are you there?" });
      expect(res.status, `${from.username} -> ${to.username}`).toBe(403);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.body).toMatchObject({ code: "forbidden", detail: expect.stringContaining("blocked") });
    }
    expect(await sql.query("SELECT count(*)::int AS n FROM direct_messages WHERE sender_id IN ($1, $2)", [ada.id, bob.id])).toEqual([{ n: 1 }]);

    // the history stays readable, flagged, on both sides
    expect((await messagesOf(ada, bob)).body).toMatchObject({ blocked: true, blocked_by_me: false, items: [{ content: "before the block" }] });
    expect((await messagesOf(bob, ada)).body).toMatchObject({ blocked: true, blocked_by_me: true });
    expect((await conversationsOf(ada)).body.items).toEqual([expect.objectContaining({ user: expect.objectContaining({ id: bob.id }), blocked: true, blocked_by_me: false })]);
    expect((await conversationsOf(bob)).body.items).toEqual([expect.objectContaining({ blocked: true, blocked_by_me: true, unread_count: 1 })]);
    expect((await markRead(bob, ada)).body).toMatchObject({ marked: 1 });

    expect((await unblock(bob, ada)).status).toBe(204);
    expect((await send(ada, bob, { content: "after" })).status).toBe(201);
    expect((await send(bob, ada, { content: "welcome back" })).status).toBe(201);
    expect((await conversationsOf(ada)).body.items).toEqual([expect.objectContaining({ blocked: false, blocked_by_me: false, unread_count: 1 })]);
  });

  it("are refused whoever blocked first, and a mutual block needs both lifted", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    await block(ada, bob);
    await block(bob, ada);
    expect((await send(ada, bob, { content: "x" })).status).toBe(403);
    await unblock(ada, bob);
    expect((await send(ada, bob, { content: "x" })).status).toBe(403);
    expect((await send(bob, ada, { content: "x" })).status).toBe(403);
    await unblock(bob, ada);
    expect((await send(bob, ada, { content: "x" })).status).toBe(201);
  });
});
