import { DurableObject } from "cloudflare:workers";
import { createDb, type Database } from "../src/db/client";
import type { MemberChange } from "../src/domains/chat/room-object";
import { latestSeq } from "../src/domains/chat/room-state";
import { inboxOf } from "../src/domains/inbox/inbox-object";
import type { Env } from "../src/env";
import { permissions, type MemberInfo, type RoomConfig } from "./chat-room/members";
import {
  ClientFrameSchema,
  MAX_FRAME_BYTES,
  MAX_SYNC_MESSAGES,
  PROTOCOL,
  RECENT_ON_CONNECT,
  REMOVED_CLOSE_CODE,
  ROOM_CLOSED_CLOSE_CODE,
  TYPING_TTL_MS,
  type ChatMessage,
  type ClientFrame,
  type ModerationResult,
  type OnlineMember,
  type PostResult,
  type PresenceStatus,
  type SendInput,
  type ServerFrame,
} from "./chat-room/protocol";
import { RoomFlusher } from "./chat-room/flusher";
import { RoomStorage } from "./chat-room/storage";
import { Refusal, Timeline, type Outcome } from "./chat-room/timeline";
import { readClientFrame } from "./lib/client-frames";
import { closeAll, closedIfExpired, reauthenticate, sendFrame, type TokenBoundAttachment } from "./lib/token-bound-socket";
import { TokenBucket } from "./playback-queue/rate-limit";

/** Headers of the Worker's internal upgrade request (set only by the Worker, after its checks). */
export const CHAT_MEMBER_HEADER = "X-Veza-Member";
export const CHAT_ROOM_HEADER = "X-Veza-Room";
export const CHAT_READ_HEADER = "X-Veza-Last-Read";
export const CHAT_PROTOCOL_HEADER = "X-Veza-Protocol";
export const CHAT_TOKEN_EXPIRES_HEADER = "X-Veza-Token-Expires";


/** Timeline events closer together than this are batched (see queueTimeline). */
const BATCH_WINDOW_MS = 2;

interface Attachment extends TokenBoundAttachment {
  member: MemberInfo;
  status: PresenceStatus;
}

/**
 * One Durable Object per chat room (`idFromName(roomId)`, DESIGN §4). WebSockets use the
 * Hibernation API; the Worker authenticates the token and checks membership before it forwards an
 * upgrade, and tells the object of every later membership or settings change (RPC memberChanged,
 * configure). Messages are written to the object's SQLite storage before they are acknowledged and
 * broadcast, and flushed to Postgres by an alarm in batches — so the room keeps working, and loses
 * nothing, while the database is slow or down. Typing and presence live in memory and in the
 * sockets' attachments; presence and read markers reach Postgres with the next flush.
 */
export class ChatRoom extends DurableObject<Env> {
  private readonly store: RoomStorage;
  private readonly buckets = new Map<WebSocket, TokenBucket>();
  /** Frames of one socket are handled one after the other (a send may await an attachment check). */
  private readonly chains = new Map<WebSocket, Promise<void>>();
  private readonly flusher: RoomFlusher;
  /** The sockets' attachments, read once per socket (a broadcast reads every socket's). */
  private readonly attachments = new Map<WebSocket, Attachment>();
  /** Every socket of the room, as the runtime lists them: cached between connects and closes. */
  private everyone: WebSocket[] | null = null;
  /** Timeline frames (JSON) waiting for the next batch (see queueTimeline). */
  private outbox: string[] = [];
  private lastSentAt = 0;
  /** The Postgres connection; tests replace it with a tagged one to count this object's round trips. */
  database: Database;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new RoomStorage(ctx.storage.sql);
    this.database = createDb(env);
    this.flusher = new RoomFlusher(this.store, ctx.storage, () => this.database, (notification) =>
      inboxOf(env, notification.user_id).deliver({ type: "notification", notification }),
    );
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  /** The WebSocket upgrade, forwarded by the Worker (src/domains/chat/open-socket.ts). */
  override async fetch(request: Request): Promise<Response> {
    const member = header<MemberInfo>(request, CHAT_MEMBER_HEADER);
    const room = header<RoomConfig>(request, CHAT_ROOM_HEADER);
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket" || !member || !room) return new Response("Expected an internal WebSocket upgrade", { status: 400 });
    try {
      await this.ready(room);
    } catch {
      return new Response("The room cannot be opened right now", { status: 503, headers: { "Retry-After": "5" } });
    }
    this.drainTimeline();
    const wasOnline = this.sockets(member.user_id).length > 0;
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, [member.user_id]);
    this.everyone = null;
    this.attach(server, { user_id: member.user_id, member, token_expires_at: Number(request.headers.get(CHAT_TOKEN_EXPIRES_HEADER)) || 0, status: "online" });

