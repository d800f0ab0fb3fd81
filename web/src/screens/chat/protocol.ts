/**
 * The client's side of the chat room's wire protocol (`veza.chat.v1`): the frames' types come from
 * durable-objects/chat-room/protocol.ts itself (type-only imports: none of its code is bundled), the
 * room settings and permissions from members.ts, which is plain and imported as is. The constants are
 * repeated here so the chat chunk does not bundle the server's zod schemas.
 */
import type { MemberInfo, Permissions, RoomConfig } from "../../../../durable-objects/chat-room/members";
import type { ChatMessage, ErrorCode } from "../../../../durable-objects/chat-room/protocol";

export type { MemberInfo, Permissions, RoomConfig };
/** Whether a member is muted now (members.ts is plain code: bundled as is). */
export { isMuted } from "../../../../durable-objects/chat-room/members";

export const PROTOCOL = "veza.chat.v1";
/** messages.content's length limit. */
export const MAX_CONTENT_LENGTH = 10_000;
/** A typing indicator lapses by itself after this long unless renewed. */
export const TYPING_TTL_MS = 6000;
/** Close codes of the room: token expired, no longer a member, room deleted. */
export const TOKEN_EXPIRED_CLOSE_CODE = 4001;
export const REMOVED_CLOSE_CODE = 4003;
export const ROOM_CLOSED_CLOSE_CODE = 4004;

export type { ChatMessage, ErrorCode, OnlineMember, PresenceStatus, ReactionSummary, ServerFrame } from "../../../../durable-objects/chat-room/protocol";

export type Me = MemberInfo & { permissions: Permissions };

/** What the client sends (the connection adds `request_id`). */
export type ClientFrame =
  | { type: "send"; content: string; reply_to_id?: string; nonce?: string }
  | { type: "edit"; message_id: string; content: string }
  | { type: "delete"; message_id: string }
  | { type: "react" | "unreact"; message_id: string; emoji: string }
  | { type: "pin" | "unpin"; message_id: string }
  | { type: "read"; seq: number }
  | { type: "typing"; active: boolean }
  | { type: "presence"; status: "online" | "away" | "busy" }
  | { type: "reauth"; token: string };

/** A refusal of the room (its error frame), or no answer: `closed` (the link dropped), `timeout`. */
export class RoomError extends Error {
  constructor(
    readonly code: ErrorCode | "closed" | "timeout",
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "RoomError";
  }
}

/** The sender's name as the room shows it: their nickname in the room, else @username. */
export const senderName = (m: Pick<ChatMessage, "sender">) => m.sender.nickname ?? m.sender.username;

