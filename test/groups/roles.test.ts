import { describe, expect, it } from "vitest";
import type { SignedInUser } from "../helpers/auth";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { as, memberCount, membershipRow, staffedGroup } from "./fixtures";

const setRole = (slug: string, actor: SignedInUser, target: SignedInUser, role: string) => api("PATCH", `/v1/groups/${slug}/members/${target.username}`, as(actor, { role }));

describe("member roles", () => {
  it("lets the owner set anyone else admin, moderator or member", async () => {
    const s = await staffedGroup();
    for (const role of ["admin", "moderator", "member", "admin"]) {
      const res = await setRole(s.group.slug, s.owner, s.member, role);
      expect(res.status, role).toBe(200);
      expect(res.body).toMatchObject({ user: { id: s.member.id }, role, status: "active" });
      expect((await membershipRow(s.group.id, s.member.id))!.role).toBe(role);
    }
    expect((await setRole(s.group.slug, s.owner, s.admin, "member")).body.role).toBe("member");
  });

  it("lets an admin set moderators and members to moderator or member, and nothing more", async () => {
    const s = await staffedGroup();
    expect((await setRole(s.group.slug, s.admin, s.member, "moderator")).body.role).toBe("moderator");
    expect((await setRole(s.group.slug, s.admin, s.moderator, "member")).body.role).toBe("member");
    const grantAdmin = await setRole(s.group.slug, s.admin, s.member2, "admin");
    expect(grantAdmin.status).toBe(403);
    expect(grantAdmin.body.detail).toMatch(/cannot grant the admin role/);
    const other = await signedInUser();
    await sql.query("INSERT INTO group_members (group_id, user_id, role) VALUES ($1, $2, 'admin')", [s.group.id, other.id]);
    expect((await setRole(s.group.slug, s.admin, other, "member")).status).toBe(403);
    expect((await setRole(s.group.slug, s.admin, s.owner, "member")).status).toBe(403);
    expect((await setRole(s.group.slug, s.admin, s.admin, "moderator")).status).toBe(403);
    expect((await membershipRow(s.group.id, s.member2.id))!.role).toBe("member");
    expect((await membershipRow(s.group.id, other.id))!.role).toBe("admin");
  });

  it("refuses moderators, members, outsiders and requesters; 404 for a non-member target; 422 for owner", async () => {
    const s = await staffedGroup();
    for (const who of [s.moderator, s.member, s.outsider, s.pending]) expect((await setRole(s.group.slug, who, s.member2, "moderator")).status).toBe(403);
    expect((await setRole(s.group.slug, s.owner, s.outsider, "member")).status).toBe(404);
    expect((await setRole(s.group.slug, s.owner, s.pending, "member")).status).toBe(404);
    expect((await api("PATCH", `/v1/groups/${s.group.slug}/members/nobody_at_all_x`, as(s.owner, { role: "member" }))).status).toBe(404);
    expect((await setRole(s.group.slug, s.owner, s.member, "owner")).status).toBe(422);
    expect((await setRole(s.group.slug, s.owner, s.owner, "admin")).status).toBe(403);
    expect((await membershipRow(s.group.id, s.member2.id))!.role).toBe("member");
    expect((await membershipRow(s.group.id, s.owner.id))!.role).toBe("owner");
  });
});

describe("POST /v1/groups/:slug/transfer", () => {
  it("makes an active member the owner and the old owner an admin", async () => {
    const s = await staffedGroup();
    const res = await api("POST", `/v1/groups/${s.group.slug}/transfer`, as(s.owner, { username: s.member.username }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ owner: { user: { id: s.member.id }, role: "owner" }, previous_owner: { user: { id: s.owner.id }, role: "admin" } });
    expect((await membershipRow(s.group.id, s.member.id))!.role).toBe("owner");
    expect((await membershipRow(s.group.id, s.owner.id))!.role).toBe("admin");
    expect((await api("GET", `/v1/groups/${s.group.slug}`)).body.owner).toMatchObject({ id: s.member.id });
    expect((await api("DELETE", `/v1/groups/${s.group.slug}/membership`, as(s.owner))).status).toBe(204);
    expect(await memberCount(s.group.id)).toEqual({ stored: 4, active: 4 });
  });

  it("refuses anyone but the owner, and targets who are not active members", async () => {
    const s = await staffedGroup();
    for (const who of [s.admin, s.moderator, s.member, s.outsider]) {
      expect((await api("POST", `/v1/groups/${s.group.slug}/transfer`, as(who, { username: s.member2.username }))).status).toBe(403);
    }
    for (const target of [s.pending, s.outsider, s.owner]) {
      expect((await api("POST", `/v1/groups/${s.group.slug}/transfer`, as(s.owner, { username: target.username }))).status).toBe(404);
    }
    await api("POST", `/v1/groups/${s.group.slug}/bans/${s.member2.username}`, as(s.owner));
    expect((await api("POST", `/v1/groups/${s.group.slug}/transfer`, as(s.owner, { username: s.member2.username }))).status).toBe(404);
    expect((await sql.query("SELECT user_id FROM group_members WHERE group_id = $1 AND role = 'owner'", [s.group.id])).map((r) => r.user_id)).toEqual([s.owner.id]);
  });

  it("leaves exactly one owner when two transfers race", async () => {
    const s = await staffedGroup();
    const results = await Promise.all([
      api("POST", `/v1/groups/${s.group.slug}/transfer`, as(s.owner, { username: s.member.username })),
      api("POST", `/v1/groups/${s.group.slug}/transfer`, as(s.owner, { username: s.member2.username })),
    ]);
    expect(results.map((r) => r.status).sort()).toContain(200);
    for (const r of results) expect([200, 403, 409]).toContain(r.status);
    const owners = await sql.query("SELECT user_id FROM group_members WHERE group_id = $1 AND role = 'owner'", [s.group.id]);
    expect(owners).toHaveLength(1);
  });

  it("keeps a second owner out at the database level", async () => {
    const s = await staffedGroup();
    await expect(sql.query("UPDATE group_members SET role = 'owner' WHERE group_id = $1 AND user_id = $2", [s.group.id, s.admin.id])).rejects.toMatchObject({ code: "23P01" });
  });
});

