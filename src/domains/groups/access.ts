import { sql, type SQL } from "drizzle-orm";
import { forbidden, notFound } from "../../lib/errors";
import { parseJson } from "../../lib/json-value";
import { iso } from "../tracks/track-view";
import { atLeast, rolesAtLeastSql, type GroupRole, type GroupStatus } from "./roles";

/**
 * Who may do what in a group. Every write checks the actor inside its one statement: it starts with
 * the `actor` CTE (the live group and the caller's membership row) and acts only when that row
 * allows it; the statement also returns what it saw (`Actor`), and the functions below turn that
 * into the right refusal when nothing was written.
 *
 * A group is live when it is not deleted and its owner's account is neither banned nor deleted: a
 * group whose creator handed it over stays with its new owner, one whose current owner is gone is
 * 404 like everything else that person made. Deleted groups are 404 to everyone (their slug stays
 * taken, so an old link never leads to another group).
 */

/** `g` (a groups row) is live: not deleted, owned by a live account (one probe of uq_group_members_group_owner). */
export const liveGroupSql = (g: string): SQL =>
  sql.raw(`${g}.deleted_at IS NULL AND EXISTS (SELECT 1 FROM group_members lo JOIN users lu ON lu.id = lo.user_id
            WHERE lo.group_id = ${g}.id AND lo.role = 'owner' AND lu.deleted_at IS NULL AND NOT lu.is_banned)`);

/** The CTE body `actor`: the live group with this slug and the user's membership row (if any). */
export const actorCte = (slug: string, userId: string | null): SQL => sql`
  SELECT g.id AS group_id, g.name, g.slug, g.group_type, g.requires_approval, m.role, m.status, ${iso("m.joined_at")} AS joined_at
    FROM groups g LEFT JOIN group_members m ON m.group_id = g.id AND m.user_id = ${userId}::uuid
   WHERE g.slug = ${slug.toLowerCase()} AND ${liveGroupSql("g")}`;

/** The actor as a JSON column of the final SELECT (null: no such live group). */
export const actorColumn = sql`(SELECT row_to_json(a) FROM actor a) AS actor`;

/** In a statement with the `actor` CTE: the actor is an active member of at least `minimum`. */
export const actorIsSql = (minimum: GroupRole): SQL =>
  sql`EXISTS (SELECT 1 FROM actor a WHERE a.status = 'active' AND a.role IN (${rolesAtLeastSql(minimum)}))`;

/**
 * The CTE body `target`: the live account named `username` and its membership row in the actor's
 * group (role and status null when it has none).
 */
export const targetCte = (username: string): SQL => sql`
  SELECT u.id AS user_id, u.is_banned AS account_banned, tm.role, tm.status
    FROM users u LEFT JOIN group_members tm ON tm.group_id = (SELECT group_id FROM actor) AND tm.user_id = u.id
   WHERE lower(u.username) = lower(${username}) AND u.deleted_at IS NULL`;

export const targetColumn = sql`(SELECT row_to_json(t) FROM target t) AS target`;

export interface Actor {
  group_id: string;
  name: string;
  group_type: "public" | "private";
  requires_approval: boolean;
  slug: string;
  role: GroupRole | null;
  status: GroupStatus | null;
  joined_at: string | null;
}

export interface Target {
  user_id: string;
  account_banned: boolean;
  role: GroupRole | null;
  status: GroupStatus | null;
}

export const actorOf = (value: unknown) => parseJson<Actor>(value);
export const targetOf = (value: unknown) => parseJson<Target>(value);

/** The group exists and is live; 404 otherwise. */
export function liveGroup(actor: Actor | null): Actor {
  if (!actor) throw notFound("This group");
  return actor;
}

/** The actor is an active member: 404 for no group, 403 when banned from it or not a member. */
export function asMember(actor: Actor | null): Actor & { role: GroupRole } {
  const group = liveGroup(actor);
  if (group.status === "banned") throw forbidden("You are banned from this group.");
  if (group.status !== "active" || !group.role) throw forbidden("Join this group first.");
  return group as Actor & { role: GroupRole };
}

/** The actor is an active member of at least `minimum`, else the refusal. */
export function withRole(actor: Actor | null, minimum: GroupRole, detail: string): Actor & { role: GroupRole } {
  const member = asMember(actor);
  if (!atLeast(member.role, minimum)) throw forbidden(detail);
  return member;
}
