// The design of Cloudflare's workers-chat-demo, rewritten for the chat benchmark (bench/chat.ts):
// the yardstick Veza's ChatRoom is measured against. One Durable Object per room with hibernated
// WebSockets; a client first sends its name, then messages; each message is stamped with a
// strictly increasing timestamp, broadcast to every session as JSON, and put into the object's
// key-value storage under that timestamp; a joining client receives the last 100 stored messages.
// Like the demo it does no authentication and writes no database; unlike the demo's deployment
// it has no per-IP rate limiter (every bench client shares one loopback address).
import { DurableObject } from "cloudflare:workers";

export class DemoChatRoom extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.lastTimestamp = 0;
    this.sessions = new Map();
    for (const ws of ctx.getWebSockets()) this.sessions.set(ws, ws.deserializeAttachment() ?? {});
  }

  async fetch(request) {
    if (request.headers.get("Upgrade") !== "websocket") return new Response("expected websocket", { status: 400 });
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    this.sessions.set(server, {});
    const backlog = await this.ctx.storage.list({ reverse: true, limit: 100 });
    for (const value of [...backlog.values()].reverse()) server.send(value);
    return new Response(null, { status: 101, webSocket: client });
  }

  async webSocketMessage(ws, raw) {
    const session = this.sessions.get(ws) ?? {};
    let data;
    try {
      data = JSON.parse(raw);
    } catch {
      ws.send(JSON.stringify({ error: "invalid JSON" }));
      return;
    }
    if (!session.name) {
      session.name = String(data.name || "anonymous").slice(0, 32);
      ws.serializeAttachment(session);
      this.sessions.set(ws, session);
      ws.send(JSON.stringify({ ready: true }));
      return;
    }
    const message = String(data.message ?? "");
    if (message.length > 256) {
      ws.send(JSON.stringify({ error: "Message too long." }));
      return;
    }
    const timestamp = Math.max(Date.now(), this.lastTimestamp + 1);
    this.lastTimestamp = timestamp;
    const text = JSON.stringify({ name: session.name, message, timestamp });
    for (const socket of this.sessions.keys()) {
      try {
        socket.send(text);
      } catch {
        this.sessions.delete(socket);
      }
    }
    await this.ctx.storage.put(new Date(timestamp).toISOString(), text);
  }

  async webSocketClose(ws) {
    this.sessions.delete(ws);
  }

  async webSocketError(ws) {
    this.sessions.delete(ws);
  }
}

export default {
  async fetch(request, env) {
    const room = new URL(request.url).pathname.split("/")[3] ?? "bench";
    return env.ROOMS.get(env.ROOMS.idFromName(room)).fetch(request);
  },
};
