/**
 * The live queue: the signed-in account's PlaybackQueue over `wss://…/v1/me/queue/ws` (protocol
 * `veza.queue.v1`, token as the `bearer.<jwt>` subprotocol), kept in the `queue` signal.
 *
 * - Every change made anywhere (another tab, another device, a REST call) arrives as a `state` or
 *   `playback` frame and replaces/merges the local copy; nothing is changed locally before the
 *   object accepted it, so all devices show the same list in the same order.
 * - Writes go over the socket when it is open, else over REST (`/v1/me/queue…`). List edits carry
 *   the version of the state they were made against; a stale one (another device changed the queue
 *   meanwhile) is answered with the current state, and the edit is re-applied on it (3 tries).
 * - The socket reconnects with exponential backoff (0.5 s → 30 s, jittered), at once when the page
 *   comes back online or visible; it renews its token (`reauth`) before the token expires, and gives
 *   up only when the account is banned or deleted (close code 4003).
 * - Signed out, the queue is local to the tab (local-queue.ts), with the same rules.
 */
import { signal } from "@preact/signals";
import { ApiError, api, freshAccessToken, getTokens, onTokensChange, wsUrl, type RequestOptions } from "../api";
import type { PlayableTrack } from "./controls";
import { applyLocal, emptyState, LocalRefusal } from "./local-queue";
import type { Playback, QueueItem, QueueOp, QueueState, ServerFrame } from "./types";

export type Link = "local" | "connecting" | "live" | "reconnecting" | "closed";

/** The queue as the server (or, signed out, this tab) last told it; null until it is known. */
export const queue = signal<QueueState | null>(getTokens() ? null : emptyState());
/** How the queue is kept: `local` (signed out), or the socket's state. */
export const link = signal<Link>(getTokens() ? "connecting" : "local");

/** server clock - this clock (ms), from the frames' `server_time`: to extrapolate a playing position. */
export let clockOffsetMs = 0;

const PROTOCOL = "veza.queue.v1";
const LIST_EDITS = new Set<QueueOp["type"]>(["add", "remove", "move", "clear"]);
const MAX_TRIES = 3;
const OP_TIMEOUT_MS = 10_000;
const PING_MS = 25_000;

// ---------------------------------------------------------------------------------------------
// Change listeners and the count of writes in flight

type Listener = (state: QueueState) => void;
const listeners = new Set<Listener>();
/** Called with every new state (after a frame, an answer or a local change). */
export function onQueueChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Writes of this tab not answered yet: while there are some, frames may predate them. */
export const inFlight = signal(0);

/** The versions this tab's own writes produced (the last 50): their frames echo what it already did. */
export const ownVersions = new Set<number>();
function own(version: number): void {
  ownVersions.add(version);
  if (ownVersions.size > 50) ownVersions.delete(ownVersions.values().next().value!);
}

/** `fromSocket`: the socket's frames are the object's own order of events and always win. */
function adopt(state: QueueState, fromSocket = false): void {
  const current = queue.value;
  // A REST answer may cross a newer frame: never step back to it.
  if (!fromSocket && current && link.value !== "local" && state.version < current.version) return;
  queue.value = state;
  for (const l of listeners) l(state);
}

function mergePlayback(playback: Playback): void {
  const current = queue.value;
  if (!current || playback.version < current.version) return;
  adopt({ ...current, ...playback });
}

// ---------------------------------------------------------------------------------------------
// The socket

let socket: WebSocket | null = null;
let socketTokenExpiresAt = 0;
let attempts = 0;
let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
let reauthTimer: ReturnType<typeof setTimeout> | undefined;
let pingTimer: ReturnType<typeof setInterval> | undefined;
let wanted = false;
/** Resolved with the first state after (re)connecting; writes wait for it before reading the version. */
let firstState: { promise: Promise<void>; resolve: () => void } = deferred();

