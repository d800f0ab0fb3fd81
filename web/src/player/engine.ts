/**
 * The player: the live queue (queue-client.ts) says what is current and whether it plays; the tab
 * that the listener pressed play in is the one that makes the sound (audio.ts) and follows the
 * queue — next/previous/pause/seek made on another tab or device reach it as frames. The other
 * tabs of the account show the same queue and act as remote controls ("Playing on another tab or
 * device"). Within one browser, a tab that starts playing silences the others (BroadcastChannel).
 */
import { computed, effect, signal } from "@preact/signals";
import { errorMessage, getTokens } from "../api";
import * as audio from "./audio";
import type { PlayableTrack } from "./controls";
import { positionOf } from "./local-queue";
import { clockOffsetMs, inFlight, link, onQueueChange, operate, ownVersions, queue, startQueue } from "./queue-client";
import type { QueueItem, QueueOp, QueueState, RepeatMode } from "./types";

export { queue, link } from "./queue-client";
export { volume, muted, normalise, gainDb, buffering, preload } from "./audio";

/** This tab plays the queue's audio (others only show it). */
export const active = signal(false);

/** The queue's current item (playing or paused), or null. */
export const nowPlaying = computed<QueueItem | null>(() => {
  const q = queue.value;
  return q?.items.find((i) => i.item_id === q.current_item_id) ?? null;
});

/** This tab is playing. */
export const isPlaying = computed(() => active.value && audio.isPlaying.value);
/** The queue plays on another tab or device (this one is not making the sound). */
export const playingElsewhere = computed(() => !active.value && !!queue.value?.is_playing && nowPlaying.value !== null);

/** Ticks once a second while another device plays, so the position shown advances. */
const tick = signal(Date.now());
let ticker: ReturnType<typeof setInterval> | undefined;
effect(() => {
  clearInterval(ticker);
  if (playingElsewhere.value) ticker = setInterval(() => (tick.value = Date.now()), 1000);
});

/** ms into the current track: this tab's element, or the queue's (extrapolated while playing elsewhere). */
export const position = computed(() => {
  if (active.value && audio.loadedTrackId.value) return audio.position.value;
  const q = queue.value;
  return q ? positionOf(q, tick.value, clockOffsetMs) : 0;
});
/** ms; 0 when unknown. */
export const duration = computed(() => (active.value && audio.duration.value ? audio.duration.value : nowPlaying.value?.duration_ms ?? 0));
/** What went wrong last (a message fit for the listener), or null. */
export const playerError = audio.playerError;

// ---------------------------------------------------------------------------------------------
// One tab plays at a time (within this browser)

const tabId = crypto.randomUUID();
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("veza.player") : null;
channel?.addEventListener("message", (e: MessageEvent<{ type: string; tab: string }>) => {
  if (e.data?.type === "playing" && e.data.tab !== tabId && active.value) {
    active.value = false;
    audio.unload();
  }
});

function takeOver(): void {
  active.value = true;
  channel?.postMessage({ type: "playing", tab: tabId });
}

// ---------------------------------------------------------------------------------------------
// Following the queue

/** A play-now whose queue writes are still running: the queue does not show its item yet. */
let expecting: string | null = null;
let lastStamp = "";

function follow(state: QueueState | null = queue.value): void {
  if (!state || !active.value || inFlight.value > 0 || expecting) return;
  const item = state.items.find((i) => i.item_id === state.current_item_id);
  const stamp = state.position_updated_at;
  const moved = stamp !== lastStamp;
  lastStamp = stamp;
  if (!item) {
    if (audio.loadedTrackId.value) audio.unload();
    return;
  }
  const at = positionOf(state, Date.now(), clockOffsetMs);
  if (audio.loadedTrackId.value === item.track_id && audio.isLoading()) return;
  if (audio.loadedTrackId.value !== item.track_id || !audio.hasSource()) {
    if (audio.loadedTrackId.value === item.track_id && !state.is_playing) return; // failed before; a press reloads it
    void audio.load(item.track_id, { autoplay: state.is_playing, startMs: at, durationMs: item.duration_ms });
    return;
  }
  const own = ownVersions.has(state.version);
  if (!own && moved && Math.abs(at - audio.position.value) > 2000) audio.seekElement(at);
  if (!state.is_playing && !audio.elementPaused()) audio.pauseElement();
  else if (state.is_playing && audio.elementPaused()) void audio.playElement();
}

