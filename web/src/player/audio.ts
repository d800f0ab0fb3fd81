/**
 * This tab's audio: one <audio> element fed by hls.js (its light build, imported on the first play,
 * never part of the shell) or, where the browser plays HLS itself (Safari), by the element alone.
 *
 * - Stream URLs come from the track (`stream.master_url`). A private track's URL is signed and
 *   expires: it is fetched again before playing when it is about to, and when a playlist or a
 *   segment is answered 403 (hls.js) or the element fails (native HLS, which hides the status).
 * - Loudness normalisation: the stored ReplayGain (`loudness.replay_gain_db`, −18 LUFS reference)
 *   scales `audio.volume` — attenuation only (clamped to 1). Loud masters, the common case, are
 *   brought down to the reference; quieter ones play as they are rather than being boosted into
 *   clipping. A Web Audio GainNode could boost, but routing the element through
 *   MediaElementSource breaks or silences native HLS in Safari, needs its AudioContext resumed by
 *   a gesture and keeps the audio device busy; scaling the volume works the same everywhere.
 * - Plays: the time actually listened (seeks excluded) is reported once per play of a track with
 *   POST /v1/tracks/:id/plays when it ends, another track starts or the page goes away.
 * - `performance.mark("veza:audio-playing")` on the first `playing` event after a play request.
 */
import { effect, signal } from "@preact/signals";
import type HlsType from "hls.js";
import type { ErrorData } from "hls.js";
import { ApiError, api, errorMessage, getTokens } from "../api";
import type { Track } from "../types/api";

type Hls = HlsType;
type HlsClass = typeof HlsType;

/** What a track needs to be played: the API's Track fields the player reads. */
export interface SourceInfo {
  id: string;
  duration_ms: number | null;
  stream: { master_url: string; expires_at: string | null } | null;
  loudness: { replay_gain_db: number | null };
}

interface Source {
  trackId: string;
  url: string;
  /** ms since the epoch; null for unsigned URLs. */
  expiresAt: number | null;
  gainDb: number | null;
}

const VOLUME_KEY = "veza.player.volume";
const MUTED_KEY = "veza.player.muted";
const NORMALISE_KEY = "veza.player.normalise";
/** A signed URL this close to its expiry is renewed before use. */
const EXPIRY_MARGIN_MS = 60_000;

/** A blob: URL (the CSP allows media from blob:, not data:) of 0.1 s of silence, to unlock the element. */
let silence: string | null = null;
function silenceUrl(): string {
  if (silence) return silence;
  const samples = 800;
  const bytes = new Uint8Array(44 + samples).fill(128, 44);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, s: string) => [...s].forEach((ch, i) => view.setUint8(at + i, ch.charCodeAt(0)));
  ascii(0, "RIFF");
  view.setUint32(4, 36 + samples, true);
  ascii(8, "WAVEfmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, 8000, true);
  view.setUint32(28, 8000, true);
  view.setUint16(32, 1, true);
  view.setUint16(34, 8, true);
  ascii(36, "data");
  view.setUint32(40, samples, true);
  return (silence = URL.createObjectURL(new Blob([bytes], { type: "audio/wav" })));
}

function stored<T>(key: string, parse: (raw: string) => T | undefined, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? fallback : (parse(raw) ?? fallback);
  } catch {
    return fallback;
  }
}
function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* private mode or full: the setting lasts for this visit */
  }
}
const asVolume = (raw: string) => {
  const v = Number(raw);
  return Number.isFinite(v) && v >= 0 && v <= 1 ? v : undefined;
};
const asBool = (raw: string) => (raw === "1" ? true : raw === "0" ? false : undefined);

// ---------------------------------------------------------------------------------------------
// State

/** The element is playing (this tab). */
export const isPlaying = signal(false);
/** Waiting for data while it should be playing. */
export const buffering = signal(false);
/** ms into the loaded track. */
export const position = signal(0);
/** ms; the track's measured duration until the element knows better. */
export const duration = signal(0);
/** A message fit for the listener, or null. */
export const playerError = signal<string | null>(null);
/** The track loaded in the element (playing or not). */
export const loadedTrackId = signal<string | null>(null);
/** 0..1, remembered. */
export const volume = signal(stored(VOLUME_KEY, asVolume, 0.8));
export const muted = signal(stored(MUTED_KEY, asBool, false));
/** Loudness normalisation on (remembered; on by default). */
export const normalise = signal(stored(NORMALISE_KEY, asBool, true));
/** The loaded track's ReplayGain (dB), when known. */
export const gainDb = signal<number | null>(null);

