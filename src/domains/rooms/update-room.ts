import { sql, type SQL } from "drizzle-orm";
import type { RoomConfig } from "../../../durable-objects/chat-room/members";
import type { Database } from "../../db/client";
import { hashPassword } from "../../lib/auth/passwords";
import { ApiError, forbidden } from "../../lib/errors";
import { actorColumn, actorCte, actorMay, asMember, parseJson, withPermission, type Actor } from "./access";
import { isRoomFull } from "./pg-error";
import { selectRoom, toRoom, type RoomRow } from "./room-view";
import type { Room, UpdateRoomInput } from "./schemas";

const MANAGE_ROOM = "Only the room's owner and admins can change its settings.";

/** What the ChatRoom object is told after a settings change (notifyRoomConfigured). */
const configOf = (room: Room): RoomConfig => ({ room_id: room.id, slow_mode_seconds: room.slow_mode_seconds, is_archived: room.is_archived, is_deleted: false });

/**
 * One statement: the UPDATE of the room (`set`) when the actor has the manage_room permission, and
 * the room as it is now; or what the actor was, to explain the refusal.
 */
async function changeRoom(db: Database, roomId: string, userId: string, set: SQL): Promise<{ room: Room; config: RoomConfig }> {
  try {
    const { rows } = await db.execute<Partial<RoomRow> & { actor: unknown }>(sql`
      WITH actor AS (${actorCte(roomId, userId)}),
      updated AS (
        UPDATE rooms SET ${set} WHERE id = (SELECT room_id FROM actor) AND ${actorMay("manage_room")} RETURNING *
      )
      SELECT ${actorColumn}, v.* FROM (SELECT 1) one LEFT JOIN (${selectRoom(sql`updated`, userId)}) v ON true`);
    const row = rows[0]!;
    if (row.id) {
      const room = toRoom(row as RoomRow);
      return { room, config: configOf(room) };
    }
    withPermission(parseJson<Actor>(row.actor), "manage_room", MANAGE_ROOM);
    throw new ApiError("conflict", "The room changed while this request ran; try again.");
  } catch (err) {
    if (isRoomFull(err)) throw new ApiError("conflict", "The room has more members than that; remove some first or choose a larger max_members.", { cause: err });
    throw err;
  }
}

/** PATCH /v1/rooms/:id: owner and admins. A new password is hashed before the statement (bcrypt runs in the Worker). */
export async function updateRoom(db: Database, roomId: string, userId: string, patch: UpdateRoomInput) {
  const sets: SQL[] = [];
  const text = { name: patch.name, description: patch.description, topic: patch.topic, rules: patch.rules, welcome_message: patch.welcome_message };
  for (const [column, value] of Object.entries(text)) if (value !== undefined) sets.push(sql`${sql.identifier(column)} = ${value}`);
  if (patch.max_members !== undefined) sets.push(sql`max_members = ${patch.max_members}`);
  if (patch.slow_mode_seconds !== undefined) sets.push(sql`slow_mode_seconds = ${patch.slow_mode_seconds}`);
  if (patch.is_nsfw !== undefined) sets.push(sql`is_nsfw = ${patch.is_nsfw}`);
  if (patch.message_retention_days !== undefined) sets.push(sql`message_retention_days = ${patch.message_retention_days}`);
  if (patch.password !== undefined) sets.push(sql`password_hash = ${patch.password === null ? null : await hashPassword(patch.password)}`);
  return changeRoom(db, roomId, userId, sql.join(sets, sql`, `));
}

/** POST /v1/rooms/:id/archive | unarchive: owner and admins; idempotent (archived_at keeps the first time). */
export const setArchived = (db: Database, roomId: string, userId: string, archived: boolean) =>
  changeRoom(db, roomId, userId, sql`is_archived = ${archived}, archived_at = CASE WHEN ${archived}::boolean THEN COALESCE(archived_at, now()) END`);

/**
 * DELETE /v1/rooms/:id by its owner: a soft delete, 404 everywhere at once. Members, messages and
 * invitations stay with it (retention and a later restore decide). The owner repeating it gets 204
 * again (a repeat after a 503 must reach the room); anyone else, 404. One statement.
 */
export async function deleteRoom(db: Database, roomId: string, userId: string): Promise<RoomConfig> {
  const { rows } = await db.execute<{ actor: unknown; slow_mode_seconds: number | null; is_archived: boolean | null }>(sql`
    WITH actor AS (${actorCte(roomId, userId)}),
    deleted AS (
      UPDATE rooms SET deleted_at = now()
       WHERE id = (SELECT room_id FROM actor) AND EXISTS (SELECT 1 FROM actor a WHERE a.role = 'owner' AND NOT a.is_banned)
      RETURNING slow_mode_seconds, is_archived
    ),
    gone AS (
      SELECT r.slow_mode_seconds, r.is_archived FROM rooms r JOIN room_members m ON m.room_id = r.id AND m.user_id = ${userId} AND m.role = 'owner'
       WHERE r.id = ${roomId} AND r.deleted_at IS NOT NULL
    )
    SELECT ${actorColumn}, d.slow_mode_seconds, d.is_archived
      FROM (SELECT 1) one LEFT JOIN (SELECT * FROM deleted UNION ALL SELECT * FROM gone) d ON true`);
  const row = rows[0]!;
  if (row.slow_mode_seconds !== null) return { room_id: roomId, slow_mode_seconds: Number(row.slow_mode_seconds), is_archived: row.is_archived === true, is_deleted: true };
  asMember(parseJson<Actor>(row.actor));
  throw forbidden("Only the room's owner can delete it.");
}
