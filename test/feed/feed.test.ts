import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { insertId, sql } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { FAN_IN_LIMIT } from "../../src/domains/feed/list-feed";
import { banUser, makeTrack, softDeleteUser } from "../tracks/fixtures";
import { follow, minutesAgo, playlistWithTrack, post, wholeFeed } from "./fixtures";

describe("the home feed", () => {
  it("is strictly chronological across posts, reposts, tracks and playlists, and holds only what the people I follow did", async () => {
    const [me, ana, ben, stranger] = await Promise.all([signedInUser(), signedInUser(), signedInUser(), signedInUser()]);
    await follow(me, ana);
    await follow(me, ben);

    const anaOld = await post(ana.id, "the oldest, and the most liked", minutesAgo(60), { like_count: 9000, comment_count: 500 });
    const benTrack = await makeTrack(ben.id, { title: "Ben's first" });
    await sql.query("UPDATE tracks SET published_at = $2 WHERE id = $1", [benTrack.id, minutesAgo(50)]);
    const anaPlaylist = await playlistWithTrack(ana.id, benTrack.id, minutesAgo(40));
    const strangerPost = await post(stranger.id, "someone I do not follow", minutesAgo(35));
    const benPrivate = await post(ben.id, "for my followers", minutesAgo(30), { visibility: "private" });
    const anaRepost = await post(ana.id, "", minutesAgo(20), { repost_of_id: strangerPost });
    const benNew = await post(ben.id, "the newest", minutesAgo(10));

    // Not in my feed: others' things, my own, unlisted posts, group posts, deleted posts, unpublished
    // or private tracks, private and empty playlists.
    await post(stranger.id, "still a stranger", minutesAgo(5));
    await post(me.id, "my own post", minutesAgo(5));
    await post(ana.id, "unlisted", minutesAgo(5), { visibility: "unlisted" });
    const group = await insertId("groups", { name: "Synths", slug: `synths-${ana.id.slice(0, 8)}`, creator_id: ana.id });
    await post(ana.id, "in a group", minutesAgo(5), { group_id: group });
    await post(ana.id, "deleted", minutesAgo(5), { deleted_at: minutesAgo(1) });
    await makeTrack(ana.id, { status: "processing" });
    await makeTrack(ana.id, { visibility: "private" });
    await playlistWithTrack(ana.id, benTrack.id, minutesAgo(5), "private");
    await insertId("playlists", { user_id: ana.id, name: "empty", visibility: "public" });
    await makeTrack(stranger.id);

    const expected = [
      { type: "post", id: benNew },
      { type: "post", id: anaRepost },
      { type: "post", id: benPrivate },
      { type: "playlist", id: anaPlaylist },
      { type: "track", id: benTrack.id },
      { type: "post", id: anaOld },
    ];
    for (const limit of [1, 2, 4, 20]) {
      expect((await wholeFeed(me, limit)).map(({ type, id }) => ({ type, id })), `pages of ${limit}`).toEqual(expected);
    }

    const page = await api("GET", "/v1/feed?limit=20", { headers: me.headers });
    const items = page.body.items as Array<Record<string, any>>;
    expect(items.map((i) => i.at)).toEqual([...items.map((i) => i.at)].sort().reverse());
    expect(items[1]!.post).toMatchObject({ id: anaRepost, author: { username: ana.username }, repost_of: { id: strangerPost, content: "someone I do not follow" } });
    expect(items[3]!.playlist).toMatchObject({ id: anaPlaylist, owner: { username: ana.username }, track_count: 1 });
    expect(items[4]!.track).toMatchObject({ id: benTrack.id, title: "Ben's first", creator: { username: ben.username } });
    expect(items[4]!.track.stream.master_url).toBe(`/v1/tracks/${benTrack.id}/hls/master.m3u8`);
    expect(items[5]!.post).toMatchObject({ id: anaOld, like_count: 9000, content: "the oldest, and the most liked" });

    // Unfollowing removes a source at once.
    expect((await api("DELETE", `/v1/users/${ben.username}/follow`, { headers: me.headers })).status).toBe(200);
    expect((await wholeFeed(me, 20)).map((i) => i.id)).toEqual([anaRepost, anaPlaylist, anaOld]);
  });

  it("is empty until I follow someone, and a new post shows on top", async () => {
    const [me, ana] = await Promise.all([signedInUser(), signedInUser()]);
    expect((await api("GET", "/v1/feed", { headers: me.headers })).body).toEqual({ items: [], next_cursor: null });
    await follow(me, ana);
    await post(ana.id, "older", minutesAgo(3));
    const created = await api("POST", "/v1/posts", { headers: ana.headers, body: { content: "fresh from the API" } });
    expect(created.status).toBe(201);
    const items = (await api("GET", "/v1/feed", { headers: me.headers })).body.items as Array<Record<string, any>>;
    expect(items.map((i) => i.post.content)).toEqual(["fresh from the API", "older"]);
  });

  it("hides content across a block, both ways, and of banned, deleted and private accounts", async () => {
    const [me, ana, ben, blocker, banned, gone, hidden] = await Promise.all([1, 2, 3, 4, 5, 6, 7].map(() => signedInUser())) as [SignedInUser, SignedInUser, SignedInUser, SignedInUser, SignedInUser, SignedInUser, SignedInUser];
    for (const u of [ana, ben, blocker, banned, gone, hidden]) await follow(me, u);
    const blockerPost = await post(blocker.id, "from someone who will block me", minutesAgo(30));
    const anaPost = await post(ana.id, "ana", minutesAgo(29));
    const benPost = await post(ben.id, "ben", minutesAgo(28));
    await post(banned.id, "banned", minutesAgo(27));
    await post(gone.id, "gone", minutesAgo(26));
    await post(hidden.id, "private profile", minutesAgo(25));
    // Ana reposts the blocker's post plainly and quotes it.
    const plainRepost = await post(ana.id, "", minutesAgo(20), { repost_of_id: blockerPost });
    const quote = await post(ana.id, "quoting", minutesAgo(19), { repost_of_id: blockerPost });
    expect((await wholeFeed(me, 50)).length).toBe(8);

    // They block me: their own items and the plain repost of theirs vanish; the quote stays, without the original.
    expect((await api("PUT", `/v1/me/blocks/${me.username}`, { headers: blocker.headers })).status).toBeLessThan(300);
    // I block Ben: his items vanish too.
    expect((await api("PUT", `/v1/me/blocks/${ben.username}`, { headers: me.headers })).status).toBeLessThan(300);
    await banUser(banned.id);
    await softDeleteUser(gone.id);
    await sql.query("UPDATE user_profiles SET profile_visibility = 'private' WHERE user_id = $1", [hidden.id]);

    const items = (await api("GET", "/v1/feed?limit=50", { headers: me.headers })).body.items as Array<Record<string, any>>;
    expect(items.map((i) => i.id)).toEqual([quote, anaPost]);
    expect(items[0]!.post).toMatchObject({ repost_of_id: blockerPost, repost_of: null });
    expect(JSON.stringify(items)).not.toContain(benPost);
    expect(plainRepost).toBeTruthy();

    // Even if a follow row survived a block (written directly), the feed does not cross it.
    await sql.query("INSERT INTO follows (follower_id, following_id) VALUES ($1, $2)", [me.id, blocker.id]);
    const again = (await api("GET", "/v1/feed?limit=50", { headers: me.headers })).body.items as Array<Record<string, any>>;
    expect(again.map((i) => i.id)).toEqual([quote, anaPost]);
  });

  it("is mine only: anonymous 401, banned 403, deleted 401; bad input 422", async () => {
    const [banned, gone, me] = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
    await banUser(banned.id);
    await softDeleteUser(gone.id);
    expect((await api("GET", "/v1/feed")).status).toBe(401);
    expect((await api("GET", "/v1/feed", { headers: banned.headers })).status).toBe(403);
    expect((await api("GET", "/v1/feed", { headers: gone.headers })).status).toBe(401);
    for (const query of ["limit=0", "limit=101", "cursor=nope"]) {
      const res = await api("GET", `/v1/feed?${query}`, { headers: me.headers });
      expect(res.status, query).toBe(422);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("costs one database round trip, first page or next", async () => {
    const [me, ana] = await Promise.all([signedInUser(), signedInUser()]);
    await follow(me, ana);
    for (let i = 0; i < 3; i++) await post(ana.id, `post ${i}`, minutesAgo(10 - i));
    const cursor = (await api("GET", "/v1/feed?limit=2", { headers: me.headers })).body.next_cursor as string;
    for (const path of ["/v1/feed?limit=2", `/v1/feed?limit=2&cursor=${cursor}`]) {
      const { response, roundTrips } = await withRoundTrips(new Request(`https://veza.test${path}`, { headers: me.headers }));
      expect(response.status).toBe(200);
      expect(roundTrips, path).toBe(1);
    }
  });
});

describe("the home feed of someone who follows many accounts", () => {
  it(`walks everyone's items newest first past ${FAN_IN_LIMIT} follows, with the same rules and order`, async () => {
    const [me, ana, blocker] = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
    // FAN_IN_LIMIT + 5 followed accounts (written set-based), ana and the blocker among them.
    const [{ ids }] = (await sql.query(
      `WITH made AS (
         INSERT INTO users (email, username) SELECT 'many' || $1 || g || '@veza.test', 'many_' || $1 || '_' || g FROM generate_series(1, $2::int) g RETURNING id
       ), followed AS (
         INSERT INTO follows (follower_id, following_id) SELECT $3::uuid, id FROM made RETURNING following_id
       ) SELECT array_agg(following_id) AS ids FROM followed`,
      [me.id.slice(0, 8), FAN_IN_LIMIT + 5, me.id],
    )) as [{ ids: string[] }];
    await follow(me, ana);
    await follow(me, blocker);
    const [quiet, loud] = [ids[0]!, ids[1]!];
    const stranger = await signedInUser();

    const expected: string[] = [];
    for (let i = 0; i < 6; i++) {
      await post(stranger.id, `stranger ${i}`, minutesAgo(60 - i * 10 - 1));
      expected.unshift(await post(i % 2 ? loud : ana.id, `followed ${i}`, minutesAgo(60 - i * 10)));
    }
    await post(blocker.id, "from someone who blocks me", minutesAgo(2));
    await post(quiet, "unlisted", minutesAgo(1), { visibility: "unlisted" });
    const track = await makeTrack(quiet);
    await sql.query("UPDATE tracks SET published_at = $2 WHERE id = $1", [track.id, minutesAgo(35)]);
    expected.splice(3, 0, track.id);
    expect((await api("PUT", `/v1/me/blocks/${me.username}`, { headers: blocker.headers })).status).toBeLessThan(300);
    expect(Number((await sql.query("SELECT following_count FROM user_profiles WHERE user_id = $1", [me.id]))[0]!.following_count)).toBeGreaterThan(FAN_IN_LIMIT);

    for (const limit of [1, 3, 20]) expect((await wholeFeed(me, limit)).map((i) => i.id), `pages of ${limit}`).toEqual(expected);
    const { roundTrips } = await withRoundTrips(new Request("https://veza.test/v1/feed", { headers: me.headers }));
    expect(roundTrips).toBe(1);
  });
});