/** The element's volume: the listener's, times the normalisation gain (attenuation only). */
export function effectiveVolume(): number {
  if (muted.value) return 0;
  const g = gainDb.value;
  const factor = normalise.value && g !== null ? Math.min(1, 10 ** (g / 20)) : 1;
  return Math.max(0, Math.min(1, volume.value * factor));
}

effect(() => {
  const v = effectiveVolume();
  if (el) {
    el.volume = v;
    el.muted = muted.value;
  }
});
effect(() => store(VOLUME_KEY, String(volume.value)));
effect(() => store(MUTED_KEY, muted.value ? "1" : "0"));
effect(() => store(NORMALISE_KEY, normalise.value ? "1" : "0"));

// ---------------------------------------------------------------------------------------------
// The element

let el: HTMLAudioElement | null = null;
let hls: Hls | null = null;
let HlsCtor: HlsClass | null = null;
let source: Source | null = null;
let loadSeq = 0;
let markPending = false;
let loading = false;
/** Where the loading track starts (ms); a seek during the load moves it. */
let startAt = 0;
let unlocked = false;
let recovering = 0;
let lastRefresh = 0;
const endedListeners = new Set<() => void>();

/** Called when the loaded track plays to its end. */
export function onEnded(listener: () => void): () => void {
  endedListeners.add(listener);
  return () => endedListeners.delete(listener);
}

/** The player's <audio> element (created on first use; `#veza-audio` in the page). */
export function element(): HTMLAudioElement {
  if (el) return el;
  const a = document.createElement("audio");
  a.id = "veza-audio";
  a.preload = "auto";
  a.setAttribute("aria-hidden", "true");
  a.volume = effectiveVolume();
  a.muted = muted.value;
  document.body.append(a);
  el = a;
  const real = () => source !== null && a.src !== silence;
  a.addEventListener("playing", () => {
    if (!real()) return;
    isPlaying.value = true;
    buffering.value = false;
    playerError.value = null;
    recovering = 0;
    if (session) session.since ??= performance.now();
    if (markPending) {
      markPending = false;
      performance.mark("veza:audio-playing", { detail: { trackId: source?.trackId } });
    }
  });
  a.addEventListener("pause", () => {
    if (!real()) return;
    isPlaying.value = false;
    buffering.value = false;
    tally();
  });
  a.addEventListener("waiting", () => {
    if (!real()) return;
    buffering.value = true;
    tally();
  });
  a.addEventListener("timeupdate", () => {
    if (real()) position.value = Math.round(a.currentTime * 1000);
  });
  a.addEventListener("durationchange", () => {
    if (real() && Number.isFinite(a.duration) && a.duration > 0) duration.value = Math.round(a.duration * 1000);
  });
  a.addEventListener("ended", () => {
    if (!real()) return;
    isPlaying.value = false;
    tally();
    endSession();
    for (const l of endedListeners) l();
  });
  a.addEventListener("error", () => {
    if (!real() || hls) return;
    void nativeError();
  });
  addEventListener("pagehide", () => endSession(true));
  return a;
}

/**
 * Call synchronously in the click that starts playback: Safari (and Chrome before any interaction)
 * only lets an element play from a user gesture; one that played once may play later without one.
 */
export function unlock(): void {
  const a = element();
  if (unlocked || source) return;
  unlocked = true;
  a.src = silenceUrl();
  a.play().catch(() => undefined);
}

// ---------------------------------------------------------------------------------------------
// Loading

/** hls.js, imported once (its own chunk). */
export function loadHls(): Promise<HlsClass> {
  return HlsCtor ? Promise.resolve(HlsCtor) : import("hls.js/light").then((m) => (HlsCtor = m.default as HlsClass));
}

/** Fetch hls.js ahead of a likely play (not where the browser plays HLS itself). */
export function preload(): void {
  if (!useNativeHls(element())) void loadHls().catch(() => undefined);
}

function useNativeHls(a: HTMLAudioElement): boolean {
  // Safari's own player (AirPlay, background audio on iOS, no MSE needed there); elsewhere MSE via hls.js.
  const native = a.canPlayType("application/vnd.apple.mpegurl") !== "";
  const mse = "MediaSource" in window || "ManagedMediaSource" in window;
  return native && (!mse || /^Apple/.test(navigator.vendor));
}

