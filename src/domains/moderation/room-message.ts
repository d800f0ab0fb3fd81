import type { RoomConfig } from "../../../durable-objects/chat-room/members";
import type { ModerationResult } from "../../../durable-objects/chat-room/protocol";
import type { Env } from "../../env";
import { ApiError } from "../../lib/errors";
import { roomOf } from "../chat/room-object";

/**
 * A room's messages live in their room's ChatRoom object first (DESIGN §4): it broadcasts every
 * change and flushes it to Postgres, so an UPDATE of Postgres alone would reach no open socket and
 * be overwritten by the next flush. Moderation therefore hides and restores them through the
 * object (RPC `moderate`), then records the action in Postgres.
 */

/** Hides (`hidden`) or restores a message through its room's object. */
export type RoomModeration = (room: RoomConfig, messageId: string, hidden: boolean) => Promise<ModerationResult>;

/** What live sockets must hear of a content action or its reversal. */
export interface LiveContent {
  /** A room hidden or reopened: its object is told (a deleted room closes every socket). */
  room?: RoomConfig;
  /** A direct message hidden: both inboxes drop it. */
  direct_message?: { id: string; sender_id: string; recipient_id: string };
  /** A room's message (no direct message has that id): hidden through its room, then recorded. */
  room_message?: { room: RoomConfig; sender_id: string };
}

/** The moderator `moderatorId`'s RoomModeration; an object that cannot be reached is a 503 (nothing was recorded: retry). */
export function roomModeration(env: Env, moderatorId: string): RoomModeration {
  return async (room, messageId, hidden) => {
    try {
      return (await roomOf(env, room.room_id).moderate(room, messageId, moderatorId, hidden)) as ModerationResult;
    } catch (err) {
      throw new ApiError("service_unavailable", "The message's chat room cannot be reached right now; retry shortly.", { headers: { "Retry-After": "2" }, cause: err });
    }
  };
}

/**
 * The room hid the message for this action: just now, or earlier by the same moderator (a retry
 * after the record failed). A message its sender or a room moderator deleted is not this action's.
 */
export const isRoomMessageHidden = (result: ModerationResult, moderatorId: string): result is Extract<ModerationResult, { found: true }> =>
  result.found && (result.changed || result.deleted_by === moderatorId);
