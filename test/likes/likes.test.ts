import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { one, sql } from "../helpers/db";
import { banUser, makeTrack, softDeleteUser } from "../tracks/fixtures";

const like = (trackId: string, headers: Record<string, string> = {}) => api("PUT", `/v1/tracks/${trackId}/like`, { headers });
const unlike = (trackId: string, headers: Record<string, string> = {}) => api("DELETE", `/v1/tracks/${trackId}/like`, { headers });
const likeCount = async (trackId: string) => Number((await one("SELECT like_count FROM tracks WHERE id = $1", [trackId])).like_count);
const likeRows = async (trackId: string) => Number((await one("SELECT count(*)::int AS n FROM track_likes WHERE track_id = $1", [trackId])).n);

describe("PUT and DELETE /v1/tracks/:id/like", () => {
  it("likes and unlikes idempotently, like_count always matching the likes", async () => {
    const owner = await signedInUser();
    const fan = await signedInUser();
    const other = await signedInUser();
    const track = await makeTrack(owner.id);

    expect(await like(track.id, fan.headers)).toMatchObject({ status: 200, body: { liked: true, like_count: 1 } });
    expect(await like(track.id, fan.headers)).toMatchObject({ status: 200, body: { liked: true, like_count: 1 } });
    expect(await likeCount(track.id)).toBe(1);
    expect(await likeRows(track.id)).toBe(1);

    expect((await like(track.id, other.headers)).body).toEqual({ liked: true, like_count: 2 });
    expect((await unlike(track.id, fan.headers)).body).toEqual({ liked: false, like_count: 1 });
    expect((await unlike(track.id, fan.headers)).body).toEqual({ liked: false, like_count: 1 });
    expect(await likeCount(track.id)).toBe(1);
    expect(await likeRows(track.id)).toBe(1);

    expect((await like(track.id, fan.headers)).body).toEqual({ liked: true, like_count: 2 });
    expect((await unlike(track.id, other.headers)).body).toEqual({ liked: false, like_count: 1 });
    expect((await unlike(track.id, fan.headers)).body).toEqual({ liked: false, like_count: 0 });
    expect((await unlike(track.id, fan.headers)).body).toEqual({ liked: false, like_count: 0 });
    expect(await likeCount(track.id)).toBe(0);
    expect(await likeRows(track.id)).toBe(0);
    expect((await api("GET", `/v1/tracks/${track.id}`)).body.counts.likes).toBe(0);
  });

  it("counts 10 concurrent likes of 10 users as 10, and 10 concurrent repeats of one user as 1", async () => {
    const owner = await signedInUser();
    const track = await makeTrack(owner.id);
    const fans = await Promise.all(Array.from({ length: 10 }, () => signedInUser()));
    const answers = await Promise.all(fans.map((fan) => like(track.id, fan.headers)));
    expect(answers.map((a) => [a.status, a.body.liked])).toEqual(fans.map(() => [200, true]));
    expect(await likeCount(track.id)).toBe(10);
    expect(await likeRows(track.id)).toBe(10);

    const repeats = await Promise.all(Array.from({ length: 10 }, () => like(track.id, fans[0]!.headers)));
    expect(repeats.every((a) => a.status === 200 && a.body.liked)).toBe(true);
    expect(await likeCount(track.id)).toBe(10);

    await Promise.all(fans.slice(0, 4).map((fan) => unlike(track.id, fan.headers)));
    expect(await likeCount(track.id)).toBe(6);
    expect(await likeRows(track.id)).toBe(6);
  });

  it("needs a track visible to the user: another's private, a deleted or a banned creator's track is 404", async () => {
    const owner = await signedInUser();
    const fan = await signedInUser();
    const priv = await makeTrack(owner.id, { visibility: "private" });
    expect((await like(priv.id, fan.headers)).status).toBe(404);
    expect((await unlike(priv.id, fan.headers)).status).toBe(404);
    expect(await likeRows(priv.id)).toBe(0);
    expect((await like(priv.id, owner.headers)).body).toEqual({ liked: true, like_count: 1 });

    const unlisted = await makeTrack(owner.id, { visibility: "unlisted" });
    expect((await like(unlisted.id, fan.headers)).status).toBe(200);
    const pending = await makeTrack(owner.id, { status: "processing" });
    expect((await like(pending.id, fan.headers)).status).toBe(200);

    const deleted = await makeTrack(owner.id, { deleted: true });
    expect((await like(deleted.id, fan.headers)).status).toBe(404);
    expect((await like(crypto.randomUUID(), fan.headers)).status).toBe(404);
    expect((await like("not-a-uuid", fan.headers)).status).toBe(422);

    const banned = await signedInUser();
    const bannedTrack = await makeTrack(banned.id);
    await banUser(banned.id);
    expect((await like(bannedTrack.id, fan.headers)).status).toBe(404);
  });

  it("refuses anonymous (401), banned (403) and deleted (401) users", async () => {
    const owner = await signedInUser();
    const track = await makeTrack(owner.id);
    expect((await like(track.id)).status).toBe(401);
    expect((await unlike(track.id)).status).toBe(401);
    const banned = await signedInUser();
    await banUser(banned.id);
    expect((await like(track.id, banned.headers)).status).toBe(403);
    expect((await unlike(track.id, banned.headers)).status).toBe(403);
    const gone = await signedInUser();
    await softDeleteUser(gone.id);
    expect((await like(track.id, gone.headers)).status).toBe(401);
    expect(await likeCount(track.id)).toBe(0);
  });
});

