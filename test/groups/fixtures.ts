import type { GroupRole, GroupStatus } from "../../src/domains/groups/roles";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { sql, uniq } from "../helpers/db";

/** Fixtures of the groups domain's tests. */

export { banUser, softDeleteUser } from "../tracks/fixtures";

export interface TestGroup {
  id: string;
  slug: string;
  [k: string]: any;
}

/** A group created through the API by `owner` (a unique name unless given). */
export async function makeGroup(owner: SignedInUser, body: Record<string, unknown> = {}): Promise<TestGroup> {
  const res = await api("POST", "/v1/groups", { headers: owner.headers, body: { name: `Group ${uniq()}`, ...body } });
  if (res.status !== 201) throw new Error(`create group: ${res.status} ${res.text}`);
  return res.body;
}

/** A new signed-in user with a group_members row (setup, not under test). */
export async function memberOf(groupId: string, role: GroupRole = "member", status: GroupStatus = "active"): Promise<SignedInUser> {
  const user = await signedInUser();
  await sql.query("INSERT INTO group_members (group_id, user_id, role, status) VALUES ($1, $2, $3, $4)", [groupId, user.id, role, status]);
  return user;
}

/** A group with one member of each role, a pending requester and an outsider. */
export async function staffedGroup(body: Record<string, unknown> = {}) {
  const owner = await signedInUser();
  const group = await makeGroup(owner, body);
  const [admin, moderator, member, member2, pending] = await Promise.all([
    memberOf(group.id, "admin"),
    memberOf(group.id, "moderator"),
    memberOf(group.id, "member"),
    memberOf(group.id, "member"),
    memberOf(group.id, "member", "pending"),
  ]);
  const outsider = await signedInUser();
  return { group, owner, admin: admin!, moderator: moderator!, member: member!, member2: member2!, pending: pending!, outsider };
}

/** The stored membership row (null when none). */
export async function membershipRow(groupId: string, userId: string): Promise<Record<string, any> | null> {
  const [row] = await sql.query("SELECT * FROM group_members WHERE group_id = $1 AND user_id = $2", [groupId, userId]);
  return row ?? null;
}

/** The stored member_count, and the active rows it must equal. */
export async function memberCount(groupId: string): Promise<{ stored: number; active: number }> {
  const [row] = await sql.query(
    "SELECT g.member_count, (SELECT count(*) FROM group_members m WHERE m.group_id = g.id AND m.status = 'active')::int AS active FROM groups g WHERE g.id = $1",
    [groupId],
  );
  return { stored: Number(row!.member_count), active: Number(row!.active) };
}

export const as = (user: SignedInUser, body?: unknown) => ({ headers: user.headers, body });
