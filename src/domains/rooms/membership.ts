import { sql } from "drizzle-orm";
import type { MemberInfo } from "../../../durable-objects/chat-room/members";
import type { Database } from "../../db/client";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { memberInfoJson } from "../chat/member-info";
import { iso } from "../tracks/track-view";
import { actorColumn, actorCte, asMember, parseJson, visibleRoom, type Actor } from "./access";
import { changedMemberColumns, toInfo, toMember } from "./member-view";
import { membershipJson, toMembership } from "./room-view";
import type { Membership, UpdateMyMembershipInput } from "./schemas";

/**
 * The caller's own membership: leaving, handing over ownership, their nickname and notifications,
 * and their read marker. One statement each.
 */

/**
 * POST /v1/rooms/:id/leave. The owner cannot leave (the room would have none): they delete it or
 * transfer it first. Leaving a room one is not in changes nothing (204), and the room is told
 * again (a repeat after a 503 must reach it).
 */
export async function leaveRoom(db: Database, roomId: string, userId: string): Promise<void> {
  const { rows } = await db.execute<{ actor: unknown; left: boolean }>(sql`
    WITH actor AS (${actorCte(roomId, userId)}),
    gone AS (
      DELETE FROM room_members
       WHERE room_id = (SELECT room_id FROM actor) AND user_id = ${userId} AND NOT is_banned AND role <> 'owner'
      RETURNING user_id
    )
    SELECT ${actorColumn}, EXISTS (SELECT 1 FROM gone) AS left`);
  const row = rows[0]!;
  if (row.left) return;
  const actor = visibleRoom(parseJson<Actor>(row.actor));
  if (actor.is_banned) throw forbidden("You are banned from this room.");
  if (actor.role === "owner") throw new ApiError("conflict", "The owner cannot leave: delete the room or transfer ownership first.");
}

interface TransferRow {
  actor: unknown;
  target: unknown;
  moved: unknown;
  current: unknown;
  [column: string]: unknown;
}

/**
 * POST /v1/rooms/:id/transfer: the owner makes another member the owner and becomes an admin, both
 * rows in one UPDATE (the room never has two owners or none). Repeating it answers the same.
 */
export async function transferRoom(db: Database, roomId: string, userId: string, newOwnerId: string) {
  if (newOwnerId === userId) throw new ApiError("validation_failed", "The request is not valid.", { errors: [{ path: "json.user_id", message: "is you: you already own the room" }] });
  const { rows } = await db.execute<TransferRow>(sql`
    WITH actor AS (${actorCte(roomId, userId)}),
    target AS (SELECT role, is_banned FROM room_members WHERE room_id = (SELECT room_id FROM actor) AND user_id = ${newOwnerId}),
    moved AS (
      UPDATE room_members m SET role = CASE WHEN m.user_id = ${newOwnerId}::uuid THEN 'owner' ELSE 'admin' END
        FROM users u
       WHERE u.id = m.user_id AND m.room_id = (SELECT room_id FROM actor) AND m.user_id IN (${userId}::uuid, ${newOwnerId}::uuid)
         AND EXISTS (SELECT 1 FROM actor a WHERE a.role = 'owner' AND NOT a.is_banned)
         AND EXISTS (SELECT 1 FROM target t WHERE NOT t.is_banned)
      RETURNING m.user_id, ${changedMemberColumns}
    )
    SELECT ${actorColumn}, (SELECT row_to_json(t) FROM target t) AS target, (SELECT json_agg(x) FROM moved x) AS moved,
           (SELECT json_agg(x) FROM (SELECT m.user_id, ${changedMemberColumns} FROM room_members m JOIN users u ON u.id = m.user_id
                                      WHERE m.room_id = (SELECT room_id FROM actor) AND m.user_id IN (${userId}::uuid, ${newOwnerId}::uuid)) x) AS current`);
  const row = rows[0]!;
  const done = (value: unknown) => {
    const members = parseJson<Array<{ user_id: string; view: unknown; member: unknown }>>(value) ?? [];
    const owner = members.find((m) => m.user_id === newOwnerId);
    const previous = members.find((m) => m.user_id === userId);
    if (!owner || !previous) return null;
    return {
      result: { owner: toMember(owner.view), previous_owner: toMember(previous.view) },
      changes: [owner, previous].map((m) => ({ userId: m.user_id, member: toInfo(m.member)! })),
    };
  };
  const moved = done(row.moved);
  if (moved) return moved;
  const actor = asMember(parseJson<Actor>(row.actor));
  const target = parseJson<{ role: string; is_banned: boolean }>(row.target);
  // Already handed over (a repeat after a 503): the same answer, and the room is told again.
  if (actor.role === "admin" && target?.role === "owner" && !target.is_banned) return done(row.current)!;
  if (actor.role !== "owner") throw forbidden("Only the room's owner can transfer it.");
  if (!target || target.is_banned) throw notFound("This member");
  throw new ApiError("conflict", "The membership changed while this request ran; try again.");
}

/** PATCH /v1/rooms/:id/members/me: the caller's nickname in the room and notification level. */
export async function updateMyMembership(db: Database, roomId: string, userId: string, patch: UpdateMyMembershipInput): Promise<{ membership: Membership; member: MemberInfo }> {
  const sets = [];
  if (patch.nickname !== undefined) sets.push(sql`custom_nickname = ${patch.nickname}`);
  if (patch.notification_level !== undefined) sets.push(sql`notification_level = ${patch.notification_level}::notification_level`);
  const { rows } = await db.execute<{ actor: unknown; membership: unknown; member: unknown }>(sql`
    WITH actor AS (${actorCte(roomId, userId)}),
    updated AS (
      UPDATE room_members m SET ${sql.join(sets, sql`, `)} FROM users u
       WHERE u.id = m.user_id AND m.room_id = (SELECT room_id FROM actor) AND m.user_id = ${userId} AND NOT m.is_banned
      RETURNING ${membershipJson} AS membership, ${memberInfoJson} AS member
    )
    SELECT ${actorColumn}, (SELECT membership FROM updated), (SELECT member FROM updated)`);
  const row = rows[0]!;
  if (row.membership) return { membership: toMembership(row.membership)!, member: toInfo(row.member)! };
  asMember(parseJson<Actor>(row.actor));
  throw new ApiError("conflict", "Your membership changed while this request ran; try again.");
}

/**
 * PUT /v1/rooms/:id/read: the read marker only moves forward (GREATEST), so a late request from
 * another device never marks messages unread again.
 */
export async function markRead(db: Database, roomId: string, userId: string, seq: number) {
  const { rows } = await db.execute<{ actor: unknown; last_read_seq: string | null; last_read_at: string | null }>(sql`
    WITH actor AS (${actorCte(roomId, userId)}),
    marked AS (
      UPDATE room_members SET last_read_seq = GREATEST(COALESCE(last_read_seq, 0), ${seq}::bigint), last_read_at = now()
       WHERE room_id = (SELECT room_id FROM actor) AND user_id = ${userId} AND NOT is_banned
      RETURNING last_read_seq::text, ${iso("last_read_at")} AS last_read_at
    )
    SELECT ${actorColumn}, (SELECT last_read_seq FROM marked), (SELECT last_read_at FROM marked)`);
  const row = rows[0]!;
  if (row.last_read_seq !== null) return { last_read_seq: Number(row.last_read_seq), last_read_at: row.last_read_at! };
  asMember(parseJson<Actor>(row.actor));
  throw new ApiError("conflict", "Your membership changed while this request ran; try again.");
}
