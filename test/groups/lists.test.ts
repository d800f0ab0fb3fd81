import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql, uniq } from "../helpers/db";
import { as, banUser, makeGroup, memberOf, softDeleteUser, staffedGroup } from "./fixtures";

/** Every item of a paged list, following next_cursor with pages of `limit`. */
async function allPages(path: string, limit: number, headers: Record<string, string> = {}) {
  const items: any[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 50; guard++) {
    const sep = path.includes("?") ? "&" : "?";
    const res = await api("GET", `${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`, { headers });
    expect(res.status, res.text).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.next_cursor;
    if (!cursor) return items;
  }
  throw new Error("too many pages");
}

describe("GET /v1/groups (discovery)", () => {
  it("lists public groups newest first, by cursor, leaving out private, deleted and ownerless ones", async () => {
    const tag = uniq();
    const owner = await signedInUser();
    const older = await makeGroup(owner, { name: `Disco ${tag} one` });
    const priv = await makeGroup(owner, { name: `Disco ${tag} private`, group_type: "private" });
    const gone = await makeGroup(owner, { name: `Disco ${tag} deleted` });
    await api("DELETE", `/v1/groups/${gone.slug}`, as(owner));
    const bannedOwner = await signedInUser();
    const orphan = await makeGroup(bannedOwner, { name: `Disco ${tag} banned owner` });
    await banUser(bannedOwner.id);
    const newer = await makeGroup(owner, { name: `Disco ${tag} two`, requires_approval: true });
    const newest = await makeGroup(owner, { name: `Disco ${tag} three` });
    const items = await allPages(`/v1/groups?q=${encodeURIComponent(`Disco ${tag}`)}`, 1);
    expect(items.map((g) => g.slug)).toEqual([newest.slug, newer.slug, older.slug]);
    expect(items.map((g) => g.slug)).not.toContain(priv.slug);
    expect((await api("GET", `/v1/groups/${orphan.slug}`)).status).toBe(404);
    expect((await api("GET", `/v1/groups/${priv.slug}`)).status).toBe(200);
  });

  it("matches q literally and case-insensitively, and hides groups you are banned from", async () => {
    const tag = uniq();
    const owner = await signedInUser();
    const literal = await makeGroup(owner, { name: `100%_${tag}` });
    await makeGroup(owner, { name: `100ab${tag}` });
    expect((await api("GET", `/v1/groups?q=${encodeURIComponent(`100%_${tag.toUpperCase()}`)}`)).body.items.map((g: any) => g.slug)).toEqual([literal.slug]);
    const pest = await signedInUser();
    await api("POST", `/v1/groups/${literal.slug}/bans/${pest.username}`, as(owner));
    expect((await api("GET", `/v1/groups?q=${encodeURIComponent(`100%_${tag}`)}`, as(pest))).body.items).toEqual([]);
    expect((await api("GET", "/v1/groups?cursor=nonsense")).status).toBe(422);
    expect((await api("GET", "/v1/groups?limit=101")).status).toBe(422);
  });
});

describe("GET /v1/groups/:slug", () => {
  it("shows a private group's page to anyone, with the viewer's membership", async () => {
    const s = await staffedGroup({ group_type: "private", description: "Secret patches" });
    const anonymous = await api("GET", `/v1/groups/${s.group.slug}`);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toMatchObject({ group_type: "private", description: "Secret patches", member_count: 5, my_membership: null, owner: { id: s.owner.id } });
    expect((await api("GET", `/v1/groups/${s.group.slug}`, as(s.admin))).body.my_membership).toMatchObject({ role: "admin", status: "active" });
    expect((await api("GET", `/v1/groups/${s.group.slug}`, as(s.pending))).body.my_membership).toMatchObject({ status: "pending" });
    expect((await api("GET", `/v1/groups/${s.group.slug}`, as(s.outsider))).body.my_membership).toBeNull();
  });

  it("keeps a group whose creator handed it over and was then banned", async () => {
    const s = await staffedGroup();
    await api("POST", `/v1/groups/${s.group.slug}/transfer`, as(s.owner, { username: s.admin.username }));
    await banUser(s.owner.id);
    const page = await api("GET", `/v1/groups/${s.group.slug}`);
    expect(page.status).toBe(200);
    expect(page.body.owner.id).toBe(s.admin.id);
    await softDeleteUser(s.admin.id);
    expect((await api("GET", `/v1/groups/${s.group.slug}`)).status).toBe(404);
  });
});

describe("GET /v1/me/groups", () => {
  it("lists my active groups with my role, latest joined first, and my pending requests apart", async () => {
    const me = await signedInUser();
    const mine = await makeGroup(me);
    const other = await signedInUser();
    const joined = await makeGroup(other);
    const asked = await makeGroup(other, { group_type: "private" });
    const gone = await makeGroup(other);
    await api("POST", `/v1/groups/${joined.slug}/join`, as(me));
    await api("POST", `/v1/groups/${asked.slug}/join`, as(me));
    await api("POST", `/v1/groups/${gone.slug}/join`, as(me));
    await api("DELETE", `/v1/groups/${gone.slug}`, as(other));
    const items = await allPages("/v1/me/groups", 1, me.headers);
    expect(items.map((g) => [g.slug, g.my_membership.role])).toEqual([
      [joined.slug, "member"],
      [mine.slug, "owner"],
    ]);
    const pending = await api("GET", "/v1/me/groups?status=pending", as(me));
    expect(pending.body.items.map((g: any) => [g.slug, g.my_membership.status])).toEqual([[asked.slug, "pending"]]);
    expect((await api("GET", "/v1/me/groups?status=banned", as(me))).status).toBe(422);
  });
});