function toSource(track: SourceInfo): Source {
  if (!track.stream) throw new ApiError({ status: 409, code: "not_ready", detail: "This track is not ready to be played yet." });
  return {
    trackId: track.id,
    url: track.stream.master_url,
    expiresAt: track.stream.expires_at ? Date.parse(track.stream.expires_at) : null,
    gainDb: track.loudness.replay_gain_db,
  };
}

const fresh = (s: Source) => s.expiresAt === null || s.expiresAt - Date.now() > EXPIRY_MARGIN_MS;

/**
 * Load a track into the element, from `startMs`, and play it when `autoplay`. `known` is the track
 * when the caller has it (no request then, unless its signed URL is about to expire).
 */
export async function load(trackId: string, opts: { autoplay: boolean; startMs?: number; known?: SourceInfo; durationMs?: number | null }): Promise<void> {
  const seq = ++loadSeq;
  const a = element();
  endSession();
  teardown();
  loadedTrackId.value = trackId;
  playerError.value = null;
  position.value = opts.startMs ?? 0;
  duration.value = opts.known?.duration_ms ?? opts.durationMs ?? 0;
  buffering.value = opts.autoplay;
  markPending = opts.autoplay;
  session = { trackId, listenedMs: 0, since: null };
  loading = true;
  startAt = opts.startMs ?? 0;
  try {
    let next = opts.known?.stream && opts.known.id === trackId ? toSource(opts.known) : null;
    if (!next || !fresh(next)) next = toSource(await api<Track>(`/v1/tracks/${encodeURIComponent(trackId)}`));
    if (seq !== loadSeq) return;
    source = next;
    gainDb.value = next.gainDb;
    a.volume = effectiveVolume();
    await attach(next, () => startAt / 1000, seq);
    if (seq !== loadSeq) return;
    loading = false;
    if (opts.autoplay) await playElement();
  } catch (err) {
    if (seq !== loadSeq) return;
    loading = false;
    fail(err);
  }
}

/** Points the element at the stream; `startSec` is read once the player is ready (a seek may move it). */
async function attach(s: Source, startSec: () => number, seq: number): Promise<void> {
  const a = element();
  if (useNativeHls(a)) {
    a.src = s.url;
    a.addEventListener("loadedmetadata", () => startSec() > 0 && (a.currentTime = startSec()), { once: true });
    a.load();
    return;
  }
  const Hls = await loadHls();
  if (seq !== loadSeq) return;
  if (!Hls.isSupported()) {
    if (a.canPlayType("application/vnd.apple.mpegurl")) {
      a.src = s.url;
      return;
    }
    throw new Error("This browser cannot play streams (no Media Source Extensions).");
  }
  const h = new Hls({ startPosition: startSec() > 0 ? startSec() : -1, maxBufferLength: 30, backBufferLength: 60 });
  hls = h;
  h.on(Hls.Events.ERROR, (_event, data) => void hlsError(h, data));
  h.loadSource(s.url);
  h.attachMedia(a);
}

function teardown(): void {
  hls?.destroy();
  hls = null;
  source = null;
  isPlaying.value = false;
  if (el && el.getAttribute("src")) {
    el.removeAttribute("src");
    el.load();
  }
}

/** Stop and unload (the queue emptied, or signed out). */
export function unload(): void {
  loadSeq++;
  loading = false;
  endSession();
  teardown();
  loadedTrackId.value = null;
  gainDb.value = null;
  position.value = 0;
  duration.value = 0;
  buffering.value = false;
}

function fail(err: unknown): void {
  buffering.value = false;
  isPlaying.value = false;
  markPending = false;
  playerError.value =
    err instanceof ApiError && err.status === 404
      ? "This track is no longer available."
      : err instanceof DOMException && err.name === "NotAllowedError"
        ? "Your browser blocked playback: press play to start."
        : errorMessage(err);
}

// ---------------------------------------------------------------------------------------------
// Transport

/** Play what is loaded (renewing its URL first when it is about to expire). */
export async function playElement(): Promise<void> {
  const a = element();
  if (!source) return;
  markPending = true;
  if (!fresh(source)) await renew();
  buffering.value = true;
  try {
    await a.play();
  } catch (err) {
    // A newer load or a pause interrupted it: not an error.
    if (err instanceof DOMException && err.name === "AbortError") return;
    fail(err);
  }
}

