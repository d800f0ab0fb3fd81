import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { hashPassword } from "../../lib/auth/passwords";
import { ApiError } from "../../lib/errors";
import { pgErrorOf } from "./pg-error";
import { selectRoom, toRoom, type RoomRow } from "./room-view";
import { ROOM_CODE_ALPHABET, ROOM_CODE_LENGTH, type CreateRoomInput, type Room } from "./schemas";

/** 32 symbols divide 256: every byte maps to a symbol without bias. 32^8 ≈ 10^12 codes. */
export function newRoomCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(ROOM_CODE_LENGTH));
  return Array.from(bytes, (b) => ROOM_CODE_ALPHABET[b % ROOM_CODE_ALPHABET.length]).join("");
}

/** A code collision is ~n/10^12; a few tries make failing practically impossible. */
const CODE_ATTEMPTS = 5;

/**
 * POST /v1/rooms. One batch (one round trip, one transaction): the room and its creator as the
 * 'owner' member (trg_room_members_member_count makes member_count 1), then the room as the creator
 * sees it. The code is drawn here; `ON CONFLICT (room_code) DO NOTHING` turns a collision into "no
 * row" and the batch is tried again with a new code, while a taken slug still fails (409).
 */
export async function createRoom(db: Database, userId: string, input: CreateRoomInput): Promise<Room> {
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
    const id = crypto.randomUUID();
    try {
      const [, read] = await db.batch([
        db.execute(sql`
          WITH room AS (
            INSERT INTO rooms (id, name, slug, description, topic, rules, welcome_message, room_type, is_private, password_hash,
                               max_members, slow_mode_seconds, is_nsfw, message_retention_days, creator_id, room_code)
            VALUES (${id}, ${input.name}, ${input.slug ?? null}, ${input.description ?? null}, ${input.topic ?? null}, ${input.rules ?? null},
                    ${input.welcome_message ?? null}, ${input.room_type}, ${input.room_type === "private"}, ${passwordHash},
                    ${input.max_members ?? null}, ${input.slow_mode_seconds ?? 0}, ${input.is_nsfw ?? false}, ${input.message_retention_days ?? 0},
                    ${userId}, ${newRoomCode()})
            ON CONFLICT (room_code) DO NOTHING
            RETURNING id, creator_id
          )
          INSERT INTO room_members (room_id, user_id, role) SELECT id, creator_id, 'owner' FROM room`),
        db.execute<RoomRow>(sql`${selectRoom(sql`rooms`, userId)} AND r.id = ${id}`),
      ]);
      const row = read.rows[0];
      if (row) return toRoom(row);
    } catch (err) {
      const pg = pgErrorOf(err);
      if (pg?.code === "23505") throw new ApiError("conflict", "A room with this slug already exists.", { errors: [{ path: "json.slug", message: "is already taken" }], cause: err });
      throw err;
    }
  }
  throw new ApiError("service_unavailable", "No free room code was found; try again.", { headers: { "Retry-After": "1" } });
}
