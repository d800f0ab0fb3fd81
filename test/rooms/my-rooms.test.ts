import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { withRoundTrips } from "../helpers/round-trips";
import { insertMessage, makeRoom } from "./fixtures";

describe("my rooms", () => {
  it("lists my rooms by last activity with the last message and my unread count, in one round trip", async () => {
    const me = await signedInUser();
    const friend = await signedInUser();
    const owner = await signedInUser();
    const busy = await makeRoom(owner);
    const quiet = await makeRoom(owner, { room_type: "private" });
    const older = await makeRoom(owner);
    const bannedFrom = await makeRoom(owner);
    const deleted = await makeRoom(owner);
    for (const room of [busy, older, bannedFrom, deleted]) await api("POST", `/v1/rooms/${room.id}/join`, { headers: me.headers });
    await api("POST", `/v1/rooms/${busy.id}/join`, { headers: friend.headers });
    await api("POST", `/v1/rooms/${older.id}/join`, { headers: friend.headers });
    const invite = await api("POST", `/v1/rooms/${quiet.id}/invites`, { headers: owner.headers, body: { username: me.username } });
    await api("POST", `/v1/me/room-invites/${invite.body.id}/accept`, { headers: me.headers });

    // busy: seq 1 (friend, read), 2 (mine), 3 (friend), 4 (friend, deleted), 5 (friend, the last one)
    await insertMessage(busy.id, friend.id, 1, { secondsAgo: 50 });
    await insertMessage(busy.id, me.id, 2, { secondsAgo: 40 });
    await insertMessage(busy.id, friend.id, 3, { secondsAgo: 30 });
    await insertMessage(busy.id, friend.id, 4, { secondsAgo: 20, deleted: true });
    const last = await insertMessage(busy.id, friend.id, 5, { secondsAgo: 10, content: "see you at the show" });
    await api("PUT", `/v1/rooms/${busy.id}/read`, { headers: me.headers, body: { seq: 1 } });
    // older: its last message is a deleted one, an hour ago; never read
    await insertMessage(older.id, friend.id, 1, { secondsAgo: 3700 });
    await insertMessage(older.id, friend.id, 2, { secondsAgo: 3600, deleted: true, content: "oops" });
    await insertMessage(bannedFrom.id, friend.id, 1);
    await api("POST", `/v1/rooms/${bannedFrom.id}/members/${me.id}/ban`, { headers: owner.headers });
    await api("DELETE", `/v1/rooms/${deleted.id}`, { headers: owner.headers });

    const { response, roundTrips } = await withRoundTrips(new Request("https://veza.test/v1/me/rooms", { headers: me.headers }));
    expect(response.status).toBe(200);
    expect(roundTrips).toBe(1);
    const body = (await response.json()) as { items: any[]; next_cursor: string | null };
    expect(body.items.map((r) => r.id)).toEqual([busy.id, older.id, quiet.id]);
    const [b, o, q] = body.items;
    expect(b.last_message).toMatchObject({ id: last, seq: 5, sender: { id: friend.id, username: friend.username }, content: "see you at the show", is_deleted: false });
    expect(b.unread_count).toBe(2);
    expect(b.my_membership).toMatchObject({ role: "member", last_read_seq: 1 });
    expect(o.last_message).toMatchObject({ seq: 2, content: "", is_deleted: true });
    expect(o.unread_count).toBe(1);
    expect(q).toMatchObject({ room_type: "private", last_message: null, unread_count: 0 });
    expect(body.next_cursor).toBeNull();

    await api("PUT", `/v1/rooms/${busy.id}/read`, { headers: me.headers, body: { seq: 5 } });
    const page = await api("GET", "/v1/me/rooms?limit=1", { headers: me.headers });
    expect(page.body.items).toHaveLength(1);
    expect(page.body.items[0]).toMatchObject({ id: busy.id, unread_count: 0 });
    const next = await api("GET", `/v1/me/rooms?limit=2&cursor=${page.body.next_cursor}`, { headers: me.headers });
    expect(next.body.items.map((r: { id: string }) => r.id)).toEqual([older.id, quiet.id]);
    expect(next.body.next_cursor).toBeNull();
  });

  it("is empty for someone in no room, and needs a sign-in", async () => {
    const loner = await signedInUser();
    expect((await api("GET", "/v1/me/rooms", { headers: loner.headers })).body).toEqual({ items: [], next_cursor: null });
    expect((await api("GET", "/v1/me/rooms")).status).toBe(401);
  });
});