onQueueChange((s) => follow(s));
effect(() => {
  if (inFlight.value === 0) follow(queue.peek());
});

/** One write of this tab; errors are shown in the bar (and rethrown for the caller). */
async function send(op: QueueOp, tracks?: PlayableTrack[]): Promise<QueueState> {
  try {
    return await operate(op, tracks);
  } catch (err) {
    playerError.value = errorMessage(err);
    throw err;
  }
}
const quietly = (p: Promise<unknown>) => void p.catch(() => undefined);

// ---------------------------------------------------------------------------------------------
// Actions

function playRequested(trackId?: string): void {
  performance.mark("veza:play-requested", { detail: { trackId } });
  playerError.value = null;
}

/** Play a track now: queued after the current item and started (its audio starts loading at once). */
export async function playNow(track: PlayableTrack): Promise<void> {
  playRequested(track.id);
  audio.unlock();
  const wasActive = active.value;
  takeOver();
  const current = nowPlaying.value;
  if (current?.track_id === track.id && wasActive && audio.loadedTrackId.value === track.id && audio.hasSource()) {
    if (audio.elementPaused()) await resume();
    return;
  }
  expecting = track.id;
  const known = track.stream && track.loudness ? { ...track, stream: track.stream, loudness: track.loudness } : undefined;
  void audio.load(track.id, { autoplay: true, known, durationMs: track.duration_ms });
  try {
    const before = new Set((queue.value?.items ?? []).map((i) => i.item_id));
    const added = await send({ type: "add", track_ids: [track.id], position: "next" }, [track]);
    const item = added.items.find((i) => i.track_id === track.id && !before.has(i.item_id));
    if (item) await send({ type: "play", item_id: item.item_id });
  } catch (err) {
    audio.unload();
    throw err;
  } finally {
    expecting = null;
    follow();
  }
}

/** Add tracks to the queue (the end, or after the current item). */
export async function enqueue(tracks: PlayableTrack[], options: { next?: boolean } = {}): Promise<void> {
  if (!tracks.length) return;
  await send({ type: "add", track_ids: tracks.map((t) => t.id), position: options.next ? "next" : undefined }, tracks);
}

async function resume(): Promise<void> {
  const q = queue.value;
  const item = nowPlaying.value;
  if (audio.elementEnded() && item) {
    audio.seekElement(0);
    void audio.playElement();
    quietly(send({ type: "play", item_id: item.item_id }));
    return;
  }
  void audio.playElement();
  if (q && !q.is_playing) quietly(send({ type: "play" }));
}

/**
 * Play/pause in this tab. With `remote` (the player bar), a queue playing on another tab or device
 * is paused there instead of being started here.
 */
export async function togglePlay(options: { remote?: boolean } = {}): Promise<void> {
  if (active.value && audio.hasSource()) {
    if (!audio.elementPaused()) {
      audio.pauseElement();
      quietly(send({ type: "pause" }));
      return;
    }
    playRequested(audio.loadedTrackId.value ?? undefined);
    return resume();
  }
  if (options.remote && playingElsewhere.value) {
    quietly(send({ type: "pause" }));
    return;
  }
  const item = nowPlaying.value;
  playRequested(item?.track_id);
  audio.unlock();
  takeOver();
  if (!item) {
    // Nothing current: the queue's first track.
    await send({ type: "play" }).catch(() => undefined);
    return;
  }
  const at = positionOf(queue.value!, Date.now(), clockOffsetMs);
  const ended = item.duration_ms !== null && at >= item.duration_ms - 500;
  void audio.load(item.track_id, { autoplay: true, startMs: ended ? 0 : at, durationMs: item.duration_ms });
  quietly(send(ended ? { type: "play", item_id: item.item_id } : { type: "play" }));
}

