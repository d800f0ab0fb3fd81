import { z } from "@hono/zod-openapi";
import type { MemberInfo, Permissions, RoomConfig } from "./members";

/**
 * The ChatRoom's wire protocol (`veza.chat.v1`), shared by the Durable Object, the REST routes and
 * clients. Every frame is one JSON object with a `type`.
 *
 * Sequence numbers: the room counts every change to its timeline — a new message, and any later
 * change to one (edit, delete, pin, reaction, a reply in its thread) — with one counter, `seq`.
 * A message keeps the seq it was created with (`message.seq`, the order of the timeline) and
 * carries the seq of its latest change (`message.rev`). Each `message`/`message_updated` frame
 * carries the event's `seq`; a client remembers the highest it saw and reconnects with
 * `?since=<seq>`: it receives a `sync` frame holding, for every message changed after that, its
 * current state — exactly what it missed, each message once. `complete: false` means the gap
 * reaches past what the room keeps: load the history over REST instead.
 *
 * Client → server (each with a `request_id`, echoed by the answer):
 *  send {content, reply_to_id?, thread_root_id?, attachment_file_id?, nonce?} → ack {message_id, seq}
 *    (`nonce`, unique per sender: a retried send answers the first one's ack instead of a duplicate)
 *  edit {message_id, content} · delete {message_id} · react / unreact {message_id, emoji}
 *  pin / unpin {message_id} · read {seq} · typing {active} · presence {status} · reauth {token}
 *  → ack {seq?} or error {code, message}. The text frame `ping` is answered `pong`.
 *
 * Server → client: ready (on connect), sync, message, message_updated, typing, presence, member,
 * room, read (your own read marker, from another of your devices), ack, error — and `batch`
 * ({frames}: several message/message_updated frames in seq order, to apply one after the other),
 * which the room sends under load instead of one frame per event.
 */

export const PROTOCOL = "veza.chat.v1";
/** messages.content CHECK (chk_messages_content_length). */
export const MAX_CONTENT_LENGTH = 10_000;
export const MAX_FRAME_BYTES = 64 * 1024;
/** Messages sent on connect without `since`, and the most a `sync` replays before it says incomplete. */
export const RECENT_ON_CONNECT = 50;
export const MAX_SYNC_MESSAGES = 1000;
/** A typing indicator lapses by itself after this long unless renewed. */
export const TYPING_TTL_MS = 6000;
export const MAX_REACTION_KINDS = 20;

export { TOKEN_EXPIRED_CLOSE_CODE } from "../lib/close-codes";
/** You are no longer a member (left, kicked, banned) or your account was deleted. */
export const REMOVED_CLOSE_CODE = 4003;
/** The room was deleted. */
export const ROOM_CLOSED_CLOSE_CODE = 4004;

const id = z.uuid();
const content = z.string().trim().min(1).max(MAX_CONTENT_LENGTH);
/** One emoji (a grapheme of up to 20 UTF-16 units: ZWJ sequences with skin tones), VARCHAR(20) in SQL. */
const emoji = z.string().min(1).max(20).regex(/^[^\s\p{L}\p{N}]+$/u, "must be an emoji");

export const SendSchema = z
  .object({
    type: z.literal("send"),
    content,
    reply_to_id: id.optional(),
    thread_root_id: id.optional(),
    attachment_file_id: id.optional(),
    nonce: z.string().min(1).max(64).optional(),
  })
  .strict();
export type SendInput = Omit<z.infer<typeof SendSchema>, "type">;

export const ClientFrameSchema = z.discriminatedUnion("type", [
  SendSchema,
  z.object({ type: z.literal("edit"), message_id: id, content }).strict(),
  z.object({ type: z.literal("delete"), message_id: id }).strict(),
  z.object({ type: z.literal("react"), message_id: id, emoji }).strict(),
  z.object({ type: z.literal("unreact"), message_id: id, emoji }).strict(),
  z.object({ type: z.literal("pin"), message_id: id }).strict(),
  z.object({ type: z.literal("unpin"), message_id: id }).strict(),
  z.object({ type: z.literal("read"), seq: z.number().int().min(0) }).strict(),
  z.object({ type: z.literal("typing"), active: z.boolean() }).strict(),
  z.object({ type: z.literal("presence"), status: z.enum(["online", "away", "busy"]) }).strict(),
  z.object({ type: z.literal("reauth"), token: z.string().min(1).max(4096) }).strict(),
]);
export type ClientFrame = z.infer<typeof ClientFrameSchema>;
export { RequestIdSchema } from "../lib/client-frames";

export type MessageType = "text" | "image" | "audio" | "video" | "file";
export type PresenceStatus = "online" | "away" | "busy" | "offline";

export interface ChatAttachment {
  file_id: string;
  filename: string;
  mime_type: string;
  size: number;
}

export interface ReactionSummary {
  emoji: string;
  count: number;
  user_ids: string[];
}

export interface ChatMessage {
  id: string;
  room_id: string;
  seq: number;
  /** The seq of the latest change to this message (= seq until it changes). */
  rev: number;
  sender: { id: string; username: string; nickname: string | null };
  /** Empty once deleted. */
  content: string;
  message_type: MessageType;
  attachment: ChatAttachment | null;
  reply_to_id: string | null;
  thread_root_id: string | null;
  thread_count: number;
  /** Usernames written as @name in the content (resolved to members' ids when stored in Postgres). */
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

export type ServerFrame =
  | {
      type: "ready";
      room: RoomConfig;
      me: MemberInfo & { permissions: Permissions };
      online: OnlineMember[];
      /** The room's latest seq. */
      seq: number;
      /** Messages of others after your read marker, not deleted. */
      unread: number;
      last_read_seq: number;
    }
  | { type: "sync"; messages: ChatMessage[]; seq: number; complete: boolean }
  | { type: "batch"; frames: Array<{ type: "message" | "message_updated"; message: ChatMessage; seq: number }> }
  | { type: "message"; message: ChatMessage; seq: number }
  | { type: "message_updated"; message: ChatMessage; seq: number }
  | { type: "typing"; user_id: string; username: string; active: boolean; expires_in_ms: number }
  | { type: "presence"; user_id: string; username: string; status: PresenceStatus }
  | { type: "member"; user_id: string; change: string; member: MemberInfo | null }
  | { type: "room"; room: RoomConfig }
  | { type: "read"; seq: number }
  | { type: "ack"; request_id: string; message_id?: string; seq?: number }
  | { type: "reauthenticated"; request_id: string; expires_at: string }
  | { type: "error"; request_id?: string; code: ErrorCode; message: string; retry_after_ms?: number };

/** What the object answers a REST send (typed RPC). */
export type PostResult = { ok: true; message: ChatMessage } | { ok: false; code: ErrorCode; message: string; retry_after_ms?: number };

/**
 * What the room answers a platform moderator's hide or restore (RPC `moderate`): whether the room
 * has the message, who sent it, whether this call changed it, and who deleted it (null: visible).
 */
export type ModerationResult =
  | { found: false }
  | { found: true; changed: boolean; sender_id: string; deleted_by: string | null };
