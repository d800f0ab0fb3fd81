import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { expectSignedInOnly, send } from "../helpers/authorisation";
import { addCollaborator, banUser, fill, makePlaylist, makeTrack, softDeleteUser } from "./fixtures";

/**
 * Every route that needs a user, as anonymous (401), a banned account (403) and a deleted one
 * (401); and as another signed-in user: 404 on a private playlist, 403 on a visible one that is
 * not theirs to change.
 */
async function routes() {
  const owner = await signedInUser();
  const collaborator = await signedInUser();
  const pub = await makePlaylist(owner);
  const priv = await makePlaylist(owner, { visibility: "private" });
  const [t0] = await fill(pub.id, owner.id, 2);
  const [p0] = await fill(priv.id, owner.id, 2);
  const extra = await makeTrack(owner.id);
  await addCollaborator(owner, pub.id, collaborator, "view");
  await addCollaborator(owner, priv.id, collaborator, "view");
  const on = (p: { id: string }, t: string) => [
    ["PATCH", `/v1/playlists/${p.id}`, { name: "x" }],
    ["DELETE", `/v1/playlists/${p.id}`],
    ["POST", `/v1/playlists/${p.id}/tracks`, { track_id: extra.id }],
    ["PATCH", `/v1/playlists/${p.id}/tracks/${t}`, { position: 1 }],
    ["DELETE", `/v1/playlists/${p.id}/tracks/${t}`],
    ["POST", `/v1/playlists/${p.id}/collaborators`, { username: owner.username }],
    ["PATCH", `/v1/playlists/${p.id}/collaborators/${collaborator.id}`, { permission: "edit" }],
    ["DELETE", `/v1/playlists/${p.id}/collaborators/${collaborator.id}`],
  ] as [string, string, object?][];
  const member = (p: { id: string }) => [
    ["GET", `/v1/playlists/${p.id}/collaborators`],
  ] as [string, string, object?][];
  const anyone = (p: { id: string }) => [
    ["POST", `/v1/playlists/${p.id}/duplicate`, {}],
    ["PUT", `/v1/playlists/${p.id}/follow`],
    ["DELETE", `/v1/playlists/${p.id}/follow`],
  ] as [string, string, object?][];
  const mine = [
    ["POST", "/v1/playlists", { name: "x" }],
    ["GET", "/v1/me/playlists"],
    ["GET", "/v1/me/followed-playlists"],
    ["GET", "/v1/me/playlist-invitations"],
    ["POST", `/v1/me/playlist-invitations/${pub.id}/accept`],
    ["POST", `/v1/me/playlist-invitations/${pub.id}/decline`],
  ] as [string, string, object?][];
  return { owner, pub, priv, t0: t0!, p0: p0!, on, member, anyone, mine };
}

describe("authorisation of the playlist routes", () => {
  it("answers 401 to anonymous requests, 403 to a banned account and 401 to a deleted one on every signed-in route", async () => {
    const r = await routes();
    const all = [...r.on(r.pub, r.t0), ...r.member(r.pub), ...r.anyone(r.pub), ...r.mine, ...r.on(r.priv, r.p0)];
    await expectSignedInOnly(all);
  });

  it("answers another user 404 on a private playlist and 403 on changes to a visible one", async () => {
    const r = await routes();
    const other = await signedInUser();
    for (const route of [...r.on(r.priv, r.p0), ...r.member(r.priv), ...r.anyone(r.priv)]) {
      expect((await send(other, route)).status, `${route[0]} ${route[1]}`).toBe(404);
    }
    for (const route of [...r.on(r.pub, r.t0), ...r.member(r.pub)]) {
      expect((await send(other, route)).status, `${route[0]} ${route[1]}`).toBe(403);
    }
    // invitations they do not have
    expect((await send(other, ["POST", `/v1/me/playlist-invitations/${r.pub.id}/accept`])).status).toBe(404);
    // the cover and the playlist itself, anonymously
    expect((await api("GET", `/v1/playlists/${r.priv.id}`)).status).toBe(404);
    expect((await api("GET", `/v1/playlists/${r.pub.id}`)).status).toBe(200);
  });

  it("answers a token of a banned or deleted account on the public reads with 403/401, not anonymously", async () => {
    const r = await routes();
    const banned = await signedInUser();
    const deleted = await signedInUser();
    await banUser(banned.id);
    await softDeleteUser(deleted.id);
    for (const path of [`/v1/playlists/${r.pub.id}`, `/v1/users/${r.owner.username}/playlists`]) {
      expect((await api("GET", path, { headers: banned.headers })).status).toBe(403);
      expect((await api("GET", path, { headers: deleted.headers })).status).toBe(401);
    }
  });
});
