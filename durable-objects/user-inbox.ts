import { DurableObject } from "cloudflare:workers";
import { createDb, type Database } from "../src/db/client";
import type { Env } from "../src/env";
import {
  ACCOUNT_DELETED_CLOSE_CODE,
  closeAll,
  closedIfExpired,
  ReauthSchema,
  reauthenticate,
  sendFrame,
  SOCKET_PROTOCOL_HEADER,
  SOCKET_TOKEN_EXPIRES_HEADER,
  SOCKET_USER_HEADER,
  type TokenBoundAttachment,
} from "./lib/token-bound-socket";
import { TokenBucket } from "./playback-queue/rate-limit";
import { readClientFrame } from "./lib/client-frames";
import { MAX_CLIENT_FRAME_BYTES, PROTOCOL, type InboxEvent, type ServerFrame } from "./user-inbox/protocol";

/** Clients only renew their token: a few frames a second is plenty, and each may cost a query. */
const FRAMES_PER_SECOND = 2;
const FRAMES_BURST = 5;

/**
 * One Durable Object per user (`idFromName(userId)`): that user's live sockets, one per device,
 * and `deliver`, which pushes a frame to all of them. It stores nothing (DESIGN: the database is
 * the record, frames are hints), so it has no alarm and no storage to lose; between deliveries it
 * hibernates and its sockets stay open (WebSocket Hibernation API).
 *
 * The user id always comes from the Worker, which took it from a verified token, in a header only
 * the Worker sets; the object's id is derived from it, so no one reaches another user's inbox.
 */
export class UserInbox extends DurableObject<Env> {
  private readonly buckets = new Map<WebSocket, TokenBucket>();
  /** Only for `reauth` (the token's check may read the database). */
  private readonly database: Database;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.database = createDb(env);
    // Keep-alives answered without waking a hibernated object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  /** The WebSocket upgrade, forwarded by the Worker after it authenticated the user. */
  override async fetch(request: Request): Promise<Response> {
    const userId = request.headers.get(SOCKET_USER_HEADER);
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket" || !userId) return new Response("Expected an internal WebSocket upgrade", { status: 400 });
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, [userId]);
    const attachment: TokenBoundAttachment = { user_id: userId, token_expires_at: Number(request.headers.get(SOCKET_TOKEN_EXPIRES_HEADER)) || 0 };
    server.serializeAttachment(attachment);
    send(server, { type: "ready", user_id: userId, server_time: Date.now() });
    const protocol = request.headers.get(SOCKET_PROTOCOL_HEADER);
    return new Response(null, { status: 101, webSocket: client, headers: protocol ? { "Sec-WebSocket-Protocol": PROTOCOL } : {} });
  }

  /**
   * RPC: sends `frame` to every open socket of the user whose token is still valid (an expired one
   * is told and closed instead). Answers how many sockets it reached; nothing is kept for later.
   */
  async deliver(frame: InboxEvent): Promise<number> {
    if (!frame || typeof frame.type !== "string" || !frame.type) throw new TypeError("An inbox frame is an object with a `type`.");
    const text = JSON.stringify(frame);
    let reached = 0;
    for (const ws of this.ctx.getWebSockets()) {
      if (closedIfExpired(ws)) continue;
      try {
        ws.send(text);
        reached++;
      } catch {
        // a socket closing concurrently; its close event cleans up
      }
    }
    return reached;
  }

  /** RPC: the account was deleted, banned or suspended; its devices are disconnected (4003, with why). */
  async forget(reason: "account deleted" | "banned" = "account deleted"): Promise<void> {
    closeAll(this.ctx.getWebSockets(), ACCOUNT_DELETED_CLOSE_CODE, reason);
    this.buckets.clear();
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const read = readClientFrame(message, MAX_CLIENT_FRAME_BYTES);
    if (!read.ok) return send(ws, read.error);
    const requestId = read.requestId;
    const rest = read.body;
    let bucket = this.buckets.get(ws);
    if (!bucket) this.buckets.set(ws, (bucket = new TokenBucket(FRAMES_PER_SECOND, FRAMES_BURST)));
    if (!bucket.take()) return send(ws, { type: "error", request_id: requestId, code: "rate_limited", message: `At most ${FRAMES_PER_SECOND} frames a second (bursts of ${FRAMES_BURST}).` });
    const reauth = ReauthSchema.safeParse(rest);
    if (reauth.success) return reauthenticate(ws, this.database, this.env.JWT_SECRET, requestId, reauth.data.token);
    if (closedIfExpired(ws, requestId)) return;
    send(ws, { type: "error", request_id: requestId, code: "invalid_message", message: "The inbox only accepts {type: \"reauth\", request_id, token}." });
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.buckets.delete(ws);
    closeAll([ws], code, reason);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.buckets.delete(ws);
  }
}

const send = (ws: WebSocket, frame: ServerFrame) => sendFrame(ws, frame);