describe("GET /v1/me/likes", () => {
  it("lists my liked tracks, most recently liked first, page by page without loss on equal times", async () => {
    const owner = await signedInUser();
    const me = await signedInUser();
    const stranger = await signedInUser();
    const tracks = await Promise.all(Array.from({ length: 5 }, () => makeTrack(owner.id)));
    for (const track of tracks) expect((await like(track.id, me.headers)).status).toBe(200);
    expect((await like(tracks[0]!.id, stranger.headers)).status).toBe(200);
    // Liked at 10:00, 10:01, 10:01, 10:01, 10:02: the three ties are ordered by the like's id.
    const times = ["2026-01-01T10:00:00Z", "2026-01-01T10:01:00Z", "2026-01-01T10:01:00Z", "2026-01-01T10:01:00Z", "2026-01-01T10:02:00Z"];
    for (const [i, track] of tracks.entries()) {
      await sql.query("UPDATE track_likes SET created_at = $3 WHERE user_id = $1 AND track_id = $2", [me.id, track.id, times[i]]);
    }
    const ids: string[] = [];
    const likedAt: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: Awaited<ReturnType<typeof api>> = await api("GET", `/v1/me/likes?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { headers: me.headers });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      ids.push(...res.body.items.map((i: { track: { id: string } }) => i.track.id));
      likedAt.push(...res.body.items.map((i: { liked_at: string }) => i.liked_at));
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(ids)).toEqual(new Set(tracks.map((t) => t.id)));
    expect(ids).toHaveLength(5);
    expect(ids[0]).toBe(tracks[4]!.id);
    expect(ids[4]).toBe(tracks[0]!.id);
    expect(likedAt[0]).toBe("2026-01-01T10:02:00.000Z");
    expect(likedAt[4]).toBe("2026-01-01T10:00:00.000Z");

    const first = await api("GET", "/v1/me/likes?limit=1", { headers: me.headers });
    expect(first.body.items[0].track).toMatchObject({ id: tracks[4]!.id, creator: { id: owner.id, username: owner.username }, counts: { likes: 1 } });
    expect(first.body.items[0].track).not.toHaveProperty("waveform");

    const theirs = await api("GET", "/v1/me/likes", { headers: stranger.headers });
    expect(theirs.body).toEqual({ items: [expect.objectContaining({ track: expect.objectContaining({ id: tracks[0]!.id }) })], next_cursor: null });
  });

  it("leaves out tracks I can no longer see, without shortening a page", async () => {
    const owner = await signedInUser();
    const me = await signedInUser();
    const kept = await makeTrack(owner.id);
    const older = await makeTrack(owner.id);
    const hidden = await makeTrack(owner.id);
    const deleted = await makeTrack(owner.id);
    const mine = await makeTrack(me.id, { visibility: "private" });
    for (const track of [older, kept, hidden, deleted, mine]) expect((await like(track.id, me.headers)).status).toBe(200);
    await sql.query("UPDATE tracks SET visibility = 'private' WHERE id = $1", [hidden.id]);
    await sql.query("UPDATE tracks SET deleted_at = now() WHERE id = $1", [deleted.id]);

    const page = await api("GET", "/v1/me/likes?limit=3", { headers: me.headers });
    expect(page.body.items.map((i: { track: { id: string } }) => i.track.id)).toEqual([mine.id, kept.id, older.id]);
    expect(page.body.next_cursor).toBeNull();
    // My own private track is shown to me, with its signed stream.
    expect(page.body.items[0].track.stream.master_url).toMatch(/\?exp=\d+&sig=/);
  });

  it("validates limit and cursor (422) and needs a signed-in user", async () => {
    const me = await signedInUser();
    expect((await api("GET", "/v1/me/likes?limit=0", { headers: me.headers })).status).toBe(422);
    expect((await api("GET", "/v1/me/likes?limit=101", { headers: me.headers })).status).toBe(422);
    const bad = await api("GET", "/v1/me/likes?cursor=nope", { headers: me.headers });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([{ path: "query.cursor", message: expect.any(String) }]);
    expect((await api("GET", "/v1/me/likes")).status).toBe(401);
  });
});

describe("GET /v1/me/likes/contains", () => {
  it("answers, in the order asked, whether I like each track; unseeable and unknown tracks are false", async () => {
    const owner = await signedInUser();
    const me = await signedInUser();
    const [a, b, c] = [await makeTrack(owner.id), await makeTrack(owner.id), await makeTrack(owner.id)];
    const priv = await makeTrack(owner.id);
    for (const track of [a, c, priv]) await like(track.id, me.headers);
    await like(b.id, owner.headers);
    await sql.query("UPDATE tracks SET visibility = 'private' WHERE id = $1", [priv.id]);
    const unknown = crypto.randomUUID();

    const res = await api("GET", `/v1/me/likes/contains?track_ids=${[c.id, b.id, unknown, a.id, priv.id, c.id.toUpperCase()].join(",")}`, { headers: me.headers });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { track_id: c.id, liked: true },
      { track_id: b.id, liked: false },
      { track_id: unknown, liked: false },
      { track_id: a.id, liked: true },
      { track_id: priv.id, liked: false },
    ]);
    expect((await api("GET", `/v1/me/likes/contains?track_ids=${a.id}`, { headers: owner.headers })).body).toEqual([{ track_id: a.id, liked: false }]);
  });

  it("takes 1 to 50 valid ids (422 otherwise) from a signed-in user", async () => {
    const me = await signedInUser();
    const ids = (n: number) => Array.from({ length: n }, () => crypto.randomUUID()).join(",");
    expect((await api("GET", `/v1/me/likes/contains?track_ids=${ids(50)}`, { headers: me.headers })).body).toHaveLength(50);
    expect((await api("GET", `/v1/me/likes/contains?track_ids=${ids(51)}`, { headers: me.headers })).status).toBe(422);
    expect((await api("GET", "/v1/me/likes/contains", { headers: me.headers })).status).toBe(422);
    expect((await api("GET", "/v1/me/likes/contains?track_ids=", { headers: me.headers })).status).toBe(422);
    const bad = await api("GET", `/v1/me/likes/contains?track_ids=${crypto.randomUUID()},nope`, { headers: me.headers });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toMatch(/^query\.track_ids/);
    expect((await api("GET", `/v1/me/likes/contains?track_ids=${ids(1)}`)).status).toBe(401);
  });
});
