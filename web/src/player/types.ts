/**
 * The live queue's shapes: QueueStateSchema / QueueItemSchema of src/domains/queue/schemas.ts (the
 * `veza.queue.v1` protocol of durable-objects/playback-queue/protocol.ts). Written out here rather than
 * imported: the protocol module pulls the Durable Object's Workers-only code into the web's type check.
 */
export type RepeatMode = "off" | "track" | "queue";

export interface QueueItem {
  item_id: string;
  track_id: string;
  title: string;
  artist: string | null;
  duration_ms: number | null;
  creator_username: string;
  cover_url: string | null;
  /** false once the track was deleted, made private or its creator banned: kept, skipped by next/ended. */
  available: boolean;
  added_at: string;
}

/** A `playback` frame: everything but the items. */
export interface Playback {
  version: number;
  current_item_id: string | null;
  position_ms: number;
  /** When position_ms was true: while playing, the position is position_ms + (now - this). */
  position_updated_at: string;
  is_playing: boolean;
  shuffle: boolean;
  repeat: RepeatMode;
  volume: number;
}

export interface QueueState extends Playback {
  items: QueueItem[];
}

/** An operation of the protocol, without `version` and `request_id` (the client adds them). */
export type QueueOp =
  | { type: "add"; track_ids: string[]; position?: number | "next" }
  | { type: "remove"; item_id: string }
  | { type: "move"; item_id: string; position: number }
  | { type: "clear" }
  | { type: "play"; item_id?: string }
  | { type: "pause" }
  | { type: "seek"; position_ms: number }
  | { type: "next" }
  | { type: "previous" }
  | { type: "ended" }
  | { type: "shuffle"; shuffle: boolean }
  | { type: "repeat"; mode: RepeatMode };

export type ServerFrame =
  | { type: "state"; state: QueueState; server_time: number }
  | { type: "playback"; playback: Playback; server_time: number }
  | { type: "ack"; request_id: string; version: number }
  | { type: "reauthenticated"; request_id: string; expires_at: string }
  | { type: "rejected"; request_id: string; code: "stale"; state: QueueState }
  | { type: "error"; request_id?: string; code: string; message: string; track_ids?: string[] };
