import type { MemberInfo, RoomConfig } from "../../../durable-objects/chat-room/members";
import type { Env } from "../../env";
import { ApiError } from "../../lib/errors";

/** The room's ChatRoom Durable Object (`idFromName(roomId)`). */
export const roomOf = (env: Env, roomId: string) => env.CHAT_ROOM.get(env.CHAT_ROOM.idFromName(roomId));

export type MemberChange = "joined" | "updated" | "left" | "kicked" | "banned";

/**
 * Tells the room that a membership changed in Postgres, after the change was committed: the
 * member's open sockets take the new role, permissions, mute or nickname at once, a member who left,
 * was kicked or banned has their sockets closed, and the room hears of it. A failure answers 503:
 * the change itself is stored, and repeating the request (idempotent) repeats the notice.
 */
export async function notifyMemberChanged(env: Env, roomId: string, userId: string, member: MemberInfo | null, change: MemberChange): Promise<void> {
  try {
    await roomOf(env, roomId).memberChanged(userId, member, change);
  } catch (err) {
    throw new ApiError("service_unavailable", "The change is saved but the room could not be told; repeat the request.", { headers: { "Retry-After": "2" }, cause: err });
  }
}

/** Tells the room that its settings changed (slow mode, archived, deleted); same failure rule. */
export async function notifyRoomConfigured(env: Env, config: RoomConfig): Promise<void> {
  try {
    await roomOf(env, config.room_id).configure(config);
  } catch (err) {
    throw new ApiError("service_unavailable", "The change is saved but the room could not be told; repeat the request.", { headers: { "Retry-After": "2" }, cause: err });
  }
}
