import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { createUser, sql, uniq } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { banUser, insertPlays, makeTrack, runCron } from "./fixtures";

/** `n` plays of `track` in the last hour, each by a different listener (or anonymised). */
async function playsOf(track: string, n: number, anonymous = false) {
  const listeners = anonymous ? [] : await Promise.all(Array.from({ length: n }, () => createUser()));
  const at = new Date(Date.now() - 60_000).toISOString();
  await insertPlays(Array.from({ length: n }, (_, i) => ({ track, user: anonymous ? null : listeners[i]!.id, at, seconds: 120, completion: 60 })));
}

const ids = (body: { items: { track: { id: string } }[] }) => body.items.map((e) => e.track.id);

describe("GET /v1/tracks/trending", () => {
  it("lists the played public tracks in score order after a refresh, and hides tracks and creators that may not be shown", async () => {
    const genre = `g${uniq()}`;
    const [creator, blockedCreator, bannedCreator] = await Promise.all([createUser(), createUser(), createUser()]);
    const viewer = await signedInUser();
    const first = await makeTrack(creator.id, { genre });
    const second = await makeTrack(creator.id, { genre: genre.toUpperCase() });
    const third = await makeTrack(creator.id, { genre });
    const madePrivate = await makeTrack(creator.id, { genre });
    const deleted = await makeTrack(creator.id, { genre });
    const blockedOnes = await makeTrack(blockedCreator.id, { genre });
    const bannedOnes = await makeTrack(bannedCreator.id, { genre });
    const neverPublic = await makeTrack(creator.id, { genre, visibility: "private" });
    const skipped = await makeTrack(creator.id, { genre });
    const unplayed = await makeTrack(creator.id, { genre });
    await playsOf(first, 6);
    await playsOf(blockedOnes, 5);
    await playsOf(second, 4, true); // anonymised plays: plays, not listeners
    await playsOf(madePrivate, 3);
    await playsOf(deleted, 3);
    await playsOf(bannedOnes, 3);
    await playsOf(third, 1);
    await playsOf(neverPublic, 9);
    // Ten skips (under 30 s) are not plays: a track skipped through does not chart, nor does one never played.
    await insertPlays(Array.from({ length: 10 }, () => ({ track: skipped, user: creator.id, at: new Date(Date.now() - 60_000).toISOString(), seconds: 10, completion: 5 })));
    expect(unplayed).toBeTruthy();
    await sql.query("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)", [blockedCreator.id, viewer.id]);

    await runCron("0 * * * *", new Date());
    await sql.query("UPDATE tracks SET visibility = 'private' WHERE id = $1", [madePrivate]);
    await sql.query("UPDATE tracks SET deleted_at = now() WHERE id = $1", [deleted]);
    await banUser(bannedCreator.id);

    const anonymous = await api("GET", `/v1/tracks/trending?limit=100&genre=${genre}`);
    expect(anonymous.status).toBe(200);
    expect(ids(anonymous.body)).toEqual([first, blockedOnes, second, third]);
    const [top] = anonymous.body.items;
    expect(top).toMatchObject({ rank: 1, plays_7d: 6, unique_listeners_7d: 6, like_count: 0 });
    expect(top.score).toBeCloseTo(6 * 0.4 + 6 * 0.3 + 60 * 0.2, 5);
    expect(top.track).toMatchObject({ id: first, creator: { id: creator.id, username: creator.username }, visibility: "public", cover_url: null });
    expect(anonymous.body.items.map((e: { rank: number }) => e.rank)).toEqual([1, 2, 3, 4]);
    expect(anonymous.body.items[2]).toMatchObject({ plays_7d: 4, unique_listeners_7d: 0 });
    const scores = anonymous.body.items.map((e: { score: number }) => e.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);

    // The blocked creator's track is hidden from the viewer (a block either way), and ranks close up.
    const signedIn = await api("GET", `/v1/tracks/trending?limit=100&genre=${genre}`, { headers: viewer.headers });
    expect(ids(signedIn.body)).toEqual([first, second, third]);
    expect(signedIn.body.items.map((e: { rank: number }) => e.rank)).toEqual([1, 2, 3]);

    expect(ids((await api("GET", `/v1/tracks/trending?limit=2&genre=${genre}`)).body)).toEqual([first, blockedOnes]);
  });

  it("validates its query and answers in one round trip", async () => {
    expect((await api("GET", "/v1/tracks/trending?limit=0")).status).toBe(422);
    expect((await api("GET", "/v1/tracks/trending?limit=101")).status).toBe(422);
    expect((await api("GET", `/v1/tracks/trending?genre=${"x".repeat(101)}`)).status).toBe(422);
    const { response, roundTrips } = await withRoundTrips(new Request("https://veza.test/v1/tracks/trending?limit=5"));
    expect(response.status).toBe(200);
    expect(roundTrips).toBe(1);
  });
});
