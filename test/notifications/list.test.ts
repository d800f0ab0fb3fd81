import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { createUser, sql } from "../helpers/db";
import { banUser, softDeleteUser } from "../tracks/fixtures";
import { ago, block, ids, notify } from "./fixtures";

describe("GET /v1/me/notifications", () => {
  it("lists mine newest first, with the actor's card and every field", async () => {
    const me = await signedInUser();
    const actor = await signedInUser();
    await sql.query("UPDATE users SET display_name = 'Ada' WHERE id = $1", [actor.id]);
    await sql.query("UPDATE user_profiles SET avatar_url = 'https://img.test/a.png' WHERE user_id = $1", [actor.id]);
    const message = crypto.randomUUID();
    const room = crypto.randomUUID();
    const older = await notify(me.id, { actorId: actor.id, type: "mention", createdAt: ago(60), entity: { type: "message", id: message }, title: "Studio", body: "hi @me", data: { room_id: room, seq: 7 } });
    const newer = await notify(me.id, { type: "system", createdAt: ago(10), read: true, title: "Welcome" });
    const res = await api("GET", "/v1/me/notifications", { headers: me.headers });
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual([newer, older]);
    expect(res.body.next_cursor).toBeNull();
    expect(res.body.items[1]).toEqual({
      id: older,
      actor: { id: actor.id, username: actor.username, display_name: "Ada", avatar_url: "https://img.test/a.png" },
      type: "mention",
      entity_type: "message",
      entity_id: message,
      title: "Studio",
      body: "hi @me",
      data: { room_id: room, seq: 7 },
      is_read: false,
      read_at: null,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(res.body.items[0]).toMatchObject({ actor: null, type: "system", is_read: true, read_at: expect.stringMatching(/Z$/), entity_type: null, entity_id: null, data: {} });
  });

  it("pages through equal times without losing or repeating one, and filters the unread", async () => {
    const me = await signedInUser();
    const tie = ago(30);
    const made = [await notify(me.id, { createdAt: ago(300) }), await notify(me.id, { createdAt: ago(200), read: true })];
    for (let i = 0; i < 3; i++) made.push(await notify(me.id, { createdAt: tie, read: i === 1 }));
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const res: Awaited<ReturnType<typeof api>> = await api("GET", `/v1/me/notifications?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { headers: me.headers });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...ids(res.body));
      cursor = res.body.next_cursor;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen)).toEqual(new Set(made));
    expect(seen.slice(3)).toEqual([made[1], made[0]]);

    const unread = await api("GET", "/v1/me/notifications?unread=true&limit=100", { headers: me.headers });
    expect(unread.body.items.every((n: { is_read: boolean }) => !n.is_read)).toBe(true);
    expect(new Set(ids(unread.body))).toEqual(new Set([made[0], made[2], made[4]]));
    expect((await api("GET", "/v1/me/notifications?unread=false", { headers: me.headers })).body.items).toHaveLength(5);
  });

  it("never shows another user's notifications, nor deleted ones", async () => {
    const me = await signedInUser();
    const other = await signedInUser();
    const mine = await notify(me.id, { actorId: other.id });
    await notify(me.id, { actorId: other.id, deleted: true });
    await notify(other.id, { actorId: me.id });
    expect(ids((await api("GET", "/v1/me/notifications", { headers: me.headers })).body)).toEqual([mine]);
  });

  it("hides notifications from someone I blocked or who blocked me, keeps a page full", async () => {
    const me = await signedInUser();
    const blockedByMe = await signedInUser();
    const blockingMe = await signedInUser();
    const friend = await signedInUser();
    await block(me.id, blockedByMe.id);
    await block(blockingMe.id, me.id);
    const kept = [await notify(me.id, { actorId: friend.id, createdAt: ago(100) }), await notify(me.id, { createdAt: ago(90), type: "system" })];
    for (let i = 0; i < 3; i++) {
      await notify(me.id, { actorId: blockedByMe.id, createdAt: ago(10 + i) });
      await notify(me.id, { actorId: blockingMe.id, createdAt: ago(20 + i) });
    }
    const res = await api("GET", "/v1/me/notifications?limit=2", { headers: me.headers });
    expect(ids(res.body)).toEqual([kept[1], kept[0]]);
    expect(res.body.next_cursor).toBeNull();
    expect((await api("GET", "/v1/me/notifications/unread-count", { headers: me.headers })).body).toEqual({ unread: 2 });
  });

  it("keeps notifications of actors who are gone, without their card", async () => {
    const me = await signedInUser();
    const banned = await signedInUser();
    const deleted = await signedInUser();
    const erased = await createUser();
    const made = [banned, deleted, erased].map((u, i) => notify(me.id, { actorId: u.id, createdAt: ago(10 * (i + 1)) }));
    const expected = await Promise.all(made);
    await banUser(banned.id);
    await softDeleteUser(deleted.id);
    await sql.query("DELETE FROM users WHERE id = $1", [erased.id]);
    const res = await api("GET", "/v1/me/notifications", { headers: me.headers });
    expect(ids(res.body)).toEqual(expected);
    expect(res.body.items.map((n: { actor: unknown }) => n.actor)).toEqual([null, null, null]);
  });

  it("refuses a bad limit, cursor or flag with 422", async () => {
    const me = await signedInUser();
    for (const query of ["limit=0", "limit=101", "cursor=nope", "unread=yes"]) {
      const res = await api("GET", `/v1/me/notifications?${query}`, { headers: me.headers });
      expect(res.status, query).toBe(422);
      expect(res.headers.get("content-type"), query).toContain("application/problem+json");
    }
  });
});
