import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signCover } from "../../src/domains/playlists/cover-signature";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { addCollaborator, banUser, call, fill, imageFile, makePlaylist, makeTrack, softDeleteUser } from "./fixtures";

const get = (id: string, headers: Record<string, string> = {}, query = "") => api("GET", `/v1/playlists/${id}${query}`, { headers });
const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]);

describe("POST /v1/playlists and GET /v1/playlists/:id", () => {
  it("creates a playlist and reads it back with its owner, counts, role and tracks in order", async () => {
    const owner = await signedInUser();
    const created = await makePlaylist(owner, { name: "  Late drives ", description: "For the road\nat night", visibility: "unlisted" });
    expect(created).toMatchObject({ name: "Late drives", description: "For the road\nat night", visibility: "unlisted", is_collaborative: false, track_count: 0, my_role: "owner" });
    const ids = await fill(created.id, owner.id, 3, 61_000);
    const res = await get(created.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: created.id,
      owner: { id: owner.id, username: owner.username },
      track_count: 3,
      duration_seconds: 183,
      follower_count: 0,
      my_role: null,
      followed_by_me: false,
      cover_url: null,
    });
    expect(res.body.tracks.offset).toBe(0);
    expect(res.body.tracks.items.map((i: any) => [i.position, i.track.id, i.added_by.id])).toEqual(ids.map((id, i) => [i, id, owner.id]));
    expect(res.body.tracks.items[0].track.stream.master_url).toBe(`/v1/tracks/${ids[0]}/hls/master.m3u8`);
  });

  it("pages the tracks by position and leaves out tracks the viewer may not see without renumbering the rest", async () => {
    const owner = await signedInUser();
    const other = await signedInUser();
    const p = await makePlaylist(owner);
    const ids = await fill(p.id, owner.id, 6);
    const priv = await makeTrack(owner.id, { visibility: "private" });
    await sql.query("INSERT INTO playlist_tracks (playlist_id, track_id, position, added_by) VALUES ($1, $2, 6, $3)", [p.id, priv.id, owner.id]);
    await sql.query("UPDATE tracks SET deleted_at = now() WHERE id = $1", [ids[1]]);
    const page = await get(p.id, other.headers, "?offset=0&limit=3");
    expect(page.body.tracks.items.map((i: any) => i.position)).toEqual([0, 2]);
    const rest = await get(p.id, other.headers, "?offset=3&limit=10");
    expect(rest.body.tracks.items.map((i: any) => i.track.id)).toEqual([ids[3], ids[4], ids[5]]);
    // the private track's creator sees it, with signed media URLs
    const mine = await get(p.id, owner.headers, "?offset=6&limit=1");
    expect(mine.body.tracks.items).toHaveLength(1);
    expect(mine.body.tracks.items[0].track.stream.master_url).toMatch(/\?exp=\d+&sig=/);
    // a banned creator's tracks disappear for everyone else
    const creator = await signedInUser();
    const theirs = await makeTrack(creator.id);
    await api("POST", `/v1/playlists/${p.id}/tracks`, { headers: owner.headers, body: { track_id: theirs.id } });
    await banUser(creator.id);
    expect((await get(p.id, other.headers, "?offset=7")).body.tracks.items).toEqual([]);
    expect((await get(p.id, {}, "?limit=501")).status).toBe(422);
  });

  it("answers the playlist with a page of up to 500 tracks in one round trip", async () => {
    const owner = await signedInUser();
    const p = await makePlaylist(owner);
    await fill(p.id, owner.id, 12);
    const { response, roundTrips } = await withRoundTrips(new Request(`https://veza.test/v1/playlists/${p.id}?limit=500`, { headers: owner.headers }));
    expect(response.status).toBe(200);
    expect(roundTrips).toBe(1);
  });

  it("shows a private playlist to its owner only (404 to others, as for an id nobody has)", async () => {
    const owner = await signedInUser();
    const other = await signedInUser();
    const p = await makePlaylist(owner, { visibility: "private" });
    expect((await get(p.id, owner.headers)).status).toBe(200);
    const hidden = await get(p.id, other.headers);
    expect(hidden.status).toBe(404);
    const missing = await get(crypto.randomUUID(), other.headers);
    expect({ ...hidden.body, requestId: null }).toEqual({ ...missing.body, requestId: null });
    expect((await get(p.id)).status).toBe(404);
  });

  it("is 404 once deleted, or when its owner is deleted or banned", async () => {
    const a = await signedInUser();
    const b = await signedInUser();
    const viewer = await signedInUser();
    const pa = await makePlaylist(a);
    const pb = await makePlaylist(b);
    await banUser(a.id);
    await softDeleteUser(b.id);
    expect((await get(pa.id, viewer.headers)).status).toBe(404);
    expect((await get(pb.id, viewer.headers)).status).toBe(404);
    const c = await signedInUser();
    const pc = await makePlaylist(c);
    expect((await api("DELETE", `/v1/playlists/${pc.id}`, { headers: c.headers })).status).toBe(204);
    expect((await get(pc.id, c.headers)).status).toBe(404);
    expect((await api("PATCH", `/v1/playlists/${pc.id}`, { headers: c.headers, body: { name: "back" } })).status).toBe(404);
    expect((await api("GET", `/v1/users/${c.username}/playlists`, { headers: c.headers })).body.items).toEqual([]);
  });

  it("validates input: names, control characters, unknown fields", async () => {
    const owner = await signedInUser();
    for (const body of [{ name: "" }, { name: "x".repeat(256) }, { name: "a\u0007b" }, { name: "ok", visibility: "secret" }, { name: "ok", extra: 1 }]) {
      const res = await api("POST", "/v1/playlists", { headers: owner.headers, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
    const p = await makePlaylist(owner);
    expect((await api("PATCH", `/v1/playlists/${p.id}`, { headers: owner.headers, body: {} })).status).toBe(422);
  });
});

describe("PATCH and DELETE /v1/playlists/:id", () => {
  it("lets the owner change everything; an admin collaborator name/description/cover but not visibility; others 403", async () => {
    const owner = await signedInUser();
    const admin = await signedInUser();
    const editor = await signedInUser();
    const stranger = await signedInUser();
    const p = await makePlaylist(owner);
    await addCollaborator(owner, p.id, admin, "admin");
    await addCollaborator(owner, p.id, editor, "edit");
    const patch = (who: typeof owner, body: object) => api("PATCH", `/v1/playlists/${p.id}`, { headers: who.headers, body });
    expect((await patch(admin, { name: "Renamed", description: null })).body).toMatchObject({ name: "Renamed", description: null, my_role: "admin" });
    const adminsImage = await imageFile(admin.id);
    expect((await patch(admin, { cover_file_id: adminsImage.id })).body.cover_url).toBe(`/v1/playlists/${p.id}/cover/${adminsImage.id}`);
    expect((await patch(editor, { cover_file_id: null })).status).toBe(403);
    expect((await patch(admin, { visibility: "private" })).status).toBe(403);
    expect((await patch(admin, { is_collaborative: false })).status).toBe(403);
    expect((await patch(editor, { name: "No" })).status).toBe(403);
    expect((await patch(stranger, { name: "No" })).status).toBe(403);
    expect((await api("DELETE", `/v1/playlists/${p.id}`, { headers: admin.headers })).status).toBe(403);
    expect((await patch(owner, { visibility: "private", is_collaborative: false })).body).toMatchObject({ visibility: "private", is_collaborative: false });
    // collaboration off: the admin can only view
    expect((await get(p.id, admin.headers)).body.my_role).toBe("view");
    expect((await patch(admin, { name: "Again" })).status).toBe(403);
    expect((await patch(stranger, { name: "No" })).status).toBe(404);
  });

  it("sets a cover from the caller's own images only and serves it, publicly cached for a public playlist", async () => {
    const owner = await signedInUser();
    const other = await signedInUser();
    const p = await makePlaylist(owner);
    const theirs = await imageFile(other.id);
    const notImage = await makeTrack(owner.id);
    const wrong = await api("PATCH", `/v1/playlists/${p.id}`, { headers: owner.headers, body: { cover_file_id: theirs.id } });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors).toEqual([{ path: "json.cover_file_id", message: "is not one of your files" }]);
    const audio = await api("PATCH", `/v1/playlists/${p.id}`, { headers: owner.headers, body: { cover_file_id: notImage.fileId } });
    expect(audio.body.errors[0].message).toBe("is audio/wav, not an image");
    const image = await imageFile(owner.id, png);
    const set = await api("PATCH", `/v1/playlists/${p.id}`, { headers: owner.headers, body: { cover_file_id: image.id } });
    expect(set.body.cover_url).toBe(`/v1/playlists/${p.id}/cover/${image.id}`);
    const [stored] = await sql.query("SELECT cover_url, cover_file_id FROM playlists WHERE id = $1", [p.id]);
    expect(stored).toEqual({ cover_url: set.body.cover_url, cover_file_id: image.id });
    const res = await call(set.body.cover_url);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(png);
    // a new cover: the old URL stops working
    const next = await imageFile(owner.id, png);
    await api("PATCH", `/v1/playlists/${p.id}`, { headers: owner.headers, body: { cover_file_id: next.id } });
    expect((await call(set.body.cover_url)).status).toBe(404);
    // deleting the file drops the cover
    await sql.query("DELETE FROM files WHERE id = $1", [next.id]);
    expect((await get(p.id)).body.cover_url).toBeNull();
    const [cleared] = await sql.query("SELECT cover_url, cover_file_id FROM playlists WHERE id = $1", [p.id]);
    expect(cleared).toEqual({ cover_url: null, cover_file_id: null });
  });

  it("signs a private playlist's cover for members; others get 404, forged or expired links 403", async () => {
    const owner = await signedInUser();
    const member = await signedInUser();
    const stranger = await signedInUser();
    const image = await imageFile(owner.id, png);
    const p = await makePlaylist(owner, { visibility: "private", cover_file_id: image.id });
    await addCollaborator(owner, p.id, member, "view");
    const seen = await get(p.id, member.headers);
    expect(seen.body.cover_url).toMatch(new RegExp(`^/v1/playlists/${p.id}/cover/${image.id}\\?exp=\\d+&sig=[\\w-]{43}$`));
    expect(seen.body.cover_expires_at).not.toBeNull();
    const signed = await call(seen.body.cover_url);
    expect(signed.status).toBe(200);
    expect(signed.headers.get("cache-control")).toBe("private, max-age=31536000, immutable");
    await signed.arrayBuffer();
    const path = `/v1/playlists/${p.id}/cover/${image.id}`;
    expect((await call(path)).status).toBe(404);
    expect((await call(path, { headers: stranger.headers })).status).toBe(404);
    const byToken = await call(path, { headers: member.headers });
    expect(byToken.status).toBe(200);
    await byToken.arrayBuffer();
    const old = await signCover(env.JWT_SECRET, p.id, Date.now() - 6 * 3600_000);
    expect((await call(`${path}?exp=${old.exp}&sig=${old.sig}`)).status).toBe(403);
    const other = await signCover(env.JWT_SECRET, crypto.randomUUID());
    expect((await call(`${path}?exp=${other.exp}&sig=${other.sig}`)).status).toBe(403);
  });
});
