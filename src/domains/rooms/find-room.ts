import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { notFound } from "../../lib/errors";
import { readableRoom, selectRoom, toRoom, type RoomRow } from "./room-view";
import type { Room } from "./schemas";

/**
 * GET /v1/rooms/:id: a public room to anyone, a private one to its members only (404 to everyone
 * else, as if it did not exist); with the viewer's membership. One statement.
 */
export async function findRoom(db: Database, roomId: string, viewerId: string | null): Promise<Room> {
  const { rows } = await db.execute<RoomRow>(sql`${selectRoom(sql`rooms`, viewerId)} AND r.id = ${roomId}`);
  return toRoom(readableRoom(rows[0]));
}

/**
 * GET /v1/rooms/by-code/:code. The code is an invitation link, so it opens private rooms too, but
 * says only what one needs to decide to join. Codes are upper-case; a typed lower-case one matches.
 * DM rooms have no code. One statement, on uq_rooms_room_code.
 */
export async function findRoomByCode(db: Database, code: string) {
  const { rows } = await db.execute<{ id: string; name: string | null; room_type: "public" | "private"; has_password: boolean; member_count: number | string }>(sql`
    SELECT id, name, room_type, password_hash IS NOT NULL AS has_password, member_count
      FROM rooms
     WHERE room_code = ${code.toUpperCase()} AND deleted_at IS NULL AND room_type <> 'dm'`);
  const row = rows[0];
  if (!row) throw notFound("This room code");
  return { id: row.id, name: row.name, room_type: row.room_type, has_password: row.has_password, member_count: Number(row.member_count) };
}