describe("GET /v1/groups/:slug/members", () => {
  it("lists active members by role then join time, by cursor", async () => {
    const s = await staffedGroup();
    const laterAdmin = await memberOf(s.group.id, "admin");
    await sql.query("UPDATE group_members SET joined_at = now() + interval '1 minute' WHERE group_id = $1 AND user_id = $2", [s.group.id, laterAdmin.id]);
    await sql.query("UPDATE group_members SET joined_at = now() - interval '1 minute' WHERE group_id = $1 AND user_id = $2", [s.group.id, s.member2.id]);
    const items = await allPages(`/v1/groups/${s.group.slug}/members`, 2);
    expect(items.map((m) => m.user.id)).toEqual([s.owner.id, s.admin.id, laterAdmin.id, s.moderator.id, s.member2.id, s.member.id]);
    expect(items.map((m) => m.role)).toEqual(["owner", "admin", "admin", "moderator", "member", "member"]);
    expect((await api("GET", `/v1/groups/${s.group.slug}/members?cursor=${Buffer.from("[9,1,2]").toString("base64url")}`)).status).toBe(422);
  });

  it("shows a private group's members to its members only", async () => {
    const s = await staffedGroup({ group_type: "private" });
    expect((await api("GET", `/v1/groups/${s.group.slug}/members`, as(s.member))).body.items).toHaveLength(5);
    for (const who of [s.outsider, s.pending]) expect((await api("GET", `/v1/groups/${s.group.slug}/members`, as(who))).status).toBe(403);
    expect((await api("GET", `/v1/groups/${s.group.slug}/members`)).status).toBe(403);
    await api("POST", `/v1/groups/${s.group.slug}/bans/${s.member2.username}`, as(s.owner));
    expect((await api("GET", `/v1/groups/${s.group.slug}/members`, as(s.member2))).status).toBe(403);
  });

  it("leaves out banned and deleted accounts, private profiles and people on either side of a block with the viewer", async () => {
    const s = await staffedGroup();
    const [blockedByMe, blockerOfMe, hidden, banned, deleted] = await Promise.all([1, 2, 3, 4, 5].map(() => memberOf(s.group.id)));
    await sql.query("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2), ($3, $1)", [s.outsider.id, blockedByMe!.id, blockerOfMe!.id]);
    await sql.query("UPDATE user_profiles SET profile_visibility = 'private' WHERE user_id = $1", [hidden!.id]);
    await banUser(banned!.id);
    await softDeleteUser(deleted!.id);
    const seen = (await allPages(`/v1/groups/${s.group.slug}/members`, 100, s.outsider.headers)).map((m) => m.user.id);
    expect(seen.slice(0, 3)).toEqual([s.owner.id, s.admin.id, s.moderator.id]);
    expect(seen.slice(3).sort()).toEqual([s.member.id, s.member2.id].sort()); // joined at the same time: either order
    const byOthers = (await allPages(`/v1/groups/${s.group.slug}/members`, 100, s.member.headers)).map((m) => m.user.id);
    expect(byOthers).toContain(blockedByMe!.id);
    expect(byOthers).toContain(blockerOfMe!.id);
    expect((await allPages(`/v1/groups/${s.group.slug}/members`, 100, hidden!.headers)).map((m) => m.user.id)).toContain(hidden!.id);
    expect((await api("GET", `/v1/groups/${s.group.slug}`)).body.member_count).toBe(10);
  });
});

describe("GET /v1/groups/:slug/requests", () => {
  it("lists pending requests oldest first to moderators and up, hiding blocked and banned requesters", async () => {
    const s = await staffedGroup({ requires_approval: true });
    const [second, blocked, banned] = await Promise.all([1, 2, 3].map(() => memberOf(s.group.id, "member", "pending")));
    const at = (user: { id: string }, minutes: number) =>
      sql.query("UPDATE group_members SET joined_at = now() + make_interval(mins => $3) WHERE group_id = $1 AND user_id = $2", [s.group.id, user.id, minutes]);
    await Promise.all([at(s.pending, -3), at(blocked!, -2), at(second!, -1), at(banned!, -4)]);
    await sql.query("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)", [blocked!.id, s.moderator.id]);
    await banUser(banned!.id);
    for (const who of [s.owner, s.admin]) {
      expect((await allPages(`/v1/groups/${s.group.slug}/requests`, 1, who.headers)).map((m) => m.user.id)).toEqual([s.pending.id, blocked!.id, second!.id]);
    }
    const mod = await allPages(`/v1/groups/${s.group.slug}/requests`, 10, s.moderator.headers);
    expect(mod.map((m) => [m.user.id, m.status])).toEqual([
      [s.pending.id, "pending"],
      [second!.id, "pending"],
    ]);
  });
});