interface Pending {
  resolve: (state: QueueState) => void;
  reject: (err: unknown) => void;
  /** The version the operation produced (from its ack); resolved when the state reaches it. */
  version?: number;
  onStale: (state: QueueState) => void;
  timer: ReturnType<typeof setTimeout>;
}
const pending = new Map<string, Pending>();

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** A stable id of this browser (the server names a socket's device with it). */
function deviceId(): string {
  try {
    let id = localStorage.getItem("veza.device");
    if (!id) localStorage.setItem("veza.device", (id = crypto.randomUUID().replace(/-/g, "")));
    return id;
  } catch {
    return crypto.randomUUID().replace(/-/g, "");
  }
}

function deviceName(): string {
  const ua = navigator.userAgent;
  const browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrome\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : "Browser";
  return `Web (${browser})`;
}

async function connect(): Promise<void> {
  clearTimeout(reconnectTimer);
  if (!wanted || socket) return;
  const token = await freshAccessToken();
  if (!wanted || socket) return;
  if (!token) {
    stop();
    return;
  }
  link.value = attempts === 0 && !queue.value ? "connecting" : "reconnecting";
  const ws = new WebSocket(wsUrl("/v1/me/queue/ws", { device_id: deviceId(), device_name: deviceName() }), [PROTOCOL, `bearer.${token}`]);
  socket = ws;
  socketTokenExpiresAt = getTokens()?.expiresAt ?? 0;
  ws.onmessage = (e) => {
    if (typeof e.data !== "string" || e.data === "pong") return;
    let frame: ServerFrame;
    try {
      frame = JSON.parse(e.data) as ServerFrame;
    } catch {
      return;
    }
    onFrame(frame);
  };
  ws.onopen = () => {
    clearInterval(pingTimer);
    pingTimer = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send("ping"), PING_MS);
    scheduleReauth();
  };
  ws.onclose = (e) => {
    if (socket !== ws) return;
    socket = null;
    clearInterval(pingTimer);
    clearTimeout(reauthTimer);
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      pending.delete(id);
      p.reject(new ApiError({ status: 0, code: "network_error", title: "Network error", detail: "The connection to your queue was lost." }));
    }
    if (!wanted) return;
    firstState = deferred();
    // 4003: the account was banned or deleted; its sessions are over too.
    if (e.code === 4003) {
      link.value = "closed";
      return;
    }
    link.value = "reconnecting";
    // 4001: the socket's token expired; a fresh one opens a new one at once.
    const delay = e.code === 4001 ? 0 : Math.min(30_000, 500 * 2 ** attempts) * (0.5 + Math.random() / 2);
    attempts++;
    reconnectTimer = setTimeout(() => void connect(), delay);
  };
}

function onFrame(frame: ServerFrame): void {
  switch (frame.type) {
    case "state":
    case "playback":
      clockOffsetMs = frame.server_time - Date.now();
      if (frame.type === "state") {
        attempts = 0;
        link.value = "live";
        adopt(frame.state, true);
        firstState.resolve();
      } else mergePlayback(frame.playback);
      settle();
      break;
    case "ack": {
      const p = pending.get(frame.request_id);
      if (p) {
        p.version = frame.version;
        settle();
      }
      break;
    }
    case "rejected": {
      adopt(frame.state, true);
      const p = pending.get(frame.request_id);
      if (p) {
        pending.delete(frame.request_id);
        clearTimeout(p.timer);
        p.onStale(frame.state);
      }
      break;
    }
    case "error": {
      const p = frame.request_id ? pending.get(frame.request_id) : undefined;
      if (frame.code === "token_expired") {
        // The socket is about to close (4001) and reconnect with a fresh token.
        void freshAccessToken();
      }
      if (!p || !frame.request_id) break;
      pending.delete(frame.request_id);
      clearTimeout(p.timer);
      p.reject(refusal(frame.code, frame.message));
      break;
    }
    case "reauthenticated":
      socketTokenExpiresAt = getTokens()?.expiresAt ?? socketTokenExpiresAt;
      scheduleReauth();
      break;
  }
}

/** Resolves the writes whose version the state has reached. */
function settle(): void {
  const version = queue.value?.version ?? -1;
  for (const [id, p] of pending) {
    if (p.version !== undefined && p.version <= version) {
      own(p.version);
      pending.delete(id);
      clearTimeout(p.timer);
      p.resolve(queue.value!);
    }
  }
}

/** Before the socket's token expires, hand it a fresh one (`reauth`) so it stays open. */
function scheduleReauth(): void {
  clearTimeout(reauthTimer);
  const ws = socket;
  if (!ws || !socketTokenExpiresAt) return;
  // freshAccessToken() refreshes within 30 s of the expiry.
  const delay = Math.max(1000, socketTokenExpiresAt - Date.now() - 25_000);
  reauthTimer = setTimeout(async () => {
    const token = await freshAccessToken().catch(() => null);
    if (socket !== ws || ws.readyState !== WebSocket.OPEN || !token) return;
    ws.send(JSON.stringify({ type: "reauth", request_id: crypto.randomUUID(), token }));
  }, delay);
}

function refusal(code: string, message: string): ApiError {
  const status = code === "unknown_tracks" || code === "queue_full" || code === "invalid_position" || code === "invalid_message" ? 422 : code === "item_not_found" ? 404 : code === "rate_limited" ? 429 : code === "database_unavailable" ? 503 : 409;
  return new ApiError({ status, code, detail: message });
}

function start(): void {
  wanted = true;
  if (link.value === "local") {
    queue.value = null;
    link.value = "connecting";
  }
  void connect();
}

