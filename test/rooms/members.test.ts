import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { memberCount, membershipRow, memberOf, staffedRoom } from "./fixtures";

const as = (who: SignedInUser) => ({ headers: who.headers });
const patchMember = (roomId: string, who: SignedInUser, target: SignedInUser, body: object) => api("PATCH", `/v1/rooms/${roomId}/members/${target.id}`, { ...as(who), body });

describe("listing members", () => {
  it("lists a public room's members to anyone, oldest first, page by page", async () => {
    const { room, owner } = await staffedRoom();
    const first = await api("GET", `/v1/rooms/${room.id}/members?limit=3`);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(3);
    expect(first.body.items[0]).toMatchObject({ user: { id: owner.id }, role: "owner", is_banned: false, permissions: { manage_room: true } });
    const rest = await api("GET", `/v1/rooms/${room.id}/members?limit=3&cursor=${first.body.next_cursor}`);
    expect(rest.body.items).toHaveLength(2);
    expect(rest.body.next_cursor).toBeNull();
  });

  it("lists a private room's members to members only, and bans to those who manage members", async () => {
    const { room, owner, moderator, member, outsider } = await staffedRoom({ room_type: "private" });
    expect((await api("GET", `/v1/rooms/${room.id}/members`, as(outsider))).status).toBe(404);
    expect((await api("GET", `/v1/rooms/${room.id}/members`)).status).toBe(404);
    expect((await api("GET", `/v1/rooms/${room.id}/members`, as(member))).body.items).toHaveLength(5);
    const pest = await signedInUser();
    expect((await api("POST", `/v1/rooms/${room.id}/members/${pest.id}/ban`, { ...as(owner), body: { reason: "flooding" } })).status).toBe(200);
    expect((await api("GET", `/v1/rooms/${room.id}/members?banned=true`, as(member))).status).toBe(403);
    const bans = await api("GET", `/v1/rooms/${room.id}/members?banned=true`, as(moderator));
    expect(bans.body.items).toEqual([expect.objectContaining({ user: { id: pest.id, username: pest.username }, is_banned: true, banned_reason: "flooding" })]);
    expect((await api("GET", `/v1/rooms/${room.id}/members`, as(moderator))).body.items.map((m: { user: { id: string } }) => m.user.id)).not.toContain(pest.id);
  });
});

