import { signal } from "@preact/signals";
import { freshAccessToken, get, getTokens, wsUrl } from "../../api";
import { PROTOCOL, REMOVED_CLOSE_CODE, ROOM_CLOSED_CLOSE_CODE, RoomError, TOKEN_EXPIRED_CLOSE_CODE, type ClientFrame, type ServerFrame } from "./protocol";
import type { Room } from "./types";

export type ConnectionState = "connecting" | "open" | "reconnecting" | "offline" | "ended";
export interface EndReason {
  code: "removed" | "deleted" | "not_member" | "not_found" | "signed_out";
  message: string;
}

/** The frames a request is answered with. */
export type Answer = Extract<ServerFrame, { type: "ack" | "reauthenticated" }>;

export interface RoomSocketEvents {
  /** Every frame but the answers to our requests. `ready` means the socket is open. */
  frame(frame: ServerFrame): void;
  /** The link dropped (a reconnect follows unless the room ended). */
  dropped(): void;
  /** The highest seq the client holds, for `?since=` (null: none yet, a first connect). */
  since(): number | null;
}

interface InFlight {
  resolve: (frame: Answer) => void;
  reject: (err: RoomError) => void;
  timer: ReturnType<typeof setTimeout>;
}

type TimerName = "reconnect" | "reauth" | "ping" | "pong";

const REQUEST_TIMEOUT_MS = 15_000;
const PING_EVERY_MS = 25_000;
const PONG_WITHIN_MS = 10_000;
const MAX_BACKOFF_MS = 30_000;
const SIGNED_OUT: EndReason = { code: "signed_out", message: "Your session has ended: sign in again to keep chatting." };

export const newId = () => globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

/**
 * The link to one room: `wss://…/v1/rooms/:id/ws` with the subprotocols `veza.chat.v1` and
 * `bearer.<jwt>` (browsers cannot set headers on a WebSocket). It reconnects with `?since=` after
 * a drop (exponential backoff with jitter, at once when the browser comes back online or the token
 * expired), renews its token with a `reauth` frame before it expires, pings to notice a dead link,
 * and pairs each request with its answer by `request_id`. When the room is gone for good (removed,
 * deleted, signed out) it stops and says why in `ended`.
 */
export class RoomSocket {
  readonly state = signal<ConnectionState>("connecting");
  readonly ended = signal<EndReason | null>(null);

  private readonly inflight = new Map<string, InFlight>();
  private readonly timers = new Map<TimerName, ReturnType<typeof setTimeout>>();
  private ws: WebSocket | null = null;
  private attempt = 0;
  private stopped = false;

  constructor(
    private readonly roomId: string,
    private readonly events: RoomSocketEvents,
  ) {}

