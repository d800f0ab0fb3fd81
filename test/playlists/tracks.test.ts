import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { addCollaborator, counts, fill, makePlaylist, makeTrack, order } from "./fixtures";

const add = (h: Record<string, string>, id: string, body: object) => api("POST", `/v1/playlists/${id}/tracks`, { headers: h, body });
const move = (h: Record<string, string>, id: string, trackId: string, position: number) =>
  api("PATCH", `/v1/playlists/${id}/tracks/${trackId}`, { headers: h, body: { position } });
const remove = (h: Record<string, string>, id: string, trackId: string) => api("DELETE", `/v1/playlists/${id}/tracks/${trackId}`, { headers: h });

/** Positions are exactly 0..n-1, each track once. */
async function expectPermutation(playlistId: string, expectedTracks?: string[]) {
  const { tracks, positions } = await order(playlistId);
  expect(positions).toEqual(tracks.map((_, i) => i));
  expect(new Set(tracks).size).toBe(tracks.length);
  if (expectedTracks) expect([...tracks].sort()).toEqual([...expectedTracks].sort());
  expect((await counts(playlistId)).track_count).toBe(tracks.length);
}

describe("adding, moving and removing tracks", () => {
  it("appends, inserts at a position (clamped to the end), and records who added", async () => {
    const owner = await signedInUser();
    const p = await makePlaylist(owner);
    const [a, b, c, d] = await Promise.all([0, 1, 2, 3].map(() => makeTrack(owner.id, { durationMs: 30_000 })));
    expect((await add(owner.headers, p.id, { track_id: a!.id })).body).toEqual({ track_id: a!.id, position: 0, track_count: 1, duration_seconds: 30 });
    expect((await add(owner.headers, p.id, { track_id: b!.id })).body.position).toBe(1);
    expect((await add(owner.headers, p.id, { track_id: c!.id, position: 0 })).body.position).toBe(0);
    expect((await add(owner.headers, p.id, { track_id: d!.id, position: 99 })).body).toMatchObject({ position: 3, track_count: 4, duration_seconds: 120 });
    expect((await order(p.id)).tracks).toEqual([c!.id, a!.id, b!.id, d!.id]);
    const [row] = await sql.query("SELECT added_by FROM playlist_tracks WHERE playlist_id = $1 AND track_id = $2", [p.id, a!.id]);
    expect(row!.added_by).toBe(owner.id);
  });

  it("refuses a track twice (409), a track the adder may not see (422), and a full playlist (409)", async () => {
    const owner = await signedInUser();
    const other = await signedInUser();
    const p = await makePlaylist(owner);
    const t = await makeTrack(owner.id);
    await add(owner.headers, p.id, { track_id: t.id });
    const again = await add(owner.headers, p.id, { track_id: t.id });
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/already in the playlist/);
    const theirs = await makeTrack(other.id, { visibility: "private" });
    const hidden = await add(owner.headers, p.id, { track_id: theirs.id });
    expect(hidden.status).toBe(422);
    expect(hidden.body.errors[0].path).toBe("json.track_id");
    const deleted = await makeTrack(owner.id, { deleted: true });
    expect((await add(owner.headers, p.id, { track_id: deleted.id })).status).toBe(422);
    // its own creator may add a private track
    const mine = await makeTrack(owner.id, { visibility: "private" });
    expect((await add(owner.headers, p.id, { track_id: mine.id })).status).toBe(201);
    // full: 5 000 tracks, each with a file of its own (one live track per file)
    const full = await makePlaylist(owner);
    await sql.query(
      `WITH fs AS (
         INSERT INTO files (user_id, filename, original_filename, mime_type, file_size, storage_path, url)
         SELECT $1, 'b' || g, 'b.wav', 'audio/wav', 1, 'bulk/' || $2 || '/' || g, '/x' FROM generate_series(1, 5000) g RETURNING id
       ), ts AS (
         INSERT INTO tracks (creator_id, file_id, title, status) SELECT $1, id, 'bulk', 'pending' FROM fs RETURNING id
       )
       INSERT INTO playlist_tracks (playlist_id, track_id, position) SELECT $2::uuid, id, (row_number() OVER () - 1)::int FROM ts`,
      [owner.id, full.id],
    );
    const tooMany = await add(owner.headers, full.id, { track_id: t.id });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.detail).toMatch(/at most 5000 tracks/);
  });

  it("moves a track up or down and shifts the tracks between by one", async () => {
    const owner = await signedInUser();
    const p = await makePlaylist(owner);
    const ids = await fill(p.id, owner.id, 5);
    expect((await move(owner.headers, p.id, ids[0]!, 3)).body).toMatchObject({ track_id: ids[0], position: 3, track_count: 5 });
    expect((await order(p.id)).tracks).toEqual([ids[1], ids[2], ids[3], ids[0], ids[4]]);
    await move(owner.headers, p.id, ids[4]!, 0);
    expect((await order(p.id)).tracks).toEqual([ids[4], ids[1], ids[2], ids[3], ids[0]]);
    expect((await move(owner.headers, p.id, ids[1]!, 100)).body.position).toBe(4);
    expect((await order(p.id)).tracks).toEqual([ids[4], ids[2], ids[3], ids[0], ids[1]]);
    expect((await move(owner.headers, p.id, ids[2]!, 1)).status).toBe(200);
    await expectPermutation(p.id);
    expect((await move(owner.headers, p.id, crypto.randomUUID(), 1)).status).toBe(404);
    expect((await move(owner.headers, p.id, ids[2]!, -1)).status).toBe(422);
  });

  it("removes a track and closes the gap; removing it again is 404", async () => {
    const owner = await signedInUser();
    const p = await makePlaylist(owner);
    const ids = await fill(p.id, owner.id, 4, 10_000);
    expect((await remove(owner.headers, p.id, ids[1]!)).status).toBe(204);
    expect(await order(p.id)).toEqual({ tracks: [ids[0], ids[2], ids[3]], positions: [0, 1, 2] });
    expect(await counts(p.id)).toMatchObject({ track_count: 3, duration_seconds: 30 });
    expect((await remove(owner.headers, p.id, ids[1]!)).status).toBe(404);
  });

  it("keeps track_count and duration_seconds right through adds, removals, track deletion and duration changes", async () => {
    const owner = await signedInUser();
    const p = await makePlaylist(owner);
    const [a, b, c] = await Promise.all([10_000, 20_000, 40_000].map((durationMs) => makeTrack(owner.id, { durationMs })));
    for (const t of [a, b, c]) await add(owner.headers, p.id, { track_id: t!.id });
    expect(await counts(p.id)).toMatchObject({ track_count: 3, duration_seconds: 70 });
    await sql.query("UPDATE tracks SET duration = 25 WHERE id = $1", [b!.id]);
    expect(await counts(p.id)).toMatchObject({ track_count: 3, duration_seconds: 75 });
    await sql.query("DELETE FROM tracks WHERE id = $1", [a!.id]);
    expect(await counts(p.id)).toMatchObject({ track_count: 2, duration_seconds: 65 });
    await expectPermutation(p.id, [b!.id, c!.id]);
    await remove(owner.headers, p.id, c!.id);
    expect(await counts(p.id)).toMatchObject({ track_count: 1, duration_seconds: 25 });
  });

  it("costs one round trip per add, move and remove", async () => {
    const owner = await signedInUser();
    const p = await makePlaylist(owner);
    const ids = await fill(p.id, owner.id, 3);
    const t = await makeTrack(owner.id);
    const req = (method: string, path: string, body?: object) =>
      new Request(`https://veza.test${path}`, { method, headers: { ...owner.headers, "content-type": "application/json" }, body: body ? JSON.stringify(body) : undefined });
    const added = await withRoundTrips(req("POST", `/v1/playlists/${p.id}/tracks`, { track_id: t.id, position: 1 }));
    expect(added.response.status).toBe(201);
    expect(added.roundTrips).toBe(1);
    const moved = await withRoundTrips(req("PATCH", `/v1/playlists/${p.id}/tracks/${ids[0]}`, { position: 3 }));
    expect(moved.response.status).toBe(200);
    expect(moved.roundTrips).toBe(1);
    const removed = await withRoundTrips(req("DELETE", `/v1/playlists/${p.id}/tracks/${ids[1]}`));
    expect(removed.response.status).toBe(204);
    expect(removed.roundTrips).toBe(1);
    await expectPermutation(p.id);
  });
});

