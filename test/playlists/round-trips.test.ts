import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { withRoundTrips } from "../helpers/round-trips";
import { fill, imageFile, makePlaylist, makeTrack } from "./fixtures";

/**
 * DESIGN §8: one round trip per read, at most two per write. The users' auth state is cached by
 * their earlier requests (as at the edge), so these are the endpoints' own statements; a cold
 * cache adds the auth lookup (bench/playlists.ts measures that case: 2 for a track edit).
 */
describe("database round trips of the playlist routes", () => {
  it("is one for every read and every write", async () => {
    const owner = await signedInUser();
    const guest = await signedInUser();
    const p = await makePlaylist(owner);
    const ids = await fill(p.id, owner.id, 3);
    const t = await makeTrack(owner.id);
    const image = await imageFile(owner.id, Uint8Array.from([1, 2, 3]));
    await api("GET", "/v1/me/playlists", { headers: guest.headers }); // warms the guest's auth state
    const cases: [string, string, Record<string, string>, object?][] = [
      ["POST", "/v1/playlists", owner.headers, { name: "rt" }],
      ["GET", `/v1/playlists/${p.id}`, {}],
      ["GET", `/v1/playlists/${p.id}?limit=500`, owner.headers],
      ["PATCH", `/v1/playlists/${p.id}`, owner.headers, { name: "rt2", cover_file_id: image.id }],
      ["GET", `/v1/playlists/${p.id}/cover/${image.id}`, {}],
      ["POST", `/v1/playlists/${p.id}/tracks`, owner.headers, { track_id: t.id, position: 0 }],
      ["PATCH", `/v1/playlists/${p.id}/tracks/${ids[0]}`, owner.headers, { position: 3 }],
      ["DELETE", `/v1/playlists/${p.id}/tracks/${ids[1]}`, owner.headers],
      ["POST", `/v1/playlists/${p.id}/duplicate`, guest.headers, {}],
      ["PUT", `/v1/playlists/${p.id}/follow`, guest.headers],
      ["DELETE", `/v1/playlists/${p.id}/follow`, guest.headers],
      ["GET", `/v1/users/${owner.username}/playlists`, {}],
      ["GET", "/v1/me/playlists", owner.headers],
      ["GET", "/v1/me/followed-playlists", guest.headers],
      ["POST", `/v1/playlists/${p.id}/collaborators`, owner.headers, { username: guest.username, permission: "edit" }],
      ["GET", "/v1/me/playlist-invitations", guest.headers],
      ["POST", `/v1/me/playlist-invitations/${p.id}/accept`, guest.headers],
      ["GET", `/v1/playlists/${p.id}/collaborators`, guest.headers],
      ["PATCH", `/v1/playlists/${p.id}/collaborators/${guest.id}`, owner.headers, { permission: "view" }],
      ["DELETE", `/v1/playlists/${p.id}/collaborators/${guest.id}`, guest.headers],
      ["DELETE", `/v1/playlists/${p.id}`, owner.headers],
    ];
    for (const [method, path, headers, body] of cases) {
      const request = new Request(`https://veza.test${path}`, {
        method,
        headers: { ...headers, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const { response, roundTrips } = await withRoundTrips(request);
      expect(response.status, `${method} ${path}: ${response.status === 200 ? "" : await response.clone().text()}`).toBeLessThan(300);
      await response.arrayBuffer();
      expect(roundTrips, `${method} ${path}`).toBe(1);
    }
  });
});
