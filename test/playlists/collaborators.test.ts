import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { addCollaborator, fill, makePlaylist, makeTrack, order } from "./fixtures";

const invite = (h: Record<string, string>, id: string, body: object) => api("POST", `/v1/playlists/${id}/collaborators`, { headers: h, body });
const respond = (h: Record<string, string>, id: string, answer: "accept" | "decline") => api("POST", `/v1/me/playlist-invitations/${id}/${answer}`, { headers: h });

describe("a private collaborative playlist", () => {
  it("is invisible to non-members, editable by editors, read-only to viewers, and hidden from a pending invitee until they accept", async () => {
    const owner = await signedInUser();
    const editor = await signedInUser();
    const viewer = await signedInUser();
    const invitee = await signedInUser();
    const stranger = await signedInUser();
    const p = await makePlaylist(owner, { visibility: "private" });
    const ids = await fill(p.id, owner.id, 3);
    await addCollaborator(owner, p.id, editor, "edit");
    await addCollaborator(owner, p.id, viewer, "view");
    expect((await invite(owner.headers, p.id, { username: invitee.username, permission: "edit" })).status).toBe(201);
    const [flag] = await sql.query("SELECT is_collaborative FROM playlists WHERE id = $1", [p.id]);
    expect(flag!.is_collaborative).toBe(true);

    // non-members and the pending invitee: 404, and not listed
    for (const who of [stranger, invitee]) {
      expect((await api("GET", `/v1/playlists/${p.id}`, { headers: who.headers })).status).toBe(404);
      expect((await api("POST", `/v1/playlists/${p.id}/tracks`, { headers: who.headers, body: { track_id: ids[0] } })).status).toBe(404);
      expect((await api("GET", `/v1/users/${owner.username}/playlists`, { headers: who.headers })).body.items).toEqual([]);
      expect((await api("GET", "/v1/me/playlists", { headers: who.headers })).body.items).toEqual([]);
    }
    expect((await api("GET", `/v1/playlists/${p.id}`)).status).toBe(404);
    // ...but the invitation names the playlist and its owner
    const invitations = await api("GET", "/v1/me/playlist-invitations", { headers: invitee.headers });
    expect(invitations.body.items).toEqual([
      expect.objectContaining({ playlist: { id: p.id, name: p.name, owner: { id: owner.id, username: owner.username } }, permission: "edit" }),
    ]);

    // the editor adds, moves and removes
    const t = await makeTrack(editor.id);
    expect((await api("GET", `/v1/playlists/${p.id}`, { headers: editor.headers })).body.my_role).toBe("edit");
    expect((await api("POST", `/v1/playlists/${p.id}/tracks`, { headers: editor.headers, body: { track_id: t.id, position: 0 } })).status).toBe(201);
    expect((await api("PATCH", `/v1/playlists/${p.id}/tracks/${ids[2]}`, { headers: editor.headers, body: { position: 0 } })).status).toBe(200);
    expect((await api("DELETE", `/v1/playlists/${p.id}/tracks/${ids[0]}`, { headers: editor.headers })).status).toBe(204);
    expect((await order(p.id)).tracks).toEqual([ids[2], t.id, ids[1]]);
    const page = await api("GET", `/v1/playlists/${p.id}`, { headers: owner.headers });
    expect(page.body.tracks.items[1].added_by).toEqual({ id: editor.id, username: editor.username });

    // the viewer sees it and may not edit
    expect((await api("GET", `/v1/playlists/${p.id}`, { headers: viewer.headers })).body.my_role).toBe("view");
    expect((await api("POST", `/v1/playlists/${p.id}/tracks`, { headers: viewer.headers, body: { track_id: ids[0] } })).status).toBe(403);
    expect((await api("PATCH", `/v1/playlists/${p.id}/tracks/${ids[1]}`, { headers: viewer.headers, body: { position: 0 } })).status).toBe(403);
    expect((await api("DELETE", `/v1/playlists/${p.id}/tracks/${ids[1]}`, { headers: viewer.headers })).status).toBe(403);

    // the invitee accepts and sees it
    expect((await respond(invitee.headers, p.id, "accept")).body).toMatchObject({ status: "accepted", permission: "edit" });
    expect((await api("GET", `/v1/playlists/${p.id}`, { headers: invitee.headers })).status).toBe(200);
    const mine = await api("GET", "/v1/me/playlists", { headers: invitee.headers });
    expect(mine.body.items.map((x: any) => [x.id, x.my_role])).toEqual([[p.id, "edit"]]);

    // collaboration off: editors can only view
    await api("PATCH", `/v1/playlists/${p.id}`, { headers: owner.headers, body: { is_collaborative: false } });
    expect((await api("POST", `/v1/playlists/${p.id}/tracks`, { headers: editor.headers, body: { track_id: ids[0] } })).status).toBe(403);
    expect((await api("GET", `/v1/playlists/${p.id}`, { headers: editor.headers })).body.my_role).toBe("view");
  });
});