describe("concurrent edits", () => {
  it("keeps positions a permutation under ~30 concurrent moves", async () => {
    const owner = await signedInUser();
    const p = await makePlaylist(owner);
    const ids = await fill(p.id, owner.id, 20);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => move(owner.headers, p.id, ids[(i * 7) % 20]!, (i * 13) % 20)),
    );
    // serialised by the playlist's row lock, every move succeeds (none needs the 409 "retry")
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
    await expectPermutation(p.id, ids);
  });

  it("keeps positions a permutation under concurrent adds, removes and moves mixed", async () => {
    const owner = await signedInUser();
    const p = await makePlaylist(owner);
    const ids = await fill(p.id, owner.id, 20);
    const extra = await Promise.all(Array.from({ length: 10 }, () => makeTrack(owner.id)));
    const ops = [
      ...extra.map((t, i) => add(owner.headers, p.id, i % 2 ? { track_id: t.id } : { track_id: t.id, position: i })),
      ...ids.slice(0, 8).map((id) => remove(owner.headers, p.id, id)),
      ...ids.slice(8).map((id, i) => move(owner.headers, p.id, id, (i * 5) % 22)),
    ];
    const results = await Promise.all(ops);
    expect(results.map((r) => r.status)).toEqual([...extra.map(() => 201), ...ids.slice(0, 8).map(() => 204), ...ids.slice(8).map(() => 200)]);
    await expectPermutation(p.id, [...ids.slice(8), ...extra.map((t) => t.id)]);
  });
});
