import type { DirectMessage, ConversationUser } from "../../src/domains/direct-messages/schemas";
import type { TokenFrame } from "../lib/token-bound-socket";

/**
 * The UserInbox's wire protocol (`veza.inbox.v1`): one socket per device of a user, over which
 * the platform pushes what happens to that user (direct messages and notifications). Every
 * frame is one JSON object with a `type`.
 *
 * Nothing is stored in the inbox: the database is the record. A frame that finds no open socket is
 * simply not sent, and a (re)connecting client catches up with REST (GET /v1/me/conversations),
 * then applies the frames that arrive from then on. Frames are therefore hints that a client may
 * receive twice or never: each names the thing it is about (ids), so applying it is idempotent.
 *
 * Server → client:
 *  - `ready`       once, on connect;
 *  - `dm`          a direct message was stored; sent to its recipient and to its sender's devices.
 *                  `user` is the other side of the conversation, from the receiving user's view;
 *  - `dm_read`     `reader_id` read `sender_id`'s messages up to `up_to_id` (inclusive, in
 *                  conversation order); sent to both users;
 *  - `dm_deleted`  you deleted a message for yourself (your other devices drop it too);
 *  - `notification` a notification was created for you ({notification}: the row as
 *                  GET /v1/me/notifications lists it, without the actor's card): follows, likes, comments,
 *                  replies and mentions (chat @mentions once the room's flush stored them), group
 *                  approvals; see src/domains/notifications/notify.ts;
 *  - `reauthenticated` / `error` as below.
 * Client → server: only `{type: "reauth", request_id, token}` (and the text `ping`, answered
 * `pong` without waking the object). Anything else is an `error`/`invalid_message`.
 *
 * Like the queue's, a socket lives as long as the access token that opened it: once expired, the
 * next frame to or from it is an `error`/`token_expired` and it is closed with 4001; `reauth` with
 * a fresh token of the same user extends it. Deleting the account closes its sockets with 4003.
 */

export const PROTOCOL = "veza.inbox.v1";
/** Clients only send `reauth` frames: anything bigger than this is not one. */
export const MAX_CLIENT_FRAME_BYTES = 8 * 1024;
export { RequestIdSchema } from "../lib/client-frames";

/** What `deliver` accepts: any JSON object with a `type` (other domains add their own types). */
export interface InboxEvent {
  type: string;
  [key: string]: unknown;
}

export interface DmFrame extends InboxEvent {
  type: "dm";
  message: DirectMessage;
  /** The other side of the conversation, as the receiving user sees it. */
  user: ConversationUser;
}

export interface DmReadFrame extends InboxEvent {
  type: "dm_read";
  reader_id: string;
  sender_id: string;
  /** The last message marked read; every earlier message of the sender to the reader is read too. */
  up_to_id: string;
  read_at: string;
  /** How many messages this read marked. */
  count: number;
}

export interface DmDeletedFrame extends InboxEvent {
  type: "dm_deleted";
  message_id: string;
}

export type ServerFrame =
  | TokenFrame
  | { type: "ready"; user_id: string; server_time: number }
  | { type: "error"; request_id?: string; code: "invalid_message" | "message_too_large" | "rate_limited"; message: string }
  | DmFrame
  | DmReadFrame
  | DmDeletedFrame;