let seekTimer: ReturnType<typeof setTimeout> | undefined;
/** Seek (ms). The queue hears of it once the listener stops moving the slider. */
export function seek(ms: number): void {
  const target = Math.max(0, Math.round(ms));
  if (active.value && (audio.hasSource() || audio.isLoading())) audio.seekElement(target);
  clearTimeout(seekTimer);
  seekTimer = setTimeout(() => quietly(send({ type: "seek", position_ms: target })), 300);
}

export function next(): Promise<void> {
  playRequested();
  return send({ type: "next" }).then(() => undefined, () => undefined);
}

export function previous(): Promise<void> {
  playRequested();
  // Past 3 s the queue restarts the track: do it at once here.
  if (active.value && audio.hasSource() && audio.position.value > 3000) audio.seekElement(0);
  return send({ type: "previous" }).then(() => undefined, () => undefined);
}

/** Play this item of the queue from its start. */
export function playItem(itemId: string): Promise<void> {
  const item = queue.value?.items.find((i) => i.item_id === itemId);
  playRequested(item?.track_id);
  audio.unlock();
  takeOver();
  if (item && audio.loadedTrackId.value !== item.track_id) {
    expecting = item.track_id;
    void audio.load(item.track_id, { autoplay: true, durationMs: item.duration_ms });
  }
  return send({ type: "play", item_id: itemId }).then(
    () => undefined,
    () => undefined,
  ).finally(() => {
    expecting = null;
    follow();
  });
}

export const removeItem = (itemId: string) => send({ type: "remove", item_id: itemId }).then(() => undefined);
export const moveItem = (itemId: string, position: number) => send({ type: "move", item_id: itemId, position }).then(() => undefined);
export const clearQueue = () => send({ type: "clear" }).then(() => undefined);
export const setRepeat = (mode: RepeatMode) => send({ type: "repeat", mode }).then(() => undefined);
export const setShuffle = (shuffle: boolean) => send({ type: "shuffle", shuffle }).then(() => undefined);

// ---------------------------------------------------------------------------------------------
// The track ended; the page goes away; the OS media keys

audio.onEnded(() => {
  if (active.value) quietly(send({ type: "ended" }));
});

addEventListener("pagehide", () => {
  // Other devices should not show this tab as still playing.
  const token = getTokens()?.accessToken;
  if (!active.value || !audio.isPlaying.value || link.value === "local" || !token) return;
  void fetch("/v1/me/queue/pause", { method: "POST", keepalive: true, headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: "{}" }).catch(() => undefined);
});

if ("mediaSession" in navigator) {
  const ms = navigator.mediaSession;
  const handlers: [MediaSessionAction, MediaSessionActionHandler][] = [
    ["play", () => !isPlaying.value && void togglePlay()],
    ["pause", () => isPlaying.value && void togglePlay()],
    ["nexttrack", () => void next()],
    ["previoustrack", () => void previous()],
    ["seekto", (d) => d.seekTime !== undefined && seek(d.seekTime * 1000)],
  ];
  for (const [action, handler] of handlers) {
    try {
      ms.setActionHandler(action, handler);
    } catch {
      /* not supported by this browser */
    }
  }
  effect(() => {
    const item = nowPlaying.value;
    if (!active.value || !item || typeof MediaMetadata !== "function") return;
    ms.metadata = new MediaMetadata({
      title: item.title,
      artist: item.artist ?? item.creator_username,
      artwork: item.cover_url ? [{ src: item.cover_url }] : [],
    });
  });
}

/** Start following the session's queue. Called once, by the player bar. */
export function startPlayer(): void {
  startQueue();
}