describe("invitations", () => {
  it("expire after 7 days by default, at most 30; an expired one cannot be accepted (410) and is not listed", async () => {
    const owner = await signedInUser();
    const u = await signedInUser();
    const p = await makePlaylist(owner);
    const res = await invite(owner.headers, p.id, { username: u.username, permission: "view" });
    const days = (Date.parse(res.body.expires_at) - Date.parse(res.body.invited_at)) / 86_400_000;
    expect(days).toBeCloseTo(7, 3);
    expect((await invite(owner.headers, p.id, { username: u.username, expires_in_days: 31 })).status).toBe(422);
    const again = await invite(owner.headers, p.id, { username: u.username, expires_in_days: 30 });
    expect((Date.parse(again.body.expires_at) - Date.parse(again.body.invited_at)) / 86_400_000).toBeCloseTo(30, 3);
    await sql.query("UPDATE playlist_collaborators SET invited_at = now() - interval '31 days', expires_at = now() - interval '1 day' WHERE playlist_id = $1", [p.id]);
    expect((await api("GET", "/v1/me/playlist-invitations", { headers: u.headers })).body.items).toEqual([]);
    expect((await respond(u.headers, p.id, "accept")).status).toBe(410);
  });

  it("can be declined, and re-inviting someone who declined makes it pending again", async () => {
    const owner = await signedInUser();
    const u = await signedInUser();
    const p = await makePlaylist(owner, { visibility: "private" });
    await invite(owner.headers, p.id, { username: u.username, permission: "edit" });
    expect((await respond(u.headers, p.id, "decline")).body.status).toBe("declined");
    expect((await respond(u.headers, p.id, "accept")).status).toBe(404);
    expect((await api("GET", `/v1/playlists/${p.id}`, { headers: u.headers })).status).toBe(404);
    const re = await invite(owner.headers, p.id, { username: u.username, permission: "admin" });
    expect(re.body).toMatchObject({ status: "pending", permission: "admin", accepted_at: null });
    expect((await respond(u.headers, p.id, "accept")).body.status).toBe("accepted");
    expect((await respond(u.headers, p.id, "accept")).status).toBe(200);
    expect((await respond(u.headers, p.id, "decline")).status).toBe(409);
    expect((await invite(owner.headers, p.id, { username: u.username, permission: "view" })).status).toBe(409);
  });

  it("refuses unknown users, the owner, and anyone but the owner or an admin inviting", async () => {
    const owner = await signedInUser();
    const editor = await signedInUser();
    const admin = await signedInUser();
    const u = await signedInUser();
    const p = await makePlaylist(owner);
    await addCollaborator(owner, p.id, editor, "edit");
    await addCollaborator(owner, p.id, admin, "admin");
    expect((await invite(owner.headers, p.id, { username: "nobody_" + crypto.randomUUID().slice(0, 8) })).status).toBe(422);
    expect((await invite(admin.headers, p.id, { username: owner.username })).body.errors[0].message).toBe("is the playlist's owner");
    expect((await invite(editor.headers, p.id, { username: u.username })).status).toBe(403);
    expect((await invite(admin.headers, p.id, { username: u.username, permission: "view" })).body.invited_by).toEqual({ id: admin.id, username: admin.username });
  });
});

describe("managing collaborators", () => {
  it("lists collaborators to members (pending ones to owner and admins only), 403 to other viewers, 404 to strangers of a private one", async () => {
    const owner = await signedInUser();
    const viewer = await signedInUser();
    const pending = await signedInUser();
    const stranger = await signedInUser();
    const p = await makePlaylist(owner);
    await addCollaborator(owner, p.id, viewer, "view");
    await invite(owner.headers, p.id, { username: pending.username });
    const all = await api("GET", `/v1/playlists/${p.id}/collaborators`, { headers: owner.headers });
    expect(all.body.items.map((c: any) => [c.user.id, c.status])).toEqual([[viewer.id, "accepted"], [pending.id, "pending"]]);
    const seen = await api("GET", `/v1/playlists/${p.id}/collaborators`, { headers: viewer.headers });
    expect(seen.body.items.map((c: any) => c.user.id)).toEqual([viewer.id]);
    expect((await api("GET", `/v1/playlists/${p.id}/collaborators`, { headers: stranger.headers })).status).toBe(403);
    await api("PATCH", `/v1/playlists/${p.id}`, { headers: owner.headers, body: { visibility: "private" } });
    expect((await api("GET", `/v1/playlists/${p.id}/collaborators`, { headers: stranger.headers })).status).toBe(404);
  });

  it("lets the owner or an admin change a permission (edit makes it collaborative) and remove someone; a collaborator may leave", async () => {
    const owner = await signedInUser();
    const admin = await signedInUser();
    const a = await signedInUser();
    const b = await signedInUser();
    const p = await makePlaylist(owner);
    await addCollaborator(owner, p.id, a, "view");
    await addCollaborator(owner, p.id, b, "view");
    const [before] = await sql.query("SELECT is_collaborative FROM playlists WHERE id = $1", [p.id]);
    expect(before!.is_collaborative).toBe(false);
    const path = (u: { id: string }) => `/v1/playlists/${p.id}/collaborators/${u.id}`;
    expect((await api("PATCH", path(a), { headers: b.headers, body: { permission: "edit" } })).status).toBe(403);
    expect((await api("PATCH", path(a), { headers: owner.headers, body: { permission: "edit" } })).body.permission).toBe("edit");
    const [after] = await sql.query("SELECT is_collaborative FROM playlists WHERE id = $1", [p.id]);
    expect(after!.is_collaborative).toBe(true);
    await addCollaborator(owner, p.id, admin, "admin");
    expect((await api("DELETE", path(a), { headers: b.headers })).status).toBe(403);
    expect((await api("DELETE", path(a), { headers: admin.headers })).status).toBe(204);
    expect((await api("DELETE", path(b), { headers: b.headers })).status).toBe(204);
    expect((await api("DELETE", path(b), { headers: owner.headers })).status).toBe(404);
    expect((await api("PATCH", path(b), { headers: owner.headers, body: { permission: "admin" } })).status).toBe(404);
    const left = await api("GET", `/v1/playlists/${p.id}/collaborators`, { headers: owner.headers });
    expect(left.body.items.map((c: any) => c.user.id)).toEqual([admin.id]);
  });
});
