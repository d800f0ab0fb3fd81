import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { postgresCode } from "../../lib/database-errors";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { parseJson } from "../../lib/json-value";
import { iso } from "../tracks/track-view";
import { actorColumn, actorCte, actorIsSql, actorOf, liveGroup, targetColumn, targetCte, targetOf, withRole } from "./access";
import { memberJson, toMember } from "./member-view";
import type { Membership } from "./schemas";

const CHANGED = "The membership changed while this request ran; try again.";

/**
 * POST /v1/groups/:slug/join. A public group without approval admits at once ('active'); a private
 * group, or one that requires approval, records a request ('pending') for its moderators. Blocks
 * do not stop anyone joining. Idempotent: a member or a pending request stays as it is. Banned from
 * the group: 403. One statement; member_count follows (trg_group_members_member_count).
 */
export async function joinGroup(db: Database, slug: string, userId: string): Promise<{ joined: boolean; membership: Membership }> {
  const { rows } = await db.execute<{ actor: unknown; joined: unknown }>(sql`
    WITH actor AS (${actorCte(slug, userId)}),
    joined AS (
      INSERT INTO group_members (group_id, user_id, role, status, approved_at)
      SELECT a.group_id, ${userId}, 'member', CASE WHEN open THEN 'active' ELSE 'pending' END, CASE WHEN open THEN now() END
        FROM actor a CROSS JOIN LATERAL (SELECT a.group_type = 'public' AND NOT a.requires_approval AS open) o
       WHERE a.status IS NULL
      ON CONFLICT (group_id, user_id) DO NOTHING
      RETURNING role, status, ${iso("joined_at")} AS joined_at
    )
    SELECT ${actorColumn}, (SELECT row_to_json(j) FROM joined j) AS joined`);
  const row = rows[0]!;
  const joined = parseJson<Membership>(row.joined);
  if (joined) return { joined: true, membership: joined };
  const actor = liveGroup(actorOf(row.actor));
  if (actor.status === "banned") throw forbidden("You are banned from this group.");
  if (!actor.role || !actor.status || !actor.joined_at) throw new ApiError("conflict", CHANGED);
  return { joined: false, membership: { role: actor.role, status: actor.status, joined_at: actor.joined_at } };
}

/**
 * DELETE /v1/groups/:slug/membership: leave the group, or withdraw a pending request. The owner
 * must hand the group over first (409). Not a member: nothing to do (204). A ban is not the
 * banned user's to lift (403). One statement.
 */
export async function leaveGroup(db: Database, slug: string, userId: string): Promise<void> {
  const { rows } = await db.execute<{ actor: unknown; left: boolean }>(sql`
    WITH actor AS (${actorCte(slug, userId)}),
    gone AS (
      DELETE FROM group_members
       WHERE group_id = (SELECT group_id FROM actor) AND user_id = ${userId} AND status IN ('active', 'pending') AND role <> 'owner'
      RETURNING user_id
    )
    SELECT ${actorColumn}, EXISTS (SELECT 1 FROM gone) AS left`);
  const row = rows[0]!;
  if (row.left) return;
  const actor = liveGroup(actorOf(row.actor));
  if (actor.status === "banned") throw forbidden("You are banned from this group.");
  if (actor.role === "owner") {
    throw new ApiError("conflict", "The owner cannot leave the group: transfer it to another member first (POST /v1/groups/{slug}/transfer), or delete it.");
  }
}

/**
 * POST /v1/groups/:slug/transfer: the owner hands the group to an active member (whose account is
 * in good standing) and becomes an admin. One statement: the new owner is promoted, and the old
 * owner demoted only if that promotion happened (so a target who left meanwhile never leaves the
 * group without an owner). uq_group_members_group_owner, checked at commit, turns a concurrent
 * second transfer into a 409 instead of two owners.
 */
export async function transferGroup(db: Database, slug: string, userId: string, username: string) {
  try {
    const { rows } = await db.execute<{ actor: unknown; target: unknown; promoted: unknown; demoted: unknown }>(sql`
      WITH actor AS (${actorCte(slug, userId)}),
      target AS (${targetCte(username)}),
      promoted AS (
        UPDATE group_members m SET role = 'owner'
         WHERE m.group_id = (SELECT group_id FROM actor) AND m.user_id = (SELECT user_id FROM target) AND m.user_id <> ${userId}
           AND m.status = 'active' AND ${actorIsSql("owner")} AND NOT (SELECT account_banned FROM target)
        RETURNING m.*
      ),
      demoted AS (
        UPDATE group_members m SET role = 'admin'
         WHERE m.group_id = (SELECT group_id FROM promoted) AND m.user_id = ${userId} AND m.role = 'owner'
        RETURNING m.*
      )
      SELECT ${actorColumn}, ${targetColumn},
             (SELECT ${memberJson} FROM promoted m JOIN users u ON u.id = m.user_id LEFT JOIN user_profiles p ON p.user_id = u.id) AS promoted,
             (SELECT ${memberJson} FROM demoted m JOIN users u ON u.id = m.user_id LEFT JOIN user_profiles p ON p.user_id = u.id) AS demoted`);
    const row = rows[0]!;
    if (row.promoted && row.demoted) return { owner: toMember(row.promoted), previous_owner: toMember(row.demoted) };
    withRole(actorOf(row.actor), "owner", "Only the group's owner can transfer it.");
    const target = targetOf(row.target);
    if (!target || target.status !== "active" || target.account_banned || target.user_id === userId) throw notFound("This member");
    throw new ApiError("conflict", CHANGED);
  } catch (err) {
    if (postgresCode(err) === "23P01") throw new ApiError("conflict", CHANGED, { cause: err });
    throw err;
  }
}