function stop(): void {
  wanted = false;
  clearTimeout(reconnectTimer);
  const ws = socket;
  socket = null;
  ws?.close(1000, "signed out");
  firstState = deferred();
  attempts = 0;
  link.value = "local";
  adopt(emptyState());
}

// ---------------------------------------------------------------------------------------------
// Writes

/** The current state, once known (waits for the socket's first frame, or reads it over REST). */
async function known(): Promise<QueueState> {
  if (queue.value) return queue.value;
  const timeout = new Promise<void>((r) => setTimeout(r, 3000));
  await Promise.race([firstState.promise, timeout]);
  if (queue.value) return queue.value;
  const state = await api<QueueState>("/v1/me/queue");
  adopt(state);
  return queue.value ?? state;
}

/**
 * Performs one operation on the queue and resolves with the state it produced (rejects with an
 * ApiError when refused). `items` is what an `add` adds, for the signed-out queue.
 */
export async function operate(op: QueueOp, tracks: PlayableTrack[] = []): Promise<QueueState> {
  if (link.value === "local") {
    try {
      const next = applyLocal(queue.value ?? emptyState(), op, tracks.map(localItem));
      own(next.version);
      adopt(next);
      return next;
    } catch (err) {
      if (err instanceof LocalRefusal) throw refusal(err.code, err.message);
      throw err;
    }
  }
  inFlight.value++;
  try {
    for (let attempt = 1; ; attempt++) {
      const state = await known();
      const versioned = LIST_EDITS.has(op.type) ? { ...op, version: state.version } : op;
      const result = await (socket?.readyState === WebSocket.OPEN ? viaSocket(socket, versioned) : viaRest(versioned));
      if (result !== "stale") return result;
      if (attempt >= MAX_TRIES) throw new ApiError({ status: 409, code: "stale", detail: "Your queue keeps changing on another device; try again." });
    }
  } finally {
    inFlight.value--;
  }
}

function viaSocket(ws: WebSocket, op: QueueOp & { version?: number }): Promise<QueueState | "stale"> {
  return new Promise((resolve, reject) => {
    const requestId = crypto.randomUUID();
    const timer = setTimeout(() => {
      pending.delete(requestId);
      reject(new ApiError({ status: 0, code: "network_error", detail: "Your queue did not answer in time." }));
    }, OP_TIMEOUT_MS);
    pending.set(requestId, { resolve, reject, timer, onStale: () => resolve("stale") });
    ws.send(JSON.stringify({ ...op, request_id: requestId }));
  });
}

async function viaRest(op: QueueOp & { version?: number }): Promise<QueueState | "stale"> {
  const version = op.version;
  let path = "/v1/me/queue";
  let opts: RequestOptions;
  switch (op.type) {
    case "add":
      path += "/items";
      opts = { method: "POST", body: { version, track_ids: op.track_ids, position: op.position } };
      break;
    case "clear":
      path += "/items";
      opts = { method: "DELETE", query: { version } };
      break;
    case "remove":
      path += `/items/${op.item_id}`;
      opts = { method: "DELETE", query: { version } };
      break;
    case "move":
      path += `/items/${op.item_id}`;
      opts = { method: "PATCH", body: { version, position: op.position } };
      break;
    case "shuffle":
      path += "/settings";
      opts = { method: "PATCH", body: { shuffle: op.shuffle } };
      break;
    case "repeat":
      path += "/settings";
      opts = { method: "PATCH", body: { repeat: op.mode } };
      break;
    default: {
      const { type, ...body } = op;
      path += `/${type}`;
      opts = { method: "POST", body };
    }
  }
  try {
    const state = await api<QueueState>(path, opts);
    own(state.version);
    adopt(state);
    return queue.value ?? state;
  } catch (err) {
    if (err instanceof ApiError && err.status === 409 && err.problem.state) {
      adopt(err.problem.state as QueueState);
      if (version !== undefined) return "stale";
    }
    throw err;
  }
}

function localItem(track: PlayableTrack): QueueItem {
  return {
    item_id: crypto.randomUUID(),
    track_id: track.id,
    title: track.title,
    artist: track.artist,
    duration_ms: track.duration_ms,
    creator_username: track.creator.username,
    cover_url: track.cover_url,
    available: true,
    added_at: new Date().toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------
// Follow the session

let started = false;

/** Connect while signed in; a local queue otherwise. Called once, by the player bar. */
export function startQueue(): void {
  if (started) return;
  started = true;
  if (getTokens()) start();
  onTokensChange((t) => (t ? (stop(), start()) : stop()));
  addEventListener("online", () => {
    if (wanted && !socket) {
      attempts = 0;
      void connect();
    }
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && wanted && !socket) void connect();
  });
}