  start(): void {
    addEventListener("online", this.onOnline);
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    removeEventListener("online", this.onOnline);
    for (const name of [...this.timers.keys()]) this.clear(name);
    this.failInflight();
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000, "left the room");
  }

  get open(): boolean {
    return this.state.value === "open" && this.ws !== null;
  }

  /** A frame whose answer matters: resolves with its ack, rejects with the room's refusal. */
  request(frame: ClientFrame): Promise<Answer> {
    const ws = this.ws;
    if (!ws || this.state.value !== "open") return Promise.reject(new RoomError("closed", "Not connected to the room; reconnecting…"));
    const requestId = newId();
    return new Promise<Answer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.inflight.delete(requestId);
        reject(new RoomError("timeout", "The room did not answer in time; try again."));
      }, REQUEST_TIMEOUT_MS);
      this.inflight.set(requestId, { resolve, reject, timer });
      try {
        ws.send(JSON.stringify({ ...frame, request_id: requestId }));
      } catch {
        this.inflight.delete(requestId);
        clearTimeout(timer);
        reject(new RoomError("closed", "Not connected to the room; reconnecting…"));
      }
    });
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const since = this.events.since();
    this.state.value = since === null ? "connecting" : "reconnecting";
    let token: string | null;
    try {
      token = await freshAccessToken();
    } catch {
      return this.retryLater();
    }
    if (this.stopped) return;
    if (!token) return this.end(SIGNED_OUT);
    const ws = new WebSocket(wsUrl(`/v1/rooms/${encodeURIComponent(this.roomId)}/ws`, since === null ? undefined : { since }), [PROTOCOL, `bearer.${token}`]);
    this.ws = ws;
    let ready = false;
    ws.onmessage = (e: MessageEvent) => {
      if (this.ws !== ws || typeof e.data !== "string") return;
      if (e.data === "pong") return this.clear("pong");
      let frame: ServerFrame;
      try {
        frame = JSON.parse(e.data) as ServerFrame;
      } catch {
        return;
      }
      if (frame.type === "ready") {
        ready = true;
        this.attempt = 0;
        this.state.value = "open";
        this.ping();
        this.scheduleReauth();
      }
      if (!this.answered(frame)) this.events.frame(frame);
    };
    ws.onclose = (e: CloseEvent) => {
      if (this.ws !== ws) return;
      this.ws = null;
      void this.closed(e.code, e.reason, ready);
    };
  }

  /** An ack, reauthenticated or error answering one of our requests: settles it. */
  private answered(frame: ServerFrame): boolean {
    if (frame.type !== "ack" && frame.type !== "reauthenticated" && frame.type !== "error") return false;
    const waiting = frame.request_id ? this.inflight.get(frame.request_id) : undefined;
    if (!waiting) return false;
    this.inflight.delete(frame.request_id!);
    clearTimeout(waiting.timer);
    if (frame.type === "error") waiting.reject(new RoomError(frame.code, frame.message, frame.retry_after_ms));
    else waiting.resolve(frame);
    return true;
  }

  private async closed(code: number, reason: string, wasReady: boolean): Promise<void> {
    for (const name of ["ping", "pong", "reauth"] as const) this.clear(name);
    this.failInflight();
    if (this.stopped) return;
    this.events.dropped();
    if (code === REMOVED_CLOSE_CODE) return this.end({ code: "removed", message: `You are no longer a member of this room${reason ? ` (${reason})` : ""}.` });
    if (code === ROOM_CLOSED_CLOSE_CODE) return this.end({ code: "deleted", message: "This room was deleted." });
    if (code === TOKEN_EXPIRED_CLOSE_CODE) {
      this.attempt = 0;
      return void this.connect();
    }
    if (!wasReady) {
      // The upgrade was refused, and a browser is not told why: ask the API what it says of the room.
      try {
        const room = await get<Room>(`/v1/rooms/${encodeURIComponent(this.roomId)}`);
        if (this.stopped) return;
        if (!room.my_membership) return this.end({ code: "not_member", message: "You are not a member of this room." });
        if (!getTokens()) return this.end(SIGNED_OUT);
      } catch (err) {
        const status = (err as { status?: number }).status;
        if (status === 404) return this.end({ code: "not_found", message: "This room does not exist (any more)." });
        if (status === 403) return this.end({ code: "removed", message: "You cannot enter this room." });
      }
    }
    this.retryLater();
  }

  private retryLater(): void {
    if (this.stopped) return;
    if (!navigator.onLine) {
      this.state.value = "offline";
      return; // `online` reconnects
    }
    this.state.value = "reconnecting";
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.attempt) * (0.5 + Math.random() / 2);
    this.attempt++;
    this.later("reconnect", delay, () => void this.connect());
  }

  private readonly onOnline = () => {
    if (this.stopped || this.ws) return;
    this.clear("reconnect");
    this.attempt = 0;
    void this.connect();
  };

  /** A link that stopped answering: close it and reconnect. */
  private drop(): void {
    const ws = this.ws;
    if (!ws) return;
    this.ws = null;
    ws.close();
    void this.closed(1006, "", true);
  }

  private end(reason: EndReason): void {
    this.ended.value = reason;
    this.state.value = "ended";
    this.stop();
  }

  private scheduleReauth(): void {
    const tokens = getTokens();
    if (!tokens) return;
    // freshAccessToken() refreshes within 30 s of expiry: wake up just inside that window.
    this.later("reauth", Math.max(1000, tokens.expiresAt - Date.now() - 25_000), () => void this.reauth());
  }

  private async reauth(): Promise<void> {
    const token = await freshAccessToken().catch(() => undefined);
    if (this.stopped || !this.ws) return;
    if (token === null) return this.end(SIGNED_OUT);
    if (token === undefined) return this.later("reauth", 5000, () => void this.reauth()); // offline: try again
    try {
      await this.request({ type: "reauth", token });
      this.scheduleReauth();
    } catch (err) {
      // Refused or unanswered: a reconnect opens with a fresh token anyway.
      if (err instanceof RoomError && err.code !== "closed") this.drop();
    }
  }

  private ping(): void {
    this.later("ping", PING_EVERY_MS, () => {
      try {
        this.ws?.send("ping");
      } catch {
        return this.drop();
      }
      this.later("pong", PONG_WITHIN_MS, () => this.drop());
      this.ping();
    });
  }

  private failInflight(): void {
    for (const [id, waiting] of this.inflight) {
      clearTimeout(waiting.timer);
      waiting.reject(new RoomError("closed", "Not connected to the room; reconnecting…"));
      this.inflight.delete(id);
    }
  }

  private later(name: TimerName, ms: number, run: () => void): void {
    this.clear(name);
    this.timers.set(
      name,
      setTimeout(() => {
        this.timers.delete(name);
        run();
      }, ms),
    );
  }

  private clear(name: TimerName): void {
    const t = this.timers.get(name);
    if (t !== undefined) clearTimeout(t);
    this.timers.delete(name);
  }
}
