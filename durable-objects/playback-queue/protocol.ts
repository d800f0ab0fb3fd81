import { z } from "@hono/zod-openapi";
import type { QueueableTrack } from "../../src/domains/queue/queueable-tracks";
import { ACCOUNT_DELETED_CLOSE_CODE } from "../lib/token-bound-socket";

/**
 * The PlaybackQueue's wire protocol (`veza.queue.v1`), shared by the Durable Object, the REST
 * routes and clients. Every frame is one JSON object with a `type`.
 *
 * Client → server: an operation with a `request_id` (echoed in the answer). List edits (add,
 * remove, move, clear, replace) MUST carry `version`, the version the client's state is at;
 * transport and settings operations MAY carry it. A write at any other version is refused as
 * `rejected`/`stale` with the current state, and nothing is applied.
 *
 * Server → client:
 *  - `state`    the whole queue: on connect, and after list edits, replace and shuffle;
 *  - `playback` only the playback fields (no items): after play, pause, seek, next, previous,
 *               ended, repeat and volume, which leave the list as it is — merge it into the state;
 *  - `ack`      to the sender of an accepted operation, with the version it produced (the
 *               state/playback broadcast reaches every socket of the user, the sender included);
 *  - `rejected` to the sender only: its `version` was stale; `state` is the current one;
 *  - `error`    an invalid, refused or rate-limited frame; the socket stays open.
 *  - `reauthenticated` the answer to `{type: "reauth", request_id, token}`.
 *
 * A socket is bound to the access token that opened it: once that token has expired, the next frame
 * to or from the socket is an `error`/`token_expired` and the socket is closed with code 4001 (so a
 * revoked session, a password change or a deleted account cuts its sockets off within an access
 * token's lifetime, 15 minutes). A client keeps its socket by sending a fresh token before then:
 * `{type: "reauth", request_id, token}` (checked like any request's token, for the same user), or
 * reconnects (it gets the current state on connect). A ban or suspension closes every socket of
 * the account at once with code 4003, reason `banned` (a deletion: 4003, `account deleted`).
 * `server_time` (ms since the epoch) on state/playback lets a device estimate its clock offset
 * before extrapolating the position of a playing track from `position_updated_at`.
 */

export const PROTOCOL = "veza.queue.v1";
export const MAX_QUEUE_ITEMS = 1000;
export const MAX_FRAME_BYTES = 64 * 1024;
/** Previous within this many ms of the start goes to the previous item; later, it restarts the current one. */
export const RESTART_THRESHOLD_MS = 3000;
export const REPEAT_MODES = ["off", "track", "queue"] as const;
export type RepeatMode = (typeof REPEAT_MODES)[number];

const version = z.number().int().min(0);
const trackIds = z.array(z.uuid()).min(1).max(MAX_QUEUE_ITEMS);
const positionMs = z.number().int().min(0).max(86_400_000);
const volume = z.number().int().min(0).max(100);

