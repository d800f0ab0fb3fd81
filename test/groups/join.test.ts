import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { as, makeGroup, memberCount, membershipRow, staffedGroup } from "./fixtures";

describe("joining and leaving a group", () => {
  it("admits at once to a public group without approval, idempotently, and counts the member once", async () => {
    const group = await makeGroup(await signedInUser());
    const fan = await signedInUser();
    const first = await api("POST", `/v1/groups/${group.slug}/join`, as(fan));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ joined: true, membership: { role: "member", status: "active" } });
    const again = await api("POST", `/v1/groups/${group.slug.toUpperCase()}/join`, as(fan));
    expect(again.body).toMatchObject({ joined: false, membership: { role: "member", status: "active", joined_at: first.body.membership.joined_at } });
    expect(await memberCount(group.id)).toEqual({ stored: 2, active: 2 });
    expect((await api("GET", `/v1/groups/${group.slug}`, as(fan))).body).toMatchObject({ member_count: 2, my_membership: { role: "member", status: "active" } });
  });

  it("records a pending request for a group that requires approval, and for a private group", async () => {
    for (const body of [{ requires_approval: true }, { group_type: "private" }]) {
      const group = await makeGroup(await signedInUser(), body);
      const fan = await signedInUser();
      const res = await api("POST", `/v1/groups/${group.slug}/join`, as(fan));
      expect(res.body, JSON.stringify(body)).toMatchObject({ joined: true, membership: { status: "pending" } });
      expect((await api("POST", `/v1/groups/${group.slug}/join`, as(fan))).body).toMatchObject({ joined: false, membership: { status: "pending" } });
      expect(await memberCount(group.id)).toEqual({ stored: 1, active: 1 });
      expect((await api("GET", `/v1/groups/${group.slug}`, as(fan))).body.my_membership).toMatchObject({ status: "pending" });
    }
  });

  it("lets moderators approve a request (the requester is notified) or reject it (they may ask again)", async () => {
    const s = await staffedGroup({ requires_approval: true });
    const approved = await api("POST", `/v1/groups/${s.group.slug}/requests/${s.pending.username}/approve`, as(s.moderator));
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ user: { id: s.pending.id, username: s.pending.username }, role: "member", status: "active" });
    expect(await membershipRow(s.group.id, s.pending.id)).toMatchObject({ status: "active" });
    expect((await membershipRow(s.group.id, s.pending.id))!.approved_at).not.toBeNull();
    expect(await memberCount(s.group.id)).toEqual({ stored: 6, active: 6 });
    const [notice] = await sql.query("SELECT type, actor_id, entity_type, entity_id, data FROM notifications WHERE user_id = $1", [s.pending.id]);
    expect(notice).toMatchObject({ type: "system", actor_id: s.moderator.id, entity_type: "group", entity_id: s.group.id, data: { event: "group_request_approved", group_slug: s.group.slug } });
    expect((await api("POST", `/v1/groups/${s.group.slug}/requests/${s.pending.username}/approve`, as(s.moderator))).status).toBe(404);

    const asker = await signedInUser();
    await api("POST", `/v1/groups/${s.group.slug}/join`, as(asker));
    expect((await api("POST", `/v1/groups/${s.group.slug}/requests/${asker.username}/reject`, as(s.admin))).status).toBe(204);
    expect(await membershipRow(s.group.id, asker.id)).toBeNull();
    expect((await api("POST", `/v1/groups/${s.group.slug}/requests/${asker.username}/reject`, as(s.admin))).status).toBe(404);
    expect((await api("POST", `/v1/groups/${s.group.slug}/join`, as(asker))).body).toMatchObject({ joined: true, membership: { status: "pending" } });
    expect(await memberCount(s.group.id)).toEqual({ stored: 6, active: 6 });
  });

  it("refuses members and outsiders the requests", async () => {
    const s = await staffedGroup({ group_type: "private" });
    for (const who of [s.member, s.outsider, s.pending]) {
      expect((await api("GET", `/v1/groups/${s.group.slug}/requests`, as(who))).status).toBe(403);
      expect((await api("POST", `/v1/groups/${s.group.slug}/requests/${s.pending.username}/approve`, as(who))).status).toBe(403);
      expect((await api("POST", `/v1/groups/${s.group.slug}/requests/${s.pending.username}/reject`, as(who))).status).toBe(403);
    }
    expect(await membershipRow(s.group.id, s.pending.id)).toMatchObject({ status: "pending" });
  });

  it("lets a member leave and a requester withdraw; leaving twice changes nothing", async () => {
    const s = await staffedGroup();
    expect((await api("DELETE", `/v1/groups/${s.group.slug}/membership`, as(s.admin))).status).toBe(204);
    expect((await api("DELETE", `/v1/groups/${s.group.slug}/membership`, as(s.pending))).status).toBe(204);
    expect((await api("DELETE", `/v1/groups/${s.group.slug}/membership`, as(s.admin))).status).toBe(204);
    expect(await membershipRow(s.group.id, s.admin.id)).toBeNull();
    expect(await membershipRow(s.group.id, s.pending.id)).toBeNull();
    expect(await memberCount(s.group.id)).toEqual({ stored: 4, active: 4 });
  });

  it("does not let the owner leave (409, transfer first)", async () => {
    const s = await staffedGroup();
    const res = await api("DELETE", `/v1/groups/${s.group.slug}/membership`, as(s.owner));
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/transfer/);
    expect(await membershipRow(s.group.id, s.owner.id)).toMatchObject({ role: "owner", status: "active" });
  });

  it("keeps a banned user out: they cannot rejoin or lift the ban by leaving, until unbanned", async () => {
    const s = await staffedGroup();
    expect((await api("POST", `/v1/groups/${s.group.slug}/bans/${s.member.username}`, as(s.moderator))).status).toBe(200);
    expect(await memberCount(s.group.id)).toEqual({ stored: 4, active: 4 });
    const rejoin = await api("POST", `/v1/groups/${s.group.slug}/join`, as(s.member));
    expect(rejoin.status).toBe(403);
    expect(rejoin.body.detail).toMatch(/banned/);
    expect((await api("DELETE", `/v1/groups/${s.group.slug}/membership`, as(s.member))).status).toBe(403);
    expect(await membershipRow(s.group.id, s.member.id)).toMatchObject({ status: "banned", role: "member" });
    expect((await api("GET", `/v1/groups/${s.group.slug}`, as(s.member))).body.my_membership).toMatchObject({ status: "banned" });
    expect((await api("DELETE", `/v1/groups/${s.group.slug}/bans/${s.member.username}`, as(s.moderator))).status).toBe(204);
    expect(await membershipRow(s.group.id, s.member.id)).toBeNull();
    expect((await api("POST", `/v1/groups/${s.group.slug}/join`, as(s.member))).body).toMatchObject({ joined: true, membership: { status: "active" } });
    expect(await memberCount(s.group.id)).toEqual({ stored: 5, active: 5 });
  });

  it("lets blocked users join all the same", async () => {
    const owner = await signedInUser();
    const group = await makeGroup(owner);
    const blocked = await signedInUser();
    await sql.query("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)", [owner.id, blocked.id]);
    expect((await api("POST", `/v1/groups/${group.slug}/join`, as(blocked))).body).toMatchObject({ joined: true });
  });

  it("answers 404 for an unknown group", async () => {
    const fan = await signedInUser();
    expect((await api("POST", "/v1/groups/no-such-group-here/join", as(fan))).status).toBe(404);
    expect((await api("DELETE", "/v1/groups/no-such-group-here/membership", as(fan))).status).toBe(404);
    expect((await api("POST", "/v1/groups/not_a_slug!/join", as(fan))).status).toBe(422);
  });
});