    const readSeq = Math.max(this.store.member(member.user_id).read_seq, Number(request.headers.get(CHAT_READ_HEADER)) || 0);
    const seq = this.store.meta()!.seq;
    send(server, {
      type: "ready",
      room: this.store.config()!,
      me: { ...member, permissions: permissions(member) },
      online: this.online(),
      seq,
      unread: this.store.countUnread(member.user_id, readSeq),
      last_read_seq: readSeq,
    });
    const since = new URL(request.url).searchParams.get("since");
    send(server, this.sync(since === null ? null : Number(since)));
    if (!wasOnline) this.presence(member, "online");
    const protocol = request.headers.get(CHAT_PROTOCOL_HEADER);
    return new Response(null, { status: 101, webSocket: client, headers: protocol ? { "Sec-WebSocket-Protocol": PROTOCOL } : {} });
  }

  /** RPC: a message sent over REST, by a member the Worker just checked. */
  async post(member: MemberInfo, room: RoomConfig, input: SendInput): Promise<PostResult> {
    await this.ready(room);
    try {
      const outcome = await this.timeline().send(member, this.store.config()!, input);
      await this.publish(outcome);
      return { ok: true, message: outcome.message };
    } catch (err) {
      if (err instanceof Refusal) return { ok: false, code: err.code, message: err.message, retry_after_ms: err.retryAfterMs };
      throw err;
    }
  }

  /**
   * RPC: a platform moderator hides a message or brings it back (src/domains/moderation): through
   * the timeline, so every open socket hears `message_updated` at once and the flush carries the
   * state to Postgres. Idempotent (see Timeline.moderate).
   */
  async moderate(room: RoomConfig, messageId: string, moderatorId: string, hidden: boolean): Promise<ModerationResult> {
    await this.ready(room);
    let outcome: Outcome;
    try {
      outcome = await this.timeline().moderate(messageId, moderatorId, hidden);
    } catch (err) {
      if (err instanceof Refusal && err.code === "not_found") return { found: false };
      throw err;
    }
    await this.publish(outcome);
    const stored = this.store.message(messageId)!;
    return { found: true, changed: outcome.events.length > 0, sender_id: stored.sender_id, deleted_by: stored.deleted_at === null ? null : stored.deleted_by };
  }

  /** RPC: the newest messages before `beforeSeq` that the room keeps, and the oldest seq it keeps. */
  async page(beforeSeq: number, limit: number): Promise<{ messages: ChatMessage[]; oldest_seq: number | null }> {
    const meta = this.store.meta();
    if (!meta) return { messages: [], oldest_seq: null };
    const timeline = this.timeline();
    return { messages: this.store.page(beforeSeq, limit).map((m) => timeline.view(m)), oldest_seq: this.store.oldestSeq() };
  }

  /** RPC: whether a message the room keeps attaches this file. */
  async hasAttachment(fileId: string): Promise<boolean> {
    return this.store.meta() ? this.store.hasAttachment(fileId) : false;
  }

  /** RPC: a membership changed in Postgres (src/domains/chat/room-object.ts). */
  async memberChanged(userId: string, member: MemberInfo | null, change: MemberChange): Promise<void> {
    const sockets = this.sockets(userId);
    for (const ws of sockets) {
      if (member) this.attach(ws, { ...this.attachment(ws), member });
    }
    this.broadcast({ type: "member", user_id: userId, change, member });
    if (member || !sockets.length) return;
    for (const ws of sockets) close(ws, REMOVED_CLOSE_CODE, change);
    const { member: last } = this.attachment(sockets[0]!);
    this.presence(last, "offline");
  }

  /** RPC: the room's settings changed; a deleted room closes every socket. */
  async configure(config: RoomConfig): Promise<void> {
    if (this.store.meta()) this.store.setConfig(config);
    this.broadcast({ type: "room", room: config });
    if (config.is_deleted) for (const ws of this.ctx.getWebSockets()) close(ws, ROOM_CLOSED_CLOSE_CODE, "room deleted");
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const previous = this.chains.get(ws) ?? Promise.resolve();
    const handled = previous.then(() => this.handle(ws, message));
    this.chains.set(ws, handled);
    await handled;
    if (this.chains.get(ws) === handled) this.chains.delete(ws);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.forgetSocket(ws);
    close(ws, code, reason);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.forgetSocket(ws);
  }

  /** The flush to Postgres (durable-objects/chat-room/flusher.ts). */
  override async alarm(): Promise<void> {
    await this.flusher.run();
  }

  private async handle(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const read = readClientFrame(message, MAX_FRAME_BYTES);
    if (!read.ok) return send(ws, read.error);
    const requestId = read.requestId;
    const rest = read.body;
    if (!this.bucket(ws).take()) return send(ws, { type: "error", request_id: requestId, code: "rate_limited", message: "You are sending too fast; slow down." });
    const parsed = ClientFrameSchema.safeParse(rest);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "frame"}: ${i.message}`).join("; ");
      return send(ws, { type: "error", request_id: requestId, code: "invalid_message", message: issues });
    }
    if (parsed.data.type === "reauth") {
      await reauthenticate(ws, this.database, this.env.JWT_SECRET, requestId, parsed.data.token);
      this.attachments.delete(ws); // it may carry a new expiry: read it again
      return;
    }
    if (closedIfExpired(ws, requestId, Date.now(), this.attachment(ws))) return;
    try {
      await this.perform(ws, requestId, parsed.data);
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      send(ws, { type: "error", request_id: requestId, code: err.code, message: err.message, ...(err.retryAfterMs !== undefined ? { retry_after_ms: err.retryAfterMs } : {}) });
    }
  }

  private async perform(ws: WebSocket, requestId: string, frame: Exclude<ClientFrame, { type: "reauth" }>): Promise<void> {
    const { member } = this.attachment(ws);
    const room = this.store.config()!;
    const timeline = this.timeline();
    let outcome: Outcome;
    switch (frame.type) {
      case "send": {
        const { type: _, ...input } = frame;
        outcome = await timeline.send(member, room, input);
        break;
      }
      case "edit":
        outcome = await timeline.edit(member, room, frame.message_id, frame.content);
        break;
      case "delete":
        outcome = await timeline.delete(member, room, frame.message_id);
        break;
      case "react":
      case "unreact":
        outcome = await timeline.react(member, room, frame.message_id, frame.emoji, frame.type === "react");
        break;
      case "pin":
      case "unpin":
        outcome = await timeline.pin(member, room, frame.message_id, frame.type === "pin");
        break;
      case "read": {
        const seq = Math.min(frame.seq, this.store.meta()!.seq);
        if (this.store.markRead(member.user_id, seq, Date.now())) {
          for (const other of this.sockets(member.user_id)) if (other !== ws) send(other, { type: "read", seq });
          await this.flusher.schedule();
        }
        return send(ws, { type: "ack", request_id: requestId, seq });
      }
      case "typing":
        if (frame.active) timeline.assertCanWrite(member, room);
        this.broadcast({ type: "typing", user_id: member.user_id, username: member.username, active: frame.active, expires_in_ms: frame.active ? TYPING_TTL_MS : 0 }, member.user_id);
        return send(ws, { type: "ack", request_id: requestId });
      case "presence":
        for (const socket of this.sockets(member.user_id)) this.attach(socket, { ...this.attachment(socket), status: frame.status });
        this.presence(member, frame.status);
        return send(ws, { type: "ack", request_id: requestId });
    }
    send(ws, { type: "ack", request_id: requestId, message_id: outcome.message.id, seq: outcome.events.at(-1)?.seq ?? outcome.message.rev });
    await this.publish(outcome);
  }

  /** Broadcasts a timeline change to every socket, in seq order, and schedules its flush. */
  private async publish(outcome: Outcome): Promise<void> {
    if (!outcome.events.length) return;
    for (const event of outcome.events) this.queueTimeline(event);
    await this.flusher.schedule();
  }

  /** Everything after `since` (a reconnect), or the most recent messages (a first connect). */
  private sync(since: number | null): ServerFrame {
    const meta = this.store.meta()!;
    const timeline = this.timeline();
    if (since === null || !Number.isFinite(since) || since < 0) {
      const recent = this.store.page(meta.seq + 1, RECENT_ON_CONNECT).reverse();
      return { type: "sync", messages: recent.map((m) => timeline.view(m)), seq: meta.seq, complete: false };
    }
    const changed = this.store.changedSince(since, MAX_SYNC_MESSAGES + 1);
    const complete = since >= meta.pruned_rev && changed.length <= MAX_SYNC_MESSAGES && since <= meta.seq;
    return { type: "sync", messages: changed.slice(0, MAX_SYNC_MESSAGES).map((m) => timeline.view(m)), seq: meta.seq, complete };
  }

  /** The object's storage is initialised from Postgres the first time (its seq continues from there). */
  private async ready(room: RoomConfig): Promise<void> {
    if (!this.store.meta()) {
      const ok = await this.ctx.blockConcurrencyWhile(async () => {
        if (this.store.meta()) return true;
        try {
          this.store.initialise(room.room_id, await latestSeq(this.database, room.room_id));
          return true;
        } catch (err) {
          console.error(JSON.stringify({ level: "error", msg: "chat room load failed", room_id: room.room_id, error: err instanceof Error ? err.message : String(err) }));
          return false;
        }
      });
      if (!ok) throw new Error("The room cannot be loaded from the database");
    }
    this.store.setConfig(room);
  }

  private timeline(): Timeline {
    return new Timeline(this.store, () => this.database, this.store.meta()!.room_id);
  }

  private online(): OnlineMember[] {
    const byUser = new Map<string, OnlineMember>();
    for (const ws of this.ctx.getWebSockets()) {
      const { member, status } = this.attachment(ws);
      byUser.set(member.user_id, { user_id: member.user_id, username: member.username, status });
    }
    return [...byUser.values()];
  }

  private presence(member: MemberInfo, status: PresenceStatus): void {
    this.store.setPresence(member.user_id, status, Date.now());
    this.broadcast({ type: "presence", user_id: member.user_id, username: member.username, status });
    void this.flusher.schedule();
  }

  private attachment(ws: WebSocket): Attachment {
    let attachment = this.attachments.get(ws);
    if (!attachment) this.attachments.set(ws, (attachment = ws.deserializeAttachment() as Attachment));
    return attachment;
  }

  /** Sets a socket's attachment: stored with the socket (it survives hibernation) and cached. */
  private attach(ws: WebSocket, attachment: Attachment): void {
    ws.serializeAttachment(attachment);
    this.attachments.set(ws, attachment);
  }

  private allSockets(): WebSocket[] {
    this.everyone ??= this.ctx.getWebSockets();
    return this.everyone;
  }

  private sockets(userId: string): WebSocket[] {
    return this.ctx.getWebSockets(userId);
  }

  private bucket(ws: WebSocket): TokenBucket {
    let bucket = this.buckets.get(ws);
    if (!bucket) {
      const [rate, burst] = (this.env.CHAT_SOCKET_RATE ?? "10/30").split("/").map(Number);
      this.buckets.set(ws, (bucket = new TokenBucket(rate || Number.MAX_SAFE_INTEGER, burst || Number.MAX_SAFE_INTEGER)));
    }
    return bucket;
  }

  private forgetSocket(ws: WebSocket): void {
    this.buckets.delete(ws);
    this.chains.delete(ws);
    this.everyone = null;
    const { member } = this.attachment(ws);
    this.attachments.delete(ws);
    if (this.sockets(member.user_id).every((other) => other === ws || other.readyState !== WebSocket.OPEN)) this.presence(member, "offline");
  }

  /**
   * Timeline events are sent in batches under load: an event that follows the last send within
   * BATCH_WINDOW_MS waits for the next timer, and all events waiting then go out together, one
   * frame per socket (`{type: "batch", frames}`, in seq order; a lone event is sent as itself).
   * This divides the sends — the room's main cost — by the batch size; a quiet room sends at once. Anything else broadcast, and every new socket, first flushes what
   * is waiting, so frames never overtake each other and a new socket's sync never repeats them.
   */
  private queueTimeline(frame: ServerFrame): void {
    const text = JSON.stringify(frame);
    // A quiet room sends at once; only events that follow each other within BATCH_WINDOW_MS wait.
    if (!this.outbox.length && Date.now() - this.lastSentAt >= BATCH_WINDOW_MS) {
      this.lastSentAt = Date.now();
      return this.sendToAll(text);
    }
    this.outbox.push(text);
    if (this.outbox.length === 1) setTimeout(() => this.drainTimeline(), 0);
  }

  private drainTimeline(): void {
    if (!this.outbox.length) return;
    const text = this.outbox.length === 1 ? this.outbox[0]! : `{"type":"batch","frames":[${this.outbox.join(",")}]}`;
    this.outbox = [];
    this.lastSentAt = Date.now();
    this.sendToAll(text);
  }

  private broadcast(frame: ServerFrame, exceptUserId?: string): void {
    this.drainTimeline();
    this.sendToAll(JSON.stringify(frame), exceptUserId);
  }

  private sendToAll(text: string, exceptUserId?: string): void {
    for (const ws of this.allSockets()) {
      const attachment = this.attachment(ws);
      if (exceptUserId && attachment.member.user_id === exceptUserId) continue;
      if (closedIfExpired(ws, undefined, Date.now(), attachment)) continue;
      try {
        ws.send(text);
      } catch {
        // a socket closing concurrently: list the room's sockets afresh next time
        this.everyone = null;
      }
    }
  }

}

function header<T>(request: Request, name: string): T | null {
  const raw = request.headers.get(name);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}

const close = (ws: WebSocket, code: number, reason: string) => closeAll([ws], code, reason);
const send = (ws: WebSocket, frame: ServerFrame) => sendFrame(ws, frame);
