import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { banUser, makeTrack, softDeleteUser } from "./fixtures";

const list = (username: string, query = "", headers: Record<string, string> = {}) => api("GET", `/v1/users/${username}/tracks${query}`, { headers });

/** Pages through the whole list; resolves to the ids in order. */
async function all(username: string, limit: number, headers: Record<string, string> = {}): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await list(username, `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, headers);
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    ids.push(...res.body.items.map((t: { id: string }) => t.id));
    cursor = res.body.next_cursor;
  } while (cursor);
  return ids;
}

/** A creator with one track of each kind, created a minute apart (newest last). */
async function creatorWithTracks(): Promise<{ owner: SignedInUser; ids: Record<string, string> }> {
  const owner = await signedInUser();
  const kinds = [
    ["public1", { visibility: "public" }],
    ["unlisted", { visibility: "unlisted" }],
    ["private", { visibility: "private" }],
    ["processing", { status: "processing" }],
    ["failed", { status: "failed" }],
    ["deleted", { deleted: true }],
    ["public2", { visibility: "public" }],
    ["public3", { visibility: "public" }],
  ] as const;
  const ids: Record<string, string> = {};
  const start = Date.now() - kinds.length * 60_000;
  for (const [i, [name, options]] of kinds.entries()) {
    ids[name] = (await makeTrack(owner.id, { ...options, createdAt: new Date(start + i * 60_000).toISOString() })).id;
  }
  return { owner, ids };
}

describe("GET /v1/users/:username/tracks", () => {
  it("shows others the public, ready tracks only, newest first", async () => {
    const { owner, ids } = await creatorWithTracks();
    const other = await signedInUser();
    for (const headers of [{}, other.headers]) {
      const res = await list(owner.username, "", headers);
      expect(res.status).toBe(200);
      expect(res.body.items.map((t: { id: string }) => t.id)).toEqual([ids.public3, ids.public2, ids.public1]);
      expect(res.body.next_cursor).toBeNull();
      expect(res.body.items[0]).not.toHaveProperty("waveform");
      expect(res.body.items[0]).toMatchObject({ creator: { username: owner.username }, status: "ready", stream: { master_url: `/v1/tracks/${ids.public3}/hls/master.m3u8` } });
    }
  });

  it("shows the owner everything live: private, unlisted, processing and failed (newest first), with signed URLs for private ones", async () => {
    const { owner, ids } = await creatorWithTracks();
    const res = await list(owner.username.toUpperCase(), "", owner.headers);
    expect(res.status).toBe(200);
    expect(res.body.items.map((t: { id: string }) => t.id)).toEqual([ids.public3, ids.public2, ids.failed, ids.processing, ids.private, ids.unlisted, ids.public1]);
    const priv = res.body.items.find((t: { id: string }) => t.id === ids.private);
    expect(priv.stream.master_url).toMatch(/\?exp=\d+&sig=/);
    expect(res.body.items.find((t: { id: string }) => t.id === ids.failed).processing.error).toContain("truncated");
  });

  it("pages by cursor without gaps or repeats, also when tracks share a creation time", async () => {
    const { owner, ids } = await creatorWithTracks();
    const same = new Date(Date.now() - 3600_000).toISOString();
    const twins = [await makeTrack(owner.id, { createdAt: same }), await makeTrack(owner.id, { createdAt: same }), await makeTrack(owner.id, { createdAt: same })];
    // an hour ago: older than every track of creatorWithTracks; among themselves by id, descending
    const expected = [ids.public3, ids.public2, ids.public1, ...twins.map((t) => t.id).sort().reverse()];
    expect(await all(owner.username, 2)).toEqual(expected);
    expect(await all(owner.username, 1)).toEqual(expected);
    expect((await all(owner.username, 3, owner.headers)).length).toBe(10);
  });

  it("validates limit and cursor (422)", async () => {
    const { owner } = await creatorWithTracks();
    for (const query of ["?limit=0", "?limit=101", "?limit=x", "?cursor=garbage", `?cursor=${btoa(JSON.stringify(["yesterday", "x"]))}`]) {
      expect((await list(owner.username, query)).status, query).toBe(422);
    }
  });

  it("is 404 for unknown, deleted and banned users and, to others, for a private profile; [] for a user without tracks", async () => {
    const nobody = await signedInUser();
    expect((await list(nobody.username)).body).toEqual({ items: [], next_cursor: null });
    expect((await list("no_such_user_xyz")).status).toBe(404);
    const hidden = await signedInUser();
    await makeTrack(hidden.id);
    await sql.query("UPDATE user_profiles SET profile_visibility = 'private' WHERE user_id = $1", [hidden.id]);
    expect((await list(hidden.username)).status).toBe(404);
    expect((await list(hidden.username, "", hidden.headers)).body.items).toHaveLength(1);
    const banned = await signedInUser();
    await makeTrack(banned.id);
    await banUser(banned.id);
    expect((await list(banned.username)).status).toBe(404);
    const deleted = await signedInUser();
    await makeTrack(deleted.id);
    await softDeleteUser(deleted.id);
    expect((await list(deleted.username)).status).toBe(404);
  });

  it("lists in one database round trip", async () => {
    const { owner } = await creatorWithTracks();
    expect((await list(owner.username, "", owner.headers)).status).toBe(200); // warms the auth state cache
    for (const headers of [{}, owner.headers]) {
      const { response, roundTrips } = await withRoundTrips(new Request(`https://veza.test/v1/users/${owner.username}/tracks?limit=2`, { headers }));
      expect(response.status).toBe(200);
      expect(roundTrips).toBe(1);
    }
  });
});
