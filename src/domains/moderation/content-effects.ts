import type { Context } from "hono";
import type { RoomConfig } from "../../../durable-objects/chat-room/members";
import type { AppEnv } from "../../env";
import { roomOf } from "../chat/room-object";
import { deliverLater } from "../inbox/inbox-object";
import type { RestoredDirectMessage } from "./reverse-action";
import type { LiveContent } from "./room-message";

/**
 * What live sockets hear of content taken down or brought back, once it is stored (a room's
 * message is told to its room before: see room-message.ts).
 *
 * - A room hidden or reopened: its object takes the new config; a hidden room closes every socket
 *   (ROOM_CLOSED_CLOSE_CODE), a reopened one takes connections again. Awaited, so "hidden" means
 *   closed when the moderator sees the answer; an object that cannot be reached is logged, not the
 *   request's failure (the room is already 404 to every new request and upgrade).
 * - A direct message: both inboxes drop it (`dm_deleted`, as a "delete for me" does on one's own
 *   devices), and get it back (`dm`, with the other side's card) when restored — each side only if
 *   it sees it again.
 */
export async function applyContentChange(c: Context<AppEnv>, live: LiveContent | null | undefined): Promise<void> {
  if (live?.room) await configureRoom(c, live.room);
  const dm = live?.direct_message;
  if (dm) {
    const frame = { type: "dm_deleted", message_id: dm.id };
    deliverLater(c, [{ userId: dm.sender_id, frame }, { userId: dm.recipient_id, frame }]);
  }
}

export async function applyContentRestore(c: Context<AppEnv>, room: RoomConfig | null | undefined, dm: RestoredDirectMessage | null | undefined): Promise<void> {
  if (room) await configureRoom(c, room);
  if (!dm) return;
  const deliveries = [];
  if (dm.sender_sees) deliveries.push({ userId: dm.sender.id, frame: { type: "dm", message: dm.message, user: dm.recipient } });
  if (dm.recipient_sees) deliveries.push({ userId: dm.recipient.id, frame: { type: "dm", message: dm.message, user: dm.sender } });
  deliverLater(c, deliveries);
}

async function configureRoom(c: Context<AppEnv>, room: RoomConfig): Promise<void> {
  try {
    await roomOf(c.env, room.room_id).configure(room);
  } catch (err) {
    c.var.log.warn("moderation: the room could not be told", { room_id: room.room_id, error: err instanceof Error ? err.message : String(err) });
  }
}
