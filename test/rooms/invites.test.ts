import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { membershipRow, memberOf, staffedRoom } from "./fixtures";

const invite = (roomId: string, headers: Record<string, string>, username: string) => api("POST", `/v1/rooms/${roomId}/invites`, { headers, body: { username } });
const myInvites = async (headers: Record<string, string>) => (await api("GET", "/v1/me/room-invites", { headers })).body.items as Array<{ id: string; room: { id: string } }>;

describe("room invitations", () => {
  it("lets members who may invite bring someone into a private room, who sees it and accepts", async () => {
    const { room, moderator } = await staffedRoom({ room_type: "private", password: "invited-skip" });
    const guest = await signedInUser();
    const sent = await invite(room.id, moderator.headers, guest.username.toUpperCase());
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ room: { id: room.id, room_type: "private", has_password: true }, inviter: { id: moderator.id }, invitee: { id: guest.id }, status: "pending" });
    expect(new Date(sent.body.expires_at).getTime()).toBeGreaterThan(Date.now() + 6 * 86400_000);
    expect((await myInvites(guest.headers)).map((i) => i.id)).toEqual([sent.body.id]);
    const accepted = await api("POST", `/v1/me/room-invites/${sent.body.id}/accept`, { headers: guest.headers });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ room_id: room.id, joined: true, membership: { role: "member" } });
    expect((await membershipRow(room.id, guest.id))!.invited_by).toBe(moderator.id);
    const [row] = await sql.query("SELECT status, responded_at FROM room_invites WHERE id = $1", [sent.body.id]);
    expect(row).toMatchObject({ status: "accepted" });
    expect(await myInvites(guest.headers)).toEqual([]);
    expect((await api("POST", `/v1/me/room-invites/${sent.body.id}/accept`, { headers: guest.headers })).body.joined).toBe(false);
  });

  it("admits an invited user through POST /join too, and refuses plain members without the invite permission", async () => {
    const { room, owner, member } = await staffedRoom({ room_type: "private" });
    const guest = await signedInUser();
    expect((await invite(room.id, member.headers, guest.username)).status).toBe(403);
    const granted = await memberOf(room.id, "member", { can_invite: true });
    expect((await invite(room.id, granted.headers, guest.username)).status).toBe(201);
    expect((await api("POST", `/v1/rooms/${room.id}/join`, { headers: guest.headers })).status).toBe(200);
    expect((await invite(room.id, owner.headers, guest.username)).status).toBe(409);
  });

  it("refuses unknown users (422), yourself (422), members and the banned (409), and archived rooms (409)", async () => {
    const { room, owner, member } = await staffedRoom();
    expect((await invite(room.id, owner.headers, "no_such_user_xyz")).status).toBe(422);
    expect((await invite(room.id, owner.headers, owner.username)).status).toBe(422);
    expect((await invite(room.id, owner.headers, member.username)).status).toBe(409);
    const pest = await signedInUser();
    await api("POST", `/v1/rooms/${room.id}/members/${pest.id}/ban`, { headers: owner.headers });
    const banned = await invite(room.id, owner.headers, pest.username);
    expect(banned.status).toBe(409);
    expect(banned.body.detail).toMatch(/banned/);
    await api("POST", `/v1/rooms/${room.id}/archive`, { headers: owner.headers });
    expect((await invite(room.id, owner.headers, (await signedInUser()).username)).status).toBe(409);
  });

  it("refreshes an invitation sent again, after a decline too, and answers an expired one with 410", async () => {
    const { room, owner, admin } = await staffedRoom({ room_type: "private" });
    const guest = await signedInUser();
    const first = await invite(room.id, owner.headers, guest.username);
    expect((await api("POST", `/v1/me/room-invites/${first.body.id}/decline`, { headers: guest.headers })).status).toBe(204);
    expect((await api("POST", `/v1/me/room-invites/${first.body.id}/decline`, { headers: guest.headers })).status).toBe(204);
    expect(await myInvites(guest.headers)).toEqual([]);
    const second = await invite(room.id, admin.headers, guest.username);
    expect(second.body).toMatchObject({ id: first.body.id, status: "pending", inviter: { id: admin.id } });
    await sql.query("UPDATE room_invites SET created_at = now() - interval '10 days', expires_at = now() - interval '1 day' WHERE id = $1", [first.body.id]);
    expect(await myInvites(guest.headers)).toEqual([]);
    expect((await api("POST", `/v1/me/room-invites/${first.body.id}/accept`, { headers: guest.headers })).status).toBe(410);
    expect((await api("POST", `/v1/rooms/${room.id}/join`, { headers: guest.headers })).status).toBe(404);
  });

  it("lets the inviter or those who manage members withdraw a pending invitation", async () => {
    const { room, owner, moderator, member } = await staffedRoom({ room_type: "private" });
    const inviter = await memberOf(room.id, "member", { can_invite: true });
    const [g1, g2] = [await signedInUser(), await signedInUser()];
    const i1 = (await invite(room.id, inviter.headers, g1.username)).body;
    const i2 = (await invite(room.id, owner.headers, g2.username)).body;
    expect((await api("DELETE", `/v1/rooms/${room.id}/invites/${i2.id}`, { headers: member.headers })).status).toBe(403);
    expect((await api("DELETE", `/v1/rooms/${room.id}/invites/${i2.id}`, { headers: inviter.headers })).status).toBe(403);
    expect((await api("DELETE", `/v1/rooms/${room.id}/invites/${i1.id}`, { headers: inviter.headers })).status).toBe(204);
    expect((await api("DELETE", `/v1/rooms/${room.id}/invites/${i2.id}`, { headers: moderator.headers })).status).toBe(204);
    expect((await api("DELETE", `/v1/rooms/${room.id}/invites/${i2.id}`, { headers: moderator.headers })).status).toBe(404);
    expect(await myInvites(g1.headers)).toEqual([]);
    expect((await api("POST", `/v1/me/room-invites/${i1.id}/accept`, { headers: g1.headers })).status).toBe(404);
    expect((await api("DELETE", `/v1/rooms/${room.id}/invites/${i1.id}`, { headers: g1.headers })).status).toBe(404);
  });

  it("keeps invitations to others private: another user's invitation is 404", async () => {
    const { room, owner } = await staffedRoom({ room_type: "private" });
    const guest = await signedInUser();
    const other = await signedInUser();
    const sent = (await invite(room.id, owner.headers, guest.username)).body;
    expect((await api("POST", `/v1/me/room-invites/${sent.id}/accept`, { headers: other.headers })).status).toBe(404);
    expect((await api("POST", `/v1/me/room-invites/${sent.id}/decline`, { headers: other.headers })).status).toBe(404);
    expect((await api("POST", "/v1/me/room-invites/00000000-0000-4000-8000-000000000000/accept", { headers: other.headers })).status).toBe(404);
  });
});
