import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { insert, one, sql } from "../helpers/db";
import { banUser, makeTrack, softDeleteUser } from "../tracks/fixtures";

const play = (trackId: string, user: SignedInUser | null, body: Record<string, unknown> = { played_duration: 60 }) =>
  api("POST", `/v1/tracks/${trackId}/plays`, { body, headers: user?.headers ?? {} });
/** A play written directly, at a chosen time (and month partition). */
const playAt = async (userId: string | null, trackId: string, playedAt: string) =>
  (await insert("playback_history", { user_id: userId, track_id: trackId, played_duration: 40, completion_percentage: 20, played_at: playedAt }, "id")).id as string;
const rowsOf = async (userId: string) => Number((await one("SELECT count(*)::int AS n FROM playback_history WHERE user_id = $1", [userId])).n);
const playCount = async (trackId: string) => Number((await one("SELECT play_count FROM tracks WHERE id = $1", [trackId])).play_count);
const ids = (body: { items: { id: string }[] }) => body.items.map((i) => i.id);

describe("GET /v1/me/history", () => {
  it("lists my plays, newest first, with how and where they were played", async () => {
    const owner = await signedInUser();
    const me = await signedInUser();
    const track = await makeTrack(owner.id, { durationMs: 200_000 });
    const playlist = crypto.randomUUID();
    expect((await play(track.id, me, { played_duration: 150, source: "playlist", source_id: playlist, device_type: "mobile" })).status).toBe(201);
    expect((await play(track.id, me, { played_duration: 10 })).status).toBe(201);
    const res = await api("GET", "/v1/me/history", { headers: me.headers });
    expect(res.status).toBe(200);
    expect(res.body.next_cursor).toBeNull();
    expect(res.body.items).toHaveLength(2);
    expect(res.body.items[1]).toEqual({
      id: expect.any(String),
      played_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      played_duration: 150,
      completion_percentage: 75,
      source: "playlist",
      source_id: playlist,
      device_type: "mobile",
      track: expect.objectContaining({ id: track.id, creator: expect.objectContaining({ id: owner.id }), counts: expect.objectContaining({ plays: 1 }) }),
    });
    expect(res.body.items[0]).toMatchObject({ played_duration: 10, completion_percentage: 5, source: null, source_id: null, device_type: null });
    expect(res.body.items[0].played_at >= res.body.items[1].played_at).toBe(true);
  });

  it("never shows another user's plays nor anonymous ones", async () => {
    const owner = await signedInUser();
    const me = await signedInUser();
    const other = await signedInUser();
    const track = await makeTrack(owner.id);
    await play(track.id, me);
    await play(track.id, other);
    await play(track.id, other);
    await play(track.id, null);
    const mine = await api("GET", "/v1/me/history", { headers: me.headers });
    expect(mine.body.items).toHaveLength(1);
    const theirs = await api("GET", "/v1/me/history", { headers: other.headers });
    expect(theirs.body.items).toHaveLength(2);
    expect(ids(mine.body).some((id) => ids(theirs.body).includes(id))).toBe(false);
    const stored = await sql.query("SELECT id FROM playback_history WHERE user_id = $1", [me.id]);
    expect(ids(mine.body)).toEqual(stored.map((r) => r.id));
  });

  it("pages across months and equal times without losing or repeating a play", async () => {
    const owner = await signedInUser();
    const me = await signedInUser();
    const track = await makeTrack(owner.id);
    const now = new Date();
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15, 12)).toISOString();
    const longAgo = "2024-03-01T08:00:00.000Z"; // before any partition: the default one
    const tie = new Date(Date.now() - 60_000).toISOString();
    const played = [await playAt(me.id, track.id, longAgo), await playAt(me.id, track.id, lastMonth)];
    for (let i = 0; i < 3; i++) played.push(await playAt(me.id, track.id, tie));
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const res: Awaited<ReturnType<typeof api>> = await api("GET", `/v1/me/history?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { headers: me.headers });
      expect(res.status).toBe(200);
      seen.push(...ids(res.body));
      cursor = res.body.next_cursor;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen)).toEqual(new Set(played));
    expect(seen.slice(3)).toEqual([played[1], played[0]]);
  });

  it("leaves out plays of tracks I can no longer see", async () => {
    const owner = await signedInUser();
    const me = await signedInUser();
    const visible = await makeTrack(owner.id);
    const hidden = await makeTrack(owner.id);
    const removed = await makeTrack(owner.id);
    const mine = await makeTrack(me.id, { visibility: "private" });
    for (const track of [visible, hidden, removed, mine]) expect((await play(track.id, me)).status).toBe(201);
    await sql.query("UPDATE tracks SET visibility = 'private' WHERE id = $1", [hidden.id]);
    await sql.query("UPDATE tracks SET deleted_at = now() WHERE id = $1", [removed.id]);
    const res = await api("GET", "/v1/me/history?limit=2", { headers: me.headers });
    expect(res.body.items.map((i: { track: { id: string } }) => i.track.id)).toEqual([mine.id, visible.id]);
    expect(res.body.next_cursor).toBeNull();
  });
});

describe("DELETE /v1/me/history", () => {
  it("really deletes all my plays, leaves others' alone, and never lowers play_count", async () => {
    const owner = await signedInUser();
    const me = await signedInUser();
    const other = await signedInUser();
    const track = await makeTrack(owner.id);
    for (let i = 0; i < 3; i++) await play(track.id, me);
    await playAt(me.id, track.id, "2024-03-01T08:00:00.000Z");
    await play(track.id, other);
    await play(track.id, null);
    expect(await playCount(track.id)).toBe(6);

    const res = await api("DELETE", "/v1/me/history", { headers: me.headers });
    expect(res).toMatchObject({ status: 200, body: { deleted: 4 } });
    expect(await rowsOf(me.id)).toBe(0);
    expect(await rowsOf(other.id)).toBe(1);
    expect(Number((await one("SELECT count(*)::int AS n FROM playback_history WHERE track_id = $1 AND user_id IS NULL", [track.id])).n)).toBe(1);
    expect(await playCount(track.id)).toBe(6);
    expect((await api("GET", "/v1/me/history", { headers: me.headers })).body).toEqual({ items: [], next_cursor: null });
    expect((await api("GET", "/v1/me/history", { headers: other.headers })).body.items).toHaveLength(1);
    expect((await api("DELETE", "/v1/me/history", { headers: me.headers })).body).toEqual({ deleted: 0 });
  });
});

describe("DELETE /v1/me/history/:id", () => {
  it("deletes one play of mine; another's play or an unknown id is 404 and stays", async () => {
    const owner = await signedInUser();
    const me = await signedInUser();
    const other = await signedInUser();
    const track = await makeTrack(owner.id);
    const kept = await playAt(me.id, track.id, new Date(Date.now() - 1000).toISOString());
    const gone = await playAt(me.id, track.id, "2024-03-01T08:00:00.000Z");
    const theirs = await playAt(other.id, track.id, new Date().toISOString());
    const before = await playCount(track.id);

    expect((await api("DELETE", `/v1/me/history/${gone}`, { headers: me.headers })).status).toBe(204);
    expect((await sql.query("SELECT id FROM playback_history WHERE user_id = $1", [me.id])).map((r) => r.id)).toEqual([kept]);
    expect((await api("DELETE", `/v1/me/history/${gone}`, { headers: me.headers })).status).toBe(404);
    expect((await api("DELETE", `/v1/me/history/${theirs}`, { headers: me.headers })).status).toBe(404);
    expect(await rowsOf(other.id)).toBe(1);
    expect((await api("DELETE", `/v1/me/history/${crypto.randomUUID()}`, { headers: me.headers })).status).toBe(404);
    expect((await api("DELETE", "/v1/me/history/nope", { headers: me.headers })).status).toBe(422);
    expect(await playCount(track.id)).toBe(before);
  });
});

describe("listening history access", () => {
  it("is for signed-in users only: anonymous 401, banned 403, deleted 401", async () => {
    const owner = await signedInUser();
    const track = await makeTrack(owner.id);
    const banned = await signedInUser();
    const entry = await playAt(banned.id, track.id, new Date().toISOString());
    await banUser(banned.id);
    const gone = await signedInUser();
    await softDeleteUser(gone.id);
    const requests: [string, string][] = [["GET", "/v1/me/history"], ["DELETE", "/v1/me/history"], ["DELETE", `/v1/me/history/${entry}`]];
    for (const [method, path] of requests) {
      expect((await api(method, path)).status, `${method} ${path} anonymous`).toBe(401);
      expect((await api(method, path, { headers: banned.headers })).status, `${method} ${path} banned`).toBe(403);
      expect((await api(method, path, { headers: gone.headers })).status, `${method} ${path} deleted`).toBe(401);
    }
    expect(await rowsOf(banned.id)).toBe(1);
  });
});