export function pauseElement(): void {
  el?.pause();
}

/** Seek; during a load, where the track will start. */
export function seekElement(ms: number): void {
  position.value = Math.max(0, Math.round(ms));
  startAt = Math.max(0, ms);
  if (el && source && !loading) el.currentTime = startAt / 1000;
}

export const hasSource = () => source !== null;
/** A load is under way (its track is `loadedTrackId`). */
export const isLoading = () => loading;
export const elementPaused = () => !el || el.paused;
export const elementEnded = () => !!el && el.ended;

// ---------------------------------------------------------------------------------------------
// Errors and expired URLs

async function hlsError(h: Hls, data: ErrorData): Promise<void> {
  if (h !== hls || !HlsCtor) return;
  if (data.response?.code === 403) {
    await renew();
    return;
  }
  if (!data.fatal) return;
  const { ErrorTypes } = HlsCtor;
  if (data.type === ErrorTypes.NETWORK_ERROR && recovering < 3) {
    recovering++;
    setTimeout(() => h === hls && h.startLoad(), 1000 * recovering);
    return;
  }
  if (data.type === ErrorTypes.MEDIA_ERROR && recovering < 2) {
    recovering++;
    h.recoverMediaError();
    return;
  }
  fail(new Error(data.type === ErrorTypes.NETWORK_ERROR ? "The stream cannot be reached. Check your connection and press play again." : "This track could not be played."));
  teardownKeepingTrack();
}

async function nativeError(): Promise<void> {
  // Native HLS does not tell the status: an expired signature is the likely cause worth a retry.
  if (Date.now() - lastRefresh > 30_000) await renew();
  else fail(new Error("This track could not be played."));
}

/** The element was torn down after an error; a play press loads the track again. */
function teardownKeepingTrack(): void {
  hls?.destroy();
  hls = null;
  source = null;
}

/** A new URL for the loaded track (GET /v1/tracks/:id/stream), attached where playback was. */
async function renew(): Promise<void> {
  const s = source;
  if (!s) return;
  if (Date.now() - lastRefresh < 10_000) {
    fail(new Error("This track cannot be streamed right now."));
    teardownKeepingTrack();
    return;
  }
  lastRefresh = Date.now();
  const seq = loadSeq;
  const a = element();
  const wasPlaying = !a.paused || markPending;
  const at = a.currentTime;
  try {
    const stream = await api<{ master_url: string; expires_at: string | null }>(`/v1/tracks/${encodeURIComponent(s.trackId)}/stream`);
    if (seq !== loadSeq || source !== s) return;
    const next: Source = { ...s, url: stream.master_url, expiresAt: stream.expires_at ? Date.parse(stream.expires_at) : null };
    hls?.destroy();
    hls = null;
    source = next;
    await attach(next, () => at, seq);
    if (wasPlaying && seq === loadSeq) await a.play().catch(() => undefined);
  } catch (err) {
    if (seq !== loadSeq) return;
    fail(err);
    teardownKeepingTrack();
  }
}

// ---------------------------------------------------------------------------------------------
// Plays

let session: { trackId: string; listenedMs: number; since: number | null } | null = null;

/** Adds the time played since the last `playing` to the session. */
function tally(): void {
  if (session?.since != null) {
    session.listenedMs += performance.now() - session.since;
    session.since = null;
  }
}

/** Reports the session's play (when at least a second was listened) and starts a new count. */
function endSession(leaving = false): void {
  if (!session) return;
  const wasPlaying = session.since !== null;
  tally();
  const seconds = Math.min(86_400, Math.floor(session.listenedMs / 1000));
  const trackId = session.trackId;
  session = { trackId, listenedMs: 0, since: leaving && wasPlaying ? performance.now() : null };
  if (seconds < 1) return;
  const path = `/v1/tracks/${encodeURIComponent(trackId)}/plays`;
  const body = { played_duration: seconds, device_type: "web" as const };
  if (leaving) {
    // The page is going away: a keepalive request outlives it (api() would not).
    const token = getTokens()?.accessToken;
    void fetch(path, {
      method: "POST",
      keepalive: true,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    }).catch(() => undefined);
    return;
  }
  void api(path, { method: "POST", body }).catch(() => undefined);
}
