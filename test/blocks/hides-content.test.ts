import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { insertId } from "../helpers/db";
import { makeTrack } from "../tracks/fixtures";

/** What `viewer` can see of `owner`'s profile, track, playlist and comment. */
async function seen(viewer: SignedInUser, owner: SignedInUser, made: { track: string; playlist: string; onTrack: string; commentText: string }) {
  const h = { headers: viewer.headers };
  const comments = await api("GET", `/v1/tracks/${made.onTrack}/comments`, h);
  return {
    profile: (await api("GET", `/v1/users/${owner.username}`, h)).status,
    statistics: (await api("GET", `/v1/users/${owner.username}/statistics`, h)).status,
    tracks: (await api("GET", `/v1/users/${owner.username}/tracks`, h)).status,
    playlists: (await api("GET", `/v1/users/${owner.username}/playlists`, h)).status,
    track: (await api("GET", `/v1/tracks/${made.track}`, h)).status,
    playlist: (await api("GET", `/v1/playlists/${made.playlist}`, h)).status,
    comment: JSON.stringify(comments.body).includes(made.commentText),
  };
}

describe("a block hides each side's content from the other", () => {
  it("hides profiles, statistics, tracks, playlists and comments both ways, and shows them again after unblocking", async () => {
    const [ana, ben, third] = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
    const neutralTrack = (await makeTrack(third.id)).id;
    const made = async (u: SignedInUser, text: string) => {
      const track = (await makeTrack(u.id)).id;
      const playlist = await insertId("playlists", { user_id: u.id, name: `Mix of ${u.username}`, visibility: "public" });
      expect((await api("POST", `/v1/tracks/${neutralTrack}/comments`, { headers: u.headers, body: { content: text } })).status).toBe(201);
      return { track, playlist, onTrack: neutralTrack, commentText: text };
    };
    const anas = await made(ana, "ana was here");
    const bens = await made(ben, "ben was here");
    const visible = { profile: 200, statistics: 200, tracks: 200, playlists: 200, track: 200, playlist: 200, comment: true };
    const hidden = { profile: 404, statistics: 404, tracks: 404, playlists: 404, track: 404, playlist: 404, comment: false };
    expect(await seen(ana, ben, bens)).toEqual(visible);

    expect((await api("PUT", `/v1/me/blocks/${ben.username}`, { headers: ana.headers })).status).toBeLessThan(300);
    expect(await seen(ana, ben, bens), "the blocker no longer sees the blocked").toEqual(hidden);
    expect(await seen(ben, ana, anas), "the blocked no longer sees the blocker").toEqual(hidden);
    expect(await seen(third, ana, anas), "others still see both").toEqual(visible);
    expect(await seen(third, ben, bens)).toEqual(visible);

    expect((await api("DELETE", `/v1/me/blocks/${ben.username}`, { headers: ana.headers })).status).toBeLessThan(300);
    expect(await seen(ana, ben, bens)).toEqual(visible);
    expect(await seen(ben, ana, anas)).toEqual(visible);
  });
});
