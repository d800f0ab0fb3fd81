import { DurableObject } from "cloudflare:workers";
import { createDb, type Database } from "../src/db/client";
import { flushQueue } from "../src/domains/queue/flush-queue";
import { loadQueue } from "../src/domains/queue/load-queue";
import { findQueueableTracks } from "../src/domains/queue/queueable-tracks";
import type { Env } from "../src/env";
import {
  closeAll,
  closedIfExpired,
  reauthenticate,
  SOCKET_PROTOCOL_HEADER,
  SOCKET_TOKEN_EXPIRES_HEADER,
  SOCKET_USER_HEADER,
} from "./lib/token-bound-socket";
import {
  MAX_FRAME_BYTES,
  MAX_QUEUE_ITEMS,
  OperationSchema,
  PROTOCOL,
  ReauthSchema,
  ACCOUNT_BANNED_CLOSE_CODE,
  ACCOUNT_DELETED_CLOSE_CODE,
  type Operation,
  type OperationResult,
  type QueueItem,
  type QueueState,
  type ServerFrame,
} from "./playback-queue/protocol";
import { readClientFrame } from "./lib/client-frames";
import { TokenBucket } from "./playback-queue/rate-limit";
import { applyOperation, currentPosition, emptyQueue, toPlayback, toState, withAvailability, type QueueData } from "./playback-queue/state";
import { QueueStorage, type StoredQueue } from "./playback-queue/storage";

/** Headers of the Worker's internal upgrade request (shared with every per-user socket object). */
export const QUEUE_USER_HEADER = SOCKET_USER_HEADER;
export const QUEUE_PROTOCOL_HEADER = SOCKET_PROTOCOL_HEADER;
/** When the access token that opened the socket expires (ms since the epoch). */
export const QUEUE_TOKEN_EXPIRES_HEADER = SOCKET_TOKEN_EXPIRES_HEADER;

/** A change reaches Postgres at most this long after it was made (one flush per window). */
export const FLUSH_DELAY_MS = 2000;
const MAX_FLUSH_BACKOFF_MS = 5 * 60_000;
const OPS_PER_SECOND = 20;
const OPS_BURST = 40;

interface Attachment {
  user_id: string;
  device_id: string;
  device_name: string | null;
  /** The socket's access token expires then (ms since the epoch); see the protocol's header. */
  token_expires_at: number;
}

class DatabaseUnavailable extends Error {}

/**
 * One Durable Object per user (`idFromName(userId)`): the live play queue shared by all of that
 * user's devices (DESIGN §4). WebSockets use the Hibernation API; REST reaches the same rules
 * through the typed RPC methods `snapshot` and `operate`. Every accepted change is written to the
 * object's SQLite storage before it is acknowledged and broadcast, then flushed to Postgres by an
 * alarm at most FLUSH_DELAY_MS later; an object with empty storage loads from Postgres first.
 *
 * The user id always comes from the Worker, which took it from a verified token; the object
 * remembers its owner and refuses any other (defence in depth: ids are derived from the user id).
 */
