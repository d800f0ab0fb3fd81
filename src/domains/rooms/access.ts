import { sql, type SQL } from "drizzle-orm";
import { MEMBER_ROLES, outranks, permissions, type MemberRole, type Permissions } from "../../../durable-objects/chat-room/members";
import { ApiError, forbidden, notFound } from "../../lib/errors";

/**
 * Who may do what in a room. The rules are the ChatRoom object's (`permissions`, `outranks` in
 * durable-objects/chat-room/members.ts); writes check them inside their one SQL statement, with SQL
 * generated from those same functions, so the Worker, the object and the database never disagree.
 * A statement also returns what it saw of the actor (`Actor`), and the functions below turn that
 * into the right refusal when nothing was written: a private room is 404 to non-members (its
 * existence is not revealed), a room one can see but not act in is 403.
 */

const NO_GRANTS = { can_invite: false, can_manage_messages: false, can_manage_members: false };
const GRANT_COLUMN: Partial<Record<keyof Permissions, string>> = { invite: "can_invite", manage_messages: "can_manage_messages", manage_members: "can_manage_members" };
const literal = (role: string) => `'${role}'`;

/** `alias` (a room_members row) has permission `kind`: the roles that have it by default, or the explicit grant. */
export function hasPermissionSql(kind: keyof Permissions, alias: string): SQL {
  const roles = MEMBER_ROLES.filter((role) => permissions({ role, ...NO_GRANTS })[kind]);
  const byRole = roles.length ? `${alias}.role IN (${roles.map(literal).join(", ")})` : "false";
  const grant = GRANT_COLUMN[kind];
  return sql.raw(`(${byRole}${grant ? ` OR ${alias}.${grant}` : ""})`);
}

/** `actor` outranks `target` (two role expressions), as `outranks` says. */
export function outranksSql(actor: SQL, target: SQL): SQL {
  const pairs = MEMBER_ROLES.flatMap((a) => MEMBER_ROLES.filter((t) => outranks(a, t)).map((t) => `(${literal(a)}, ${literal(t)})`));
  return sql`((${actor})::text, (${target})::text) IN (${sql.raw(pairs.join(", "))})`;
}

/**
 * The CTE body `actor`: the live room (`room`: its id, or a uuid expression) and the user's
 * membership row (if any). Every write of this
 * domain starts with it, so a single statement can act and still tell afterwards why it did not.
 */
export const actorCte = (room: string | SQL, userId: string | null) => sql`
  SELECT r.id AS room_id, r.room_type, (r.is_private OR r.room_type <> 'public') AS is_private, r.is_archived,
         r.slow_mode_seconds, m.user_id, m.role, COALESCE(m.is_banned, false) AS is_banned,
         COALESCE(m.can_invite, false) AS can_invite, COALESCE(m.can_manage_messages, false) AS can_manage_messages,
         COALESCE(m.can_manage_members, false) AS can_manage_members
    FROM rooms r LEFT JOIN room_members m ON m.room_id = r.id AND m.user_id = ${userId}::uuid
   WHERE r.id = ${typeof room === "string" ? sql`${room}::uuid` : room} AND r.deleted_at IS NULL`;

/** The actor as a JSON column of the final SELECT (null: no such live room). */
export const actorColumn = sql`(SELECT row_to_json(a) FROM actor a) AS actor`;

/** In a statement that has the `actor` CTE: the actor is a (not banned) member with permission `kind`. */
export const actorMay = (kind: keyof Permissions | "member") =>
  sql`EXISTS (SELECT 1 FROM actor a WHERE a.role IS NOT NULL AND NOT a.is_banned${kind === "member" ? sql`` : sql` AND ${hasPermissionSql(kind, "a")}`})`;

export interface Actor {
  room_id: string;
  room_type: "public" | "private" | "dm";
  is_private: boolean;
  is_archived: boolean;
  slow_mode_seconds: number;
  user_id: string | null;
  role: MemberRole | null;
  is_banned: boolean;
  can_invite: boolean;
  can_manage_messages: boolean;
  can_manage_members: boolean;
}

/** A json/row_to_json column as the driver returned it (text or already parsed). */
/** Rooms read their JSON columns with the shared reader. */
export { parseJson } from "../../lib/json-value";

/** The actor's role when they are a member (not banned), else null. */
export const memberRole = (actor: Actor): MemberRole | null => (actor.role && !actor.is_banned ? actor.role : null);

/** The room exists and the actor may see it; 404 otherwise. */
export function visibleRoom(actor: Actor | null): Actor {
  if (!actor || (actor.is_private && !memberRole(actor))) throw notFound("This room");
  return actor;
}

/** The actor is a member of the room: 404 for a private room they cannot see, 403 banned or not joined. */
export function asMember(actor: Actor | null): Actor & { role: MemberRole } {
  const seen = visibleRoom(actor);
  if (seen.is_banned) throw forbidden("You are banned from this room.");
  if (!memberRole(seen)) throw forbidden("Join this room first.");
  return seen as Actor & { role: MemberRole };
}

/** The actor is a member with permission `kind`, else the refusal. */
export function withPermission(actor: Actor | null, kind: keyof Permissions, detail: string): Actor & { role: MemberRole } {
  const member = asMember(actor);
  if (!permissions(member)[kind]) throw forbidden(detail);
  return member;
}

/** The refusal for moderating `targetRole` (null: not a member) when the statement changed nothing. */
export function moderationRefusal(actor: Actor | null, targetRole: MemberRole | null, kind: keyof Permissions, detail: string): ApiError {
  const member = withPermission(actor, kind, detail);
  if (!targetRole) return notFound("This member");
  if (!outranks(member.role, targetRole)) return forbidden(`Your role (${member.role}) does not outrank theirs (${targetRole}).`);
  return new ApiError("conflict", "The membership changed while this request ran; try again.");
}
