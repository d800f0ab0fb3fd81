import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { addCollaborator, counts, fill, makePlaylist, makeTrack, order } from "./fixtures";

describe("GET /v1/users/:username/playlists", () => {
  it("lists the public ones to others and all of them to the owner, newest first, by cursor", async () => {
    const owner = await signedInUser();
    const other = await signedInUser();
    const pub1 = await makePlaylist(owner);
    await makePlaylist(owner, { visibility: "unlisted" });
    const priv = await makePlaylist(owner, { visibility: "private" });
    const pub2 = await makePlaylist(owner);
    const seen = await api("GET", `/v1/users/${owner.username}/playlists`, { headers: other.headers });
    expect(seen.body.items.map((p: any) => p.id)).toEqual([pub2.id, pub1.id]);
    const first = await api("GET", `/v1/users/${owner.username}/playlists?limit=2`, { headers: owner.headers });
    expect(first.body.items.map((p: any) => p.id)).toEqual([pub2.id, priv.id]);
    const second = await api("GET", `/v1/users/${owner.username}/playlists?limit=2&cursor=${first.body.next_cursor}`, { headers: owner.headers });
    expect(second.body.items).toHaveLength(2);
    expect(second.body.next_cursor).toBeNull();
    expect((await api("GET", `/v1/users/nobody_${crypto.randomUUID().slice(0, 8)}/playlists`)).status).toBe(404);
    expect((await api("GET", `/v1/users/${owner.username}/playlists?cursor=nope`)).status).toBe(422);
    await sql.query("UPDATE user_profiles SET profile_visibility = 'private' WHERE user_id = $1", [owner.id]);
    expect((await api("GET", `/v1/users/${owner.username}/playlists`, { headers: other.headers })).status).toBe(404);
    expect((await api("GET", `/v1/users/${owner.username}/playlists`, { headers: owner.headers })).body.items).toHaveLength(4);
    const { roundTrips } = await withRoundTrips(new Request(`https://veza.test/v1/users/${owner.username}/playlists`, { headers: owner.headers }));
    expect(roundTrips).toBe(1);
  });
});

describe("GET /v1/me/playlists", () => {
  it("lists mine and those I collaborate on (accepted only) with my role, by cursor", async () => {
    const me = await signedInUser();
    const other = await signedInUser();
    const mine = await makePlaylist(me, { visibility: "private" });
    const shared = await makePlaylist(other, { visibility: "private" });
    const pendingOnly = await makePlaylist(other);
    await addCollaborator(other, shared.id, me, "admin");
    await api("POST", `/v1/playlists/${pendingOnly.id}/collaborators`, { headers: other.headers, body: { username: me.username } });
    const res = await api("GET", "/v1/me/playlists?limit=1", { headers: me.headers });
    expect(res.body.items.map((p: any) => [p.id, p.my_role])).toEqual([[shared.id, "admin"]]);
    const next = await api("GET", `/v1/me/playlists?limit=1&cursor=${res.body.next_cursor}`, { headers: me.headers });
    expect(next.body.items.map((p: any) => [p.id, p.my_role])).toEqual([[mine.id, "owner"]]);
    expect(next.body.next_cursor).toBeNull();
  });
});

describe("following", () => {
  it("follows and unfollows idempotently, keeps follower_count, refuses one's own, lists followed ones", async () => {
    const owner = await signedInUser();
    const fan = await signedInUser();
    const p = await makePlaylist(owner);
    const q = await makePlaylist(owner);
    expect((await api("PUT", `/v1/playlists/${p.id}/follow`, { headers: fan.headers })).body).toEqual({ following: true, follower_count: 1 });
    expect((await api("PUT", `/v1/playlists/${p.id}/follow`, { headers: fan.headers })).body).toEqual({ following: true, follower_count: 1 });
    await api("PUT", `/v1/playlists/${q.id}/follow`, { headers: fan.headers });
    expect((await counts(p.id)).follower_count).toBe(1);
    expect((await api("GET", `/v1/playlists/${p.id}`, { headers: fan.headers })).body).toMatchObject({ followed_by_me: true, follower_count: 1 });
    const followed = await api("GET", "/v1/me/followed-playlists", { headers: fan.headers });
    expect(followed.body.items.map((x: any) => x.id)).toEqual([q.id, p.id]);
    expect((await api("PUT", `/v1/playlists/${p.id}/follow`, { headers: owner.headers })).status).toBe(409);
    expect((await api("DELETE", `/v1/playlists/${p.id}/follow`, { headers: fan.headers })).body).toEqual({ following: false, follower_count: 0 });
    expect((await api("DELETE", `/v1/playlists/${p.id}/follow`, { headers: fan.headers })).body).toEqual({ following: false, follower_count: 0 });
    expect((await counts(p.id)).follower_count).toBe(0);
    // a followed playlist that turns private drops out of the list
    await api("PATCH", `/v1/playlists/${q.id}`, { headers: owner.headers, body: { visibility: "private" } });
    expect((await api("GET", "/v1/me/followed-playlists", { headers: fan.headers })).body.items).toEqual([]);
    expect((await api("PUT", `/v1/playlists/${q.id}/follow`, { headers: fan.headers })).status).toBe(404);
  });
});

describe("POST /v1/playlists/:id/duplicate", () => {
  it("copies the tracks the caller may see, in order, renumbered, into a private playlist of theirs", async () => {
    const owner = await signedInUser();
    const copier = await signedInUser();
    const p = await makePlaylist(owner, { description: "d" });
    const ids = await fill(p.id, owner.id, 4, 10_000);
    const priv = await makeTrack(owner.id, { visibility: "private" });
    await api("POST", `/v1/playlists/${p.id}/tracks`, { headers: owner.headers, body: { track_id: priv.id, position: 1 } });
    const res = await api("POST", `/v1/playlists/${p.id}/duplicate`, { headers: copier.headers, body: {} });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: `${p.name} (copy)`, description: "d", visibility: "private", owner: { id: copier.id }, my_role: "owner", track_count: 4, duration_seconds: 40 });
    expect(await order(res.body.id)).toEqual({ tracks: ids, positions: [0, 1, 2, 3] });
    expect(await counts(res.body.id)).toMatchObject({ track_count: 4, duration_seconds: 40 });
    const [row] = await sql.query("SELECT DISTINCT added_by FROM playlist_tracks WHERE playlist_id = $1", [res.body.id]);
    expect(row!.added_by).toBe(copier.id);
    const named = await api("POST", `/v1/playlists/${p.id}/duplicate`, { headers: owner.headers, body: { name: "Mine", visibility: "public" } });
    expect(named.body).toMatchObject({ name: "Mine", visibility: "public", track_count: 5 });
    const hidden = await makePlaylist(owner, { visibility: "private" });
    expect((await api("POST", `/v1/playlists/${hidden.id}/duplicate`, { headers: copier.headers, body: {} })).status).toBe(404);
  });
});