export class PlaybackQueue extends DurableObject<Env> {
  private readonly store: QueueStorage;
  private readonly buckets = new Map<WebSocket, TokenBucket>();
  /** The Postgres connection; tests replace it with a tagged one to count this object's round trips. */
  database: Database;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new QueueStorage(ctx.storage.sql);
    this.database = createDb(env);
    // Keep-alives answered without waking a hibernated object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  /** The WebSocket upgrade, forwarded by the Worker after it authenticated the user. */
  override async fetch(request: Request): Promise<Response> {
    const userId = request.headers.get(QUEUE_USER_HEADER);
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket" || !userId) return new Response("Expected an internal WebSocket upgrade", { status: 400 });
    let stored: StoredQueue;
    try {
      stored = await this.loaded(userId);
    } catch (err) {
      if (err instanceof DatabaseUnavailable) return new Response("The queue cannot be loaded right now", { status: 503, headers: { "Retry-After": "5" } });
      throw err;
    }
    const url = new URL(request.url);
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, [userId]);
    const attachment: Attachment = {
      user_id: userId,
      device_id: url.searchParams.get("device_id") ?? crypto.randomUUID(),
      device_name: url.searchParams.get("device_name"),
      token_expires_at: Number(request.headers.get(QUEUE_TOKEN_EXPIRES_HEADER)) || 0,
    };
    server.serializeAttachment(attachment);
    send(server, { type: "state", state: toState(stored.queue), server_time: Date.now() });
    const protocol = request.headers.get(QUEUE_PROTOCOL_HEADER);
    return new Response(null, { status: 101, webSocket: client, headers: protocol ? { "Sec-WebSocket-Protocol": PROTOCOL } : {} });
  }

  /** RPC: the user's queue. */
  async snapshot(userId: string): Promise<QueueState> {
    return toState((await this.loaded(userId)).queue);
  }

  /** RPC: one operation, as a REST route asks for it; broadcast to the user's sockets like any other. */
  async operate(userId: string, operation: Operation): Promise<OperationResult> {
    return this.perform(userId, OperationSchema.parse(operation));
  }

  /** RPC: the account was deleted. Its sockets are closed (4003) and everything stored here is erased. */
  async forget(): Promise<void> {
    closeAll(this.ctx.getWebSockets(), ACCOUNT_DELETED_CLOSE_CODE, "account deleted");
    this.buckets.clear();
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  /**
   * RPC: the account was banned or suspended. Its sockets are closed at once (4003, `banned`):
   * they are bound to a token that the sanction revoked, but would otherwise stay open until it
   * expires. The queue is kept (a suspension ends); nothing is loaded to do this. Answers how
   * many sockets were open.
   */
  async disconnect(): Promise<number> {
    const sockets = this.ctx.getWebSockets();
    closeAll(sockets, ACCOUNT_BANNED_CLOSE_CODE, "banned");
    this.buckets.clear();
    return sockets.length;
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const read = readClientFrame(message, MAX_FRAME_BYTES);
    if (!read.ok) return send(ws, read.error);
    const requestId = read.requestId;
    const rest = read.body;
    let bucket = this.buckets.get(ws);
    if (!bucket) this.buckets.set(ws, (bucket = new TokenBucket(OPS_PER_SECOND, OPS_BURST)));
    if (!bucket.take()) return send(ws, { type: "error", request_id: requestId, code: "rate_limited", message: `At most ${OPS_PER_SECOND} operations a second (bursts of ${OPS_BURST}).` });
    const reauth = ReauthSchema.safeParse(rest);
    if (reauth.success) return reauthenticate(ws, this.database, this.env.JWT_SECRET, requestId, reauth.data.token);
    if (closedIfExpired(ws, requestId)) return;
    const op = OperationSchema.safeParse(rest);
    if (!op.success) {
      const issues = op.error.issues.map((i) => `${i.path.join(".") || "frame"}: ${i.message}`).join("; ");
      return send(ws, { type: "error", request_id: requestId, code: "invalid_message", message: issues });
    }
    const { user_id } = ws.deserializeAttachment() as Attachment;
    const result = await this.perform(user_id, op.data, { ws, requestId: requestId });
    if (result.ok) return;
    if (result.code === "stale") return send(ws, { type: "rejected", request_id: requestId, code: "stale", state: result.state! });
    send(ws, { type: "error", request_id: requestId, code: result.code, message: result.message, ...(result.track_ids ? { track_ids: result.track_ids } : {}) });
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.buckets.delete(ws);
    closeAll([ws], code, reason);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.buckets.delete(ws);
  }

  /**
   * The debounced flush: the state as it is now, to Postgres in one batch. A failure keeps
   * everything (the storage still has it) and retries with exponential backoff; a change made
   * during the flush is flushed by the next alarm.
   */
  override async alarm(): Promise<void> {
    const stored = this.store.read();
    if (!stored || stored.flushedVersion === stored.queue.version) return;
    try {
      const available = await flushQueue(this.database, stored.userId, stored.queue, currentPosition(stored.queue, Date.now()));
      this.store.recordFlush(stored.queue.version, 0);
      const now = this.store.read()!;
      const refreshed = withAvailability(now.queue, available);
      if (refreshed) this.commit(now.userId, refreshed, "state", true);
      if (refreshed || now.queue.version !== stored.queue.version) await this.ctx.storage.setAlarm(Date.now() + FLUSH_DELAY_MS);
    } catch (err) {
      const failures = stored.flushFailures + 1;
      this.store.recordFlush(null, failures);
      console.error(JSON.stringify({ level: "error", msg: "queue flush failed", failures, error: err instanceof Error ? err.message : String(err) }));
      await this.ctx.storage.setAlarm(Date.now() + Math.min(FLUSH_DELAY_MS * 2 ** failures, MAX_FLUSH_BACKOFF_MS));
    }
  }

  /** The stored queue, loading it from Postgres first when the storage has none. */
  private async loaded(userId: string): Promise<StoredQueue> {
    const stored = this.store.read() ?? (await this.load(userId));
    if (stored.userId !== userId) throw new Error("This PlaybackQueue belongs to another user");
    return stored;
  }

  private async load(userId: string): Promise<StoredQueue> {
    // Nothing else runs while the queue is loaded, so two first requests load it once. The
    // callback must not throw (that would reset the object): a failure is reported after it.
    const stored = await this.ctx.blockConcurrencyWhile(async () => {
      const again = this.store.read();
      if (again) return again;
      try {
        const queue = (await loadQueue(this.database, this.env.JWT_SECRET, userId)) ?? emptyQueue(Date.now());
        this.store.write(userId, queue, { items: true, flushedVersion: queue.version });
        return this.store.read();
      } catch (err) {
        console.error(JSON.stringify({ level: "error", msg: "queue load failed", error: err instanceof Error ? err.message : String(err) }));
        return null;
      }
    });
    if (!stored) throw new DatabaseUnavailable();
    return stored;
  }

  /**
   * Validates, applies, stores and broadcasts one operation. Tracks are looked up before the
   * state is read for the last time: between that read and the broadcast nothing awaits, so two
   * operations at the same version cannot both pass the version check.
   */
  private async perform(userId: string, op: Operation, sender?: { ws: WebSocket; requestId: string }): Promise<OperationResult> {
    let stored: StoredQueue;
    try {
      stored = await this.loaded(userId);
    } catch (err) {
      if (err instanceof DatabaseUnavailable) return { ok: false, code: "database_unavailable", message: "The queue cannot be loaded right now; retry shortly." };
      throw err;
    }
    const stale = (queue: QueueData): OperationResult => ({ ok: false, code: "stale", message: `The queue is at version ${queue.version}.`, state: toState(queue) });
    if (op.version !== undefined && op.version !== stored.queue.version) return stale(stored.queue);
    let newItems: QueueItem[] | undefined;
    if (op.type === "add" || op.type === "replace") {
      const base = op.type === "add" ? stored.queue.items.length : 0;
      if (base + op.track_ids.length > MAX_QUEUE_ITEMS) {
        return { ok: false, code: "queue_full", message: `A queue holds at most ${MAX_QUEUE_ITEMS} items; it has ${stored.queue.items.length}.` };
      }
      let found;
      try {
        found = op.track_ids.length ? await findQueueableTracks(this.database, this.env.JWT_SECRET, userId, op.track_ids) : new Map();
      } catch {
        return { ok: false, code: "database_unavailable", message: "The tracks cannot be looked up right now; retry shortly." };
      }
      const refused = [...new Set(op.track_ids.filter((id) => !found.has(id.toLowerCase())))];
      if (refused.length) return { ok: false, code: "unknown_tracks", message: "Some tracks do not exist, are not visible to you or are not ready.", track_ids: refused };
      const addedAt = new Date().toISOString();
      newItems = op.track_ids.map((id) => ({ item_id: crypto.randomUUID(), ...found.get(id.toLowerCase())!, available: true, added_at: addedAt }));
    }
    const current = this.store.read()!;
    const applied = applyOperation(current.queue, op, { now: Date.now(), newItems });
    if (!applied.ok) return applied.code === "stale" ? stale(current.queue) : { ok: false, code: applied.code, message: applied.message };
    this.commit(userId, applied.queue, applied.broadcast, applied.listChanged, sender);
    await this.scheduleFlush();
    return { ok: true, state: toState(applied.queue) };
  }

  /** Store, acknowledge, broadcast: synchronous, so frames leave in version order. */
  private commit(userId: string, queue: QueueData, broadcast: "state" | "playback", items: boolean, sender?: { ws: WebSocket; requestId: string }): void {
    this.store.write(userId, queue, { items });
    if (sender) send(sender.ws, { type: "ack", request_id: sender.requestId, version: queue.version });
    const frame: ServerFrame =
      broadcast === "state" ? { type: "state", state: toState(queue), server_time: Date.now() } : { type: "playback", playback: toPlayback(queue), server_time: Date.now() };
    const text = JSON.stringify(frame);
    for (const ws of this.ctx.getWebSockets()) {
      if (closedIfExpired(ws)) continue;
      try {
        ws.send(text);
      } catch {
        // a socket closing concurrently; its close event cleans up
      }
    }
  }

  private async scheduleFlush(): Promise<void> {
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + FLUSH_DELAY_MS);
  }
}

function send(ws: WebSocket, frame: ServerFrame): void {
  try {
    ws.send(JSON.stringify(frame));
  } catch {
    // the socket is closing
  }
}