describe("kicks and bans", () => {
  it("lets moderators and up kick members strictly below them, who may join again", async () => {
    const s = await staffedGroup();
    expect((await api("DELETE", `/v1/groups/${s.group.slug}/members/${s.member.username}`, as(s.moderator))).status).toBe(204);
    expect(await membershipRow(s.group.id, s.member.id)).toBeNull();
    expect((await api("DELETE", `/v1/groups/${s.group.slug}/members/${s.moderator.username}`, as(s.admin))).status).toBe(204);
    expect((await api("DELETE", `/v1/groups/${s.group.slug}/members/${s.admin.username}`, as(s.owner))).status).toBe(204);
    expect(await memberCount(s.group.id)).toEqual({ stored: 2, active: 2 });
    expect((await api("POST", `/v1/groups/${s.group.slug}/join`, as(s.member))).body).toMatchObject({ joined: true, membership: { status: "active" } });
  });

  it("refuses kicks and bans of equals, superiors and the owner, and by members", async () => {
    const s = await staffedGroup();
    const peer = await signedInUser();
    await sql.query("INSERT INTO group_members (group_id, user_id, role) VALUES ($1, $2, 'moderator')", [s.group.id, peer.id]);
    const refused: Array<[SignedInUser, SignedInUser]> = [
      [s.moderator, peer],
      [s.moderator, s.admin],
      [s.moderator, s.owner],
      [s.admin, s.owner],
      [s.member, s.member2],
      [s.outsider, s.member],
      [s.pending, s.member],
      [s.moderator, s.moderator],
    ];
    for (const [actor, target] of refused) {
      expect((await api("DELETE", `/v1/groups/${s.group.slug}/members/${target.username}`, as(actor))).status, `kick ${target.username}`).toBe(403);
      expect((await api("POST", `/v1/groups/${s.group.slug}/bans/${target.username}`, as(actor))).status, `ban ${target.username}`).toBe(403);
    }
    expect(await memberCount(s.group.id)).toEqual({ stored: 6, active: 6 });
    expect((await api("DELETE", `/v1/groups/${s.group.slug}/members/${s.outsider.username}`, as(s.owner))).status).toBe(404);
  });

  it("bans members, requesters and outsiders; banning again changes nothing; an unban removes the row", async () => {
    const s = await staffedGroup();
    await sql.query("UPDATE group_members SET role = 'moderator' WHERE group_id = $1 AND user_id = $2", [s.group.id, s.member.id]);
    const ban = await api("POST", `/v1/groups/${s.group.slug}/bans/${s.member.username}`, as(s.admin));
    expect(ban.body).toMatchObject({ user: { id: s.member.id }, role: "member", status: "banned" });
    expect((await api("POST", `/v1/groups/${s.group.slug}/bans/${s.member.username}`, as(s.moderator))).body).toMatchObject({ status: "banned" });
    expect((await api("POST", `/v1/groups/${s.group.slug}/bans/${s.pending.username}`, as(s.moderator))).body).toMatchObject({ status: "banned" });
    expect((await api("POST", `/v1/groups/${s.group.slug}/bans/${s.outsider.username}`, as(s.moderator))).body).toMatchObject({ status: "banned" });
    expect((await api("POST", `/v1/groups/${s.group.slug}/bans/nobody_at_all_x`, as(s.moderator))).status).toBe(404);
    expect(await memberCount(s.group.id)).toEqual({ stored: 4, active: 4 });
    expect((await api("DELETE", `/v1/groups/${s.group.slug}/bans/${s.outsider.username}`, as(s.member2))).status).toBe(403);
    expect((await api("DELETE", `/v1/groups/${s.group.slug}/bans/${s.outsider.username}`, as(s.moderator))).status).toBe(204);
    expect((await api("DELETE", `/v1/groups/${s.group.slug}/bans/${s.outsider.username}`, as(s.moderator))).status).toBe(404);
    expect((await api("DELETE", `/v1/groups/${s.group.slug}/bans/${s.member2.username}`, as(s.moderator))).status).toBe(404);
    expect(await membershipRow(s.group.id, s.outsider.id)).toBeNull();
    expect((await api("POST", `/v1/groups/${s.group.slug}/join`, as(s.member))).status).toBe(403);
  });
});
