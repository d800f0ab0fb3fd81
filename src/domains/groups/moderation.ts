import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { parseJson } from "../../lib/json-value";
import { actorColumn, actorCte, actorIsSql, actorOf, targetColumn, targetCte, targetOf, withRole, type Actor, type Target } from "./access";
import { memberJson, toMember } from "./member-view";
import { outranks, outranksSql, type GroupRole } from "./roles";
import type { Member } from "./schemas";

/**
 * What the staff of a group do to others: change roles, kick, ban, unban. Each is one statement
 * that acts only if the actor is an active member of the needed role and outranks the target (the
 * rules of ./roles.ts as SQL), and returns what it saw otherwise, to explain the refusal.
 */

const ROLES = "Only the group's owner and admins can change members' roles.";
const MODERATE = "Only the group's moderators, admins and owner can do this.";

/** The member json of the rows of a write's RETURNING named `cte`. */
const returned = (cte: string) =>
  sql`(SELECT ${memberJson} FROM ${sql.raw(cte)} m JOIN users u ON u.id = m.user_id LEFT JOIN user_profiles p ON p.user_id = u.id)`;

/** The refusal when a moderation statement changed nothing: the actor's rank, then the target's. */
function refusal(actor: Actor | null, target: Target | null, minimum: GroupRole, detail: string, targetStatus: "active" | "any" = "active"): ApiError {
  const member = withRole(actor, minimum, detail);
  if (!target || (targetStatus === "active" && target.status !== "active")) return notFound("This member");
  const role = target.role ?? "member";
  if (!outranks(member.role, role)) return forbidden(`Your role (${member.role}) does not outrank theirs (${role}).`);
  return new ApiError("conflict", "The membership changed while this request ran; try again.");
}

/**
 * PATCH /v1/groups/:slug/members/:username: the owner sets anyone else admin, moderator or member;
 * an admin sets moderators and members to moderator or member. Nobody changes the owner's role
 * (ownership moves with /transfer).
 */
export async function setMemberRole(db: Database, slug: string, userId: string, username: string, role: Exclude<GroupRole, "owner">): Promise<Member> {
  const { rows } = await db.execute<{ actor: unknown; target: unknown; changed: unknown }>(sql`
    WITH actor AS (${actorCte(slug, userId)}),
    target AS (${targetCte(username)}),
    changed AS (
      UPDATE group_members m SET role = ${role}
       WHERE m.group_id = (SELECT group_id FROM actor) AND m.user_id = (SELECT user_id FROM target) AND m.status = 'active'
         AND ${actorIsSql("admin")}
         AND EXISTS (SELECT 1 FROM actor a WHERE ${outranksSql(sql`a.role`, sql`m.role`)} AND ${outranksSql(sql`a.role`, sql`${role}`)})
      RETURNING m.*
    )
    SELECT ${actorColumn}, ${targetColumn}, ${returned("changed")} AS changed`);
  const row = rows[0]!;
  if (row.changed) return toMember(row.changed);
  const actor = actorOf(row.actor);
  const target = targetOf(row.target);
  const member = withRole(actor, "admin", ROLES);
  if (target?.status === "active" && target.role && outranks(member.role, target.role) && !outranks(member.role, role)) {
    throw forbidden(`Your role (${member.role}) cannot grant the ${role} role.`);
  }
  throw refusal(actor, target, "admin", ROLES);
}

/**
 * Deletes the membership row of `username` in the group when it has `status`, the actor is a
 * moderator or above and `also` holds over the row `m` (and the actor `a`); one statement, which
 * returns what it saw of the actor and the target to explain a refusal. Kicks, unbans and
 * rejected join requests are this with their own status and rule.
 */
export async function removeMembership(
  db: Database,
  slug: string,
  userId: string,
  username: string,
  status: "active" | "banned" | "pending",
  also: SQL = sql`true`,
): Promise<{ removed: boolean; actor: unknown; target: unknown }> {
  const { rows } = await db.execute<{ actor: unknown; target: unknown; removed: boolean }>(sql`
    WITH actor AS (${actorCte(slug, userId)}),
    target AS (${targetCte(username)}),
    removed AS (
      DELETE FROM group_members m
       WHERE m.group_id = (SELECT group_id FROM actor) AND m.user_id = (SELECT user_id FROM target) AND m.status = ${status}
         AND ${actorIsSql("moderator")} AND EXISTS (SELECT 1 FROM actor a WHERE ${also})
      RETURNING m.user_id
    )
    SELECT ${actorColumn}, ${targetColumn}, EXISTS (SELECT 1 FROM removed) AS removed`);
  return rows[0]!;
}

/** DELETE /v1/groups/:slug/members/:username (kick): moderators and up, on members below them; they may join again. */
export async function kickMember(db: Database, slug: string, userId: string, username: string): Promise<void> {
  const row = await removeMembership(db, slug, userId, username, "active", outranksSql(sql`a.role`, sql`m.role`));
  if (row.removed) return;
  throw refusal(actorOf(row.actor), targetOf(row.target), "moderator", MODERATE);
}

/**
 * POST /v1/groups/:slug/bans/:username: moderators and up, on anyone below them (a member, a
 * pending request, or someone not in the group). The row stays with status 'banned' and role
 * 'member' (an unban never restores a rank); a banned user cannot join. Banning again changes
 * nothing. member_count follows (trg_group_members_member_count).
 */
export async function banMember(db: Database, slug: string, userId: string, username: string): Promise<Member> {
  const { rows } = await db.execute<{ actor: unknown; target: unknown; banned: unknown }>(sql`
    WITH actor AS (${actorCte(slug, userId)}),
    target AS (${targetCte(username)}),
    banned AS (
      INSERT INTO group_members AS m (group_id, user_id, role, status)
      SELECT (SELECT group_id FROM actor), t.user_id, 'member', 'banned' FROM target t
       WHERE ${actorIsSql("moderator")} AND EXISTS (SELECT 1 FROM actor a WHERE ${outranksSql(sql`a.role`, sql`COALESCE(t.role, 'member')`)})
      ON CONFLICT (group_id, user_id) DO UPDATE SET status = 'banned', role = 'member', approved_at = NULL
       WHERE ${outranksSql(sql`(SELECT role FROM actor)`, sql`m.role`)}
      RETURNING m.*
    )
    SELECT ${actorColumn}, ${targetColumn}, ${returned("banned")} AS banned`);
  const row = rows[0]!;
  if (row.banned) return toMember(row.banned);
  const actor = actorOf(row.actor);
  withRole(actor, "moderator", MODERATE);
  const target = targetOf(row.target);
  if (!target) throw notFound("This user");
  throw refusal(actor, target, "moderator", MODERATE, "any");
}

/** DELETE /v1/groups/:slug/bans/:username: moderators and up; the ban row goes, so they may join again like anyone. */
export async function unbanMember(db: Database, slug: string, userId: string, username: string): Promise<void> {
  const row = await removeMembership(db, slug, userId, username, "banned");
  if (row.removed) return;
  withRole(actorOf(row.actor), "moderator", MODERATE);
  if (parseJson<Target>(row.target)?.status !== "banned") throw notFound("This ban");
  throw new ApiError("conflict", "The membership changed while this request ran; try again.");
}