describe("roles and permissions", () => {
  it("lets the owner change anyone, admins only those below them and never grant admin", async () => {
    const { room, owner, admin, moderator, member, member2 } = await staffedRoom();
    const promoted = await patchMember(room.id, owner, member, { role: "admin" });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ role: "admin", permissions: { manage_room: true } });
    expect((await patchMember(room.id, admin, member2, { role: "moderator", can_invite: true })).body).toMatchObject({ role: "moderator", can_invite: true });
    const grantAdmin = await patchMember(room.id, admin, moderator, { role: "admin" });
    expect(grantAdmin.status).toBe(403);
    expect(grantAdmin.body.detail).toMatch(/cannot grant/);
    expect((await patchMember(room.id, admin, member, { role: "member" })).status).toBe(403); // an admin now, not below
    expect((await patchMember(room.id, admin, owner, { can_invite: false })).status).toBe(403);
    expect((await patchMember(room.id, moderator, member2, { role: "member" })).status).toBe(403);
    expect((await patchMember(room.id, owner, owner, { role: "admin" })).status).toBe(403);
    expect((await patchMember(room.id, owner, await signedInUser(), { role: "moderator" })).status).toBe(404);
    const grant = await patchMember(room.id, owner, member2, { role: "member", can_manage_members: true });
    expect(grant.body.permissions).toMatchObject({ manage_members: true, invite: true, manage_room: false }); // the earlier can_invite grant stays
  });

  it("mutes for a while or until unmuted, by those who manage members and outrank the member", async () => {
    const { room, admin, moderator, member, member2 } = await staffedRoom();
    const timed = await api("POST", `/v1/rooms/${room.id}/members/${member.id}/mute`, { ...as(moderator), body: { minutes: 10 } });
    expect(timed.status).toBe(200);
    expect(timed.body.is_muted).toBe(true);
    expect(new Date(timed.body.muted_until).getTime()).toBeGreaterThan(Date.now() + 9 * 60_000);
    const forever = await api("POST", `/v1/rooms/${room.id}/members/${member2.id}/mute`, as(moderator));
    expect(forever.body).toMatchObject({ is_muted: true, muted_until: null });
    expect((await api("GET", `/v1/rooms/${room.id}`, as(member2))).body.my_membership).toMatchObject({ is_muted: true, muted_until: null });
    expect((await api("POST", `/v1/rooms/${room.id}/members/${admin.id}/mute`, { ...as(moderator), body: {} })).status).toBe(403);
    expect((await api("POST", `/v1/rooms/${room.id}/members/${moderator.id}/mute`, { ...as(member), body: {} })).status).toBe(403);
    const unmuted = await api("POST", `/v1/rooms/${room.id}/members/${member2.id}/unmute`, as(admin));
    expect(unmuted.body).toMatchObject({ is_muted: false, muted_until: null });
    expect((await api("POST", `/v1/rooms/${room.id}/members/${member.id}/mute`, { ...as(moderator), body: { minutes: 0 } })).status).toBe(422);
  });

  it("kicks members below you; a member with the manage_members grant still cannot act on equals", async () => {
    const { room, owner, admin, moderator, member, member2 } = await staffedRoom();
    const deputy = await memberOf(room.id, "member", { can_manage_members: true });
    expect((await api("DELETE", `/v1/rooms/${room.id}/members/${member.id}`, as(deputy))).status).toBe(403);
    expect((await api("DELETE", `/v1/rooms/${room.id}/members/${admin.id}`, as(moderator))).status).toBe(403);
    expect((await api("DELETE", `/v1/rooms/${room.id}/members/${owner.id}`, as(admin))).status).toBe(403);
    expect((await api("DELETE", `/v1/rooms/${room.id}/members/${member.id}`, as(member2))).status).toBe(403);
    expect((await api("DELETE", `/v1/rooms/${room.id}/members/${member.id}`, as(moderator))).status).toBe(204);
    expect(await membershipRow(room.id, member.id)).toBeNull();
    expect((await api("DELETE", `/v1/rooms/${room.id}/members/${member.id}`, as(moderator))).status).toBe(204); // already out: idempotent
    expect(await memberCount(room.id)).toBe(5);
  });

  it("bans members and non-members, keeps the row, drops their rank, and unbans", async () => {
    const { room, owner, admin, moderator, member } = await staffedRoom();
    expect((await api("POST", `/v1/rooms/${room.id}/members/${admin.id}/ban`, { ...as(moderator), body: {} })).status).toBe(403);
    const banned = await api("POST", `/v1/rooms/${room.id}/members/${moderator.id}/ban`, { ...as(admin), body: { reason: "abuse" } });
    expect(banned.status).toBe(200);
    expect(banned.body).toMatchObject({ role: "member", is_banned: true, banned_reason: "abuse" });
    const row = (await membershipRow(room.id, moderator.id))!;
    expect(row).toMatchObject({ is_banned: true, banned_by: admin.id, banned_reason: "abuse", role: "member" });
    expect(await memberCount(room.id)).toBe(4);
    expect((await api("GET", `/v1/rooms/${room.id}`, as(moderator))).status).toBe(403);
    const stranger = await signedInUser();
    expect((await api("POST", `/v1/rooms/${room.id}/members/${stranger.id}/ban`, as(owner))).status).toBe(200);
    expect(await memberCount(room.id)).toBe(4);
    expect((await api("POST", `/v1/rooms/${room.id}/members/00000000-0000-4000-8000-000000000000/ban`, as(owner))).status).toBe(404);
    expect((await api("DELETE", `/v1/rooms/${room.id}/bans/${moderator.id}`, as(member))).status).toBe(403);
    expect((await api("DELETE", `/v1/rooms/${room.id}/bans/${moderator.id}`, as(admin))).status).toBe(204);
    expect((await api("DELETE", `/v1/rooms/${room.id}/bans/${moderator.id}`, as(admin))).status).toBe(404);
    expect(await membershipRow(room.id, moderator.id)).toBeNull();
    expect((await api("POST", `/v1/rooms/${room.id}/join`, as(moderator))).body.membership.role).toBe("member");
  });
});

describe("your own membership", () => {
  it("sets your nickname and notification level", async () => {
    const { room, member, outsider } = await staffedRoom();
    const res = await api("PATCH", `/v1/rooms/${room.id}/members/me`, { ...as(member), body: { nickname: "DJ Test", notification_level: "mentions" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ nickname: "DJ Test", notification_level: "mentions", role: "member" });
    expect((await api("PATCH", `/v1/rooms/${room.id}/members/me`, { ...as(member), body: { nickname: null } })).body.nickname).toBeNull();
    expect((await api("PATCH", `/v1/rooms/${room.id}/members/me`, { ...as(member), body: { notification_level: "loud" } })).status).toBe(422);
    expect((await api("PATCH", `/v1/rooms/${room.id}/members/me`, { ...as(outsider), body: { nickname: "x" } })).status).toBe(403);
  });

  it("moves the read marker forward only, for members", async () => {
    const { room, member, outsider } = await staffedRoom();
    const res = await api("PUT", `/v1/rooms/${room.id}/read`, { ...as(member), body: { seq: 12 } });
    expect(res.status).toBe(200);
    expect(res.body.last_read_seq).toBe(12);
    expect((await api("PUT", `/v1/rooms/${room.id}/read`, { ...as(member), body: { seq: 5 } })).body.last_read_seq).toBe(12);
    expect((await membershipRow(room.id, member.id))!.last_read_at).not.toBeNull();
    expect((await api("PUT", `/v1/rooms/${room.id}/read`, { ...as(outsider), body: { seq: 1 } })).status).toBe(403);
    expect((await api("PUT", `/v1/rooms/${room.id}/read`, { ...as(member), body: { seq: -1 } })).status).toBe(422);
  });
});