/** The operations, without the envelope: what REST and WebSocket clients both ask for. */
export const OperationSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("add"), version, track_ids: trackIds, position: z.union([z.number().int().min(0), z.literal("next")]).optional() }).strict(),
  z.object({ type: z.literal("remove"), version, item_id: z.uuid() }).strict(),
  z.object({ type: z.literal("move"), version, item_id: z.uuid(), position: z.number().int().min(0) }).strict(),
  z.object({ type: z.literal("clear"), version }).strict(),
  z
    .object({
      type: z.literal("replace"),
      version,
      track_ids: z.array(z.uuid()).max(MAX_QUEUE_ITEMS),
      current_index: z.number().int().min(0).nullable().optional(),
      position_ms: positionMs.optional(),
      is_playing: z.boolean().optional(),
      shuffle: z.boolean().optional(),
      repeat: z.enum(REPEAT_MODES).optional(),
      volume: volume.optional(),
    })
    .strict(),
  z.object({ type: z.literal("play"), version: version.optional(), item_id: z.uuid().optional() }).strict(),
  z.object({ type: z.literal("pause"), version: version.optional() }).strict(),
  z.object({ type: z.literal("seek"), version: version.optional(), position_ms: positionMs }).strict(),
  z.object({ type: z.literal("next"), version: version.optional() }).strict(),
  z.object({ type: z.literal("previous"), version: version.optional() }).strict(),
  z.object({ type: z.literal("ended"), version: version.optional() }).strict(),
  z.object({ type: z.literal("shuffle"), version: version.optional(), shuffle: z.boolean() }).strict(),
  z.object({ type: z.literal("repeat"), version: version.optional(), mode: z.enum(REPEAT_MODES) }).strict(),
  z.object({ type: z.literal("volume"), version: version.optional(), volume }).strict(),
  // REST's PATCH /settings: several settings in one change (one version step).
  z
    .object({ type: z.literal("settings"), version: version.optional(), shuffle: z.boolean().optional(), repeat: z.enum(REPEAT_MODES).optional(), volume: volume.optional() })
    .strict(),
]);
export type Operation = z.infer<typeof OperationSchema>;
export type OperationType = Operation["type"];

/** A frame from a client: an operation plus its `request_id` (validated apart: the operations are strict). */
export { RequestIdSchema } from "../lib/client-frames";
export type ClientFrame = Operation & { request_id: string };

/** A queued track: what it captured when added (QueueableTrack), its own id, and whether it can still be played. */
export interface QueueItem extends QueueableTrack {
  item_id: string;
  /** false once the track was deleted, made private or its creator banned: kept, skipped by next/ended. */
  available: boolean;
  added_at: string;
}

/** Everything but the items: what a `playback` frame carries. */
export interface Playback {
  version: number;
  current_item_id: string | null;
  position_ms: number;
  /** When position_ms was true (ISO 8601): while playing, position = position_ms + (now - this). */
  position_updated_at: string;
  is_playing: boolean;
  shuffle: boolean;
  repeat: RepeatMode;
  volume: number;
}

export interface QueueState extends Playback {
  /** In play order (the shuffled order while shuffle is on). */
  items: QueueItem[];
}

/** Why an operation was refused (error frames; REST maps them to statuses). */
export type RefusalCode =
  | "stale"
  | "unknown_tracks"
  | "queue_full"
  | "item_not_found"
  | "invalid_position"
  | "nothing_to_play"
  | "unavailable"
  | "database_unavailable";

export type ErrorFrameCode = RefusalCode | "invalid_message" | "message_too_large" | "rate_limited" | "token_expired" | "invalid_token";

/** The token rules every per-user socket shares (4001 on expiry, 4003 on deletion, `reauth`). */
export { ACCOUNT_DELETED_CLOSE_CODE, ReauthSchema, TOKEN_EXPIRED_CLOSE_CODE } from "../lib/token-bound-socket";

/**
 * Close code of every socket of an account just banned or suspended: the same 4003 as a deletion
 * (and as a chat room's ban), which tells a client not to reconnect; the reason is `banned`. The
 * queue itself is kept, for the day the sanction ends.
 */
export const ACCOUNT_BANNED_CLOSE_CODE = ACCOUNT_DELETED_CLOSE_CODE;

export type ServerFrame =
  | { type: "state"; state: QueueState; server_time: number }
  | { type: "playback"; playback: Playback; server_time: number }
  | { type: "ack"; request_id: string; version: number }
  | { type: "reauthenticated"; request_id: string; expires_at: string }
  | { type: "rejected"; request_id: string; code: "stale"; state: QueueState }
  | { type: "error"; request_id?: string; code: ErrorFrameCode; message: string; track_ids?: string[] };

/** What the object answers a REST caller (typed RPC): the new state, or why nothing changed. */
export type OperationResult =
  | { ok: true; state: QueueState }
  | { ok: false; code: RefusalCode; message: string; state?: QueueState; track_ids?: string[] };
