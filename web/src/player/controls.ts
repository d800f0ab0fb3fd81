/**
 * What other screens use to drive the player (the track page, playlists, search, the feed):
 *
 *   import { playTrack, enqueue, togglePlay, seekTo, nowPlaying, isPlaying, position } from "../../player/controls";
 *
 *   playTrack(track)          // play now: queued right after the current item and started
 *   enqueue(track)            // add to the end of the queue (`{ next: true }`: play next)
 *   enqueue([t1, t2, t3])     // several at once, in order
 *   togglePlay()              // pause / resume what is playing
 *   seekTo(ms)                // seek in the current track (e.g. a click on the waveform or a timed comment)
 *   isCurrent(track.id)       // is this track the one loaded in the player?
 *
 * Reactive state (Preact signals; read `.value` in a component and it re-renders on change):
 * `nowPlaying` (the current queue item or null), `isPlaying`, `position` (ms into the current
 * track, updated a few times a second), `duration` (ms), `playerError` (a message or null).
 *
 * Signed in, the queue is the account's live PlaybackQueue, shared with its other tabs and devices;
 * signed out, a local queue in this tab (public tracks only: the API needs no token to stream them).
 * All functions resolve once the change is applied and reject with an ApiError (problem+json) when
 * the API refused it (e.g. a track that is not ready yet: 422).
 */
import type { TrackSummary } from "../types/api";
import * as player from "./engine";

/** Any track shape the API answers (Track, TrackSummary, a playlist's or a feed's track) will do. */
export type PlayableTrack = Pick<TrackSummary, "id" | "title" | "artist" | "duration_ms" | "cover_url"> & {
  creator: { username: string };
  /** With them (a Track or TrackSummary has them), playback starts without fetching the track first. */
  stream?: TrackSummary["stream"];
  loudness?: Pick<TrackSummary["loudness"], "replay_gain_db">;
};

/** Play this track now: it is queued right after the current item and starts playing. */
export function playTrack(track: PlayableTrack): Promise<void> {
  return player.playNow(track);
}

/** Add a track (or several, in order) to the queue: at the end, or right after the current item with `{ next: true }`. */
export function enqueue(tracks: PlayableTrack | PlayableTrack[], options: { next?: boolean } = {}): Promise<void> {
  return player.enqueue(Array.isArray(tracks) ? tracks : [tracks], options);
}

/**
 * Start fetching the player's code (hls.js) ahead of a likely play: call it on a play button's
 * pointerenter/focus. Nothing is fetched twice.
 */
export function warmUp(): void {
  player.preload();
}

/** Pause or resume the current track in this tab (started here when another tab or device plays it). */
export function togglePlay(): Promise<void> {
  return player.togglePlay();
}

/** Seek in the current track, in milliseconds from its start. */
export function seekTo(positionMs: number): void {
  player.seek(positionMs);
}

/** Whether this track is the player's current one (playing or paused). */
export function isCurrent(trackId: string): boolean {
  return player.nowPlaying.value?.track_id === trackId;
}

export { nowPlaying, isPlaying, position, duration, playerError } from "./engine";
