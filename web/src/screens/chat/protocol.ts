/**
 * The client's side of the chat room's wire protocol (`veza.chat.v1`), as
 * durable-objects/chat-room/protocol.ts defines it. Mirrored here, not imported: that file re-exports
 * from the Workers-only socket helpers, which do not type-check against the DOM. The room settings and
 * permissions come from members.ts, which is plain and imported as is.
 */
import type { MemberInfo, Permissions, RoomConfig } from "../../../../durable-objects/chat-room/members";

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

export type PresenceStatus = "online" | "away" | "busy" | "offline";

export interface ReactionSummary {
  emoji: string;
  count: number;
  user_ids: string[];
}

export interface ChatMessage {
  id: string;
  room_id: string;
  seq: number;
  /** The seq of the latest change to this message. */
  rev: number;
  sender: { id: string; username: string; nickname: string | null };
  /** Empty once deleted. */
  content: string;
  message_type: "text" | "image" | "audio" | "video" | "file";
  attachment: { file_id: string; filename: string; mime_type: string; size: number } | null;
  reply_to_id: string | null;
  thread_root_id: string | null;
  thread_count: number;
  mentions: string[];
  is_edited: boolean;
  edited_at: string | null;
  edit_count: number;
  is_deleted: boolean;
  is_pinned: boolean;
  reactions: ReactionSummary[];
  created_at: string;
}

export interface OnlineMember {
  user_id: string;
  username: string;
  status: PresenceStatus;
}

export type ErrorCode =
  | "invalid_message"
  | "message_too_large"
  | "rate_limited"
  | "slow_mode"
  | "muted"
  | "forbidden"
  | "not_found"
  | "archived"
  | "invalid_attachment"
  | "too_many_reactions"
  | "database_unavailable"
  | "token_expired"
  | "invalid_token";

export type Me = MemberInfo & { permissions: Permissions };

type TimelineFrame = { type: "message" | "message_updated"; message: ChatMessage; seq: number };

export type ServerFrame =
  | { type: "ready"; room: RoomConfig; me: Me; online: OnlineMember[]; seq: number; unread: number; last_read_seq: number }
  | { type: "sync"; messages: ChatMessage[]; seq: number; complete: boolean }
  | { type: "batch"; frames: TimelineFrame[] }
  | TimelineFrame
  | { type: "typing"; user_id: string; username: string; active: boolean; expires_in_ms: number }
  | { type: "presence"; user_id: string; username: string; status: PresenceStatus }
  | { type: "member"; user_id: string; change: string; member: MemberInfo | null }
  | { type: "room"; room: RoomConfig }
  | { type: "read"; seq: number }
  | { type: "ack"; request_id: string; message_id?: string; seq?: number }
  | { type: "reauthenticated"; request_id: string; expires_at: string }
  | { type: "error"; request_id?: string; code: ErrorCode; message: string; retry_after_ms?: number };

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

