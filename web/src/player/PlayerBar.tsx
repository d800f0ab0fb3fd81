/**
 * The persistent player at the bottom of every screen: the current track (linking to its page),
 * previous / play-pause / next, the seek slider with elapsed and total time, volume and mute, the
 * loudness-normalisation switch and the queue panel's toggle. The panel itself is a lazy chunk.
 */
import type { ComponentType } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { paths } from "../paths";
import { formatDuration } from "../ui/time";
import {
  active,
  buffering,
  duration,
  isPlaying,
  link,
  muted,
  next,
  nowPlaying,
  playerError,
  playingElsewhere,
  position,
  previous,
  queue,
  seek,
  startPlayer,
  togglePlay,
  volume,
} from "./engine";
import { Icon } from "./icons";
import "./player.css";

startPlayer();

/** "1:23 of 3:45". */
const spoken = (ms: number, total: number) => `${formatDuration(ms)} of ${formatDuration(total)}`;

export function PlayerBar() {
  const [Panel, setPanel] = useState<ComponentType<{ onClose: () => void }> | null>(null);
  const [open, setOpen] = useState(false);
  const [panelError, setPanelError] = useState(false);
  const toggleRef = useRef<HTMLButtonElement>(null);

  const item = nowPlaying.value;
  const q = queue.value;
  const count = q?.items.length ?? 0;
  const playing = isPlaying.value;
  const elsewhere = playingElsewhere.value;

  const toggleQueue = () => {
    if (open) {
      setOpen(false);
      return;
    }
    setOpen(true);
    if (!Panel)
      import("./QueuePanel").then(
        (m) => setPanel(() => m.QueuePanel),
        () => setPanelError(true),
      );
  };
  const closeQueue = () => {
    setOpen(false);
    toggleRef.current?.focus();
  };

  return (
    <section id="player" class="player-bar" aria-label="Player">
      {open && (
        <div id="queue-panel" class="queue-panel-host">
          {Panel ? (
            <Panel onClose={closeQueue} />
          ) : panelError ? (
            <p role="alert" class="form-error">
              The queue could not be loaded. <button class="btn btn-ghost" onClick={() => location.reload()}>Reload</button>
            </p>
          ) : (
            <p class="player-muted" role="status">
              Loading your queue…
            </p>
          )}
        </div>
      )}
      <div class="player">
        <NowPlaying />
        <div class="player-transport" role="group" aria-label="Playback">
          <button type="button" class="player-btn" onClick={() => void previous()} disabled={!item} aria-label="Previous track">
            <Icon name="previous" />
          </button>
          <button
            type="button"
            class="player-btn player-play"
            onClick={() => void togglePlay({ remote: true })}
            disabled={!item && count === 0}
            aria-label={playing || elsewhere ? "Pause" : "Play"}
            aria-busy={buffering.value && active.value ? true : undefined}
            data-state={playing ? "playing" : buffering.value && active.value ? "loading" : "paused"}
          >
            <Icon name={playing || elsewhere ? "pause" : "play"} />
          </button>
          <button type="button" class="player-btn" onClick={() => void next()} disabled={!item} aria-label="Next track">
            <Icon name="next" />
          </button>
        </div>
        <SeekBar />
        <div class="player-extra">
          <Volume />
          <button
            ref={toggleRef}
            type="button"
            class="player-btn player-queue-toggle"
            aria-expanded={open}
            aria-controls="queue-panel"
            onClick={toggleQueue}
            aria-label={`Queue, ${count} ${count === 1 ? "track" : "tracks"}`}
          >
            <Icon name="queue" />
            {count > 0 && <span class="player-badge" aria-hidden="true">{count > 99 ? "99+" : count}</span>}
          </button>
        </div>
      </div>
      <Announcer />
    </section>
  );
}

function NowPlaying() {
  const item = nowPlaying.value;
  const elsewhere = playingElsewhere.value;
  const state = link.value;
  if (!item) {
    return (
      <div class="player-now">
        <p class="player-muted">{state === "connecting" ? "Loading your queue…" : "Nothing playing. Pick a track to listen."}</p>
      </div>
    );
  }
  return (
    <div class="player-now">
      {item.cover_url ? <img class="player-cover" src={item.cover_url} alt="" width={44} height={44} /> : <span class="player-cover player-cover-empty" aria-hidden="true" />}
      <div class="player-meta">
        <a class="player-title" href={paths.track(item.track_id)}>
          {item.title}
        </a>
        <span class="player-artist">
          <a href={paths.user(item.creator_username)}>{item.artist ?? `@${item.creator_username}`}</a>
        </span>
        {(elsewhere || state === "reconnecting") && (
          <span class="player-elsewhere">{state === "reconnecting" ? "Reconnecting…" : "Playing on another tab or device"}</span>
        )}
      </div>
    </div>
  );
}

function SeekBar() {
  const [scrub, setScrub] = useState<number | null>(null);
  const item = nowPlaying.value;
  const total = duration.value;
  const at = Math.min(scrub ?? position.value, total || Infinity);
  const disabled = !item || !total;
  const commit = (ms: number) => {
    setScrub(null);
    seek(ms);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    // Arrows move 5 s, Page Up/Down 30 s (the native step of 1 s is too fine for a song).
    const steps: Record<string, number> = { ArrowLeft: -5000, ArrowDown: -5000, ArrowRight: 5000, ArrowUp: 5000, PageDown: -30000, PageUp: 30000 };
    const step = steps[e.key];
    if (step === undefined || disabled) return;
    e.preventDefault();
    commit(Math.max(0, Math.min(total, at + step)));
  };
  return (
    <div class="player-seek">
      <span class="player-time" aria-hidden="true">
        {formatDuration(at)}
      </span>
      <input
        type="range"
        class="player-range"
        min={0}
        max={Math.max(1, Math.round(total / 1000))}
        step={1}
        value={Math.round(at / 1000)}
        disabled={disabled}
        aria-label="Seek"
        aria-valuetext={spoken(at, total)}
        style={{ "--fill": `${total ? (at / total) * 100 : 0}%` }}
        onInput={(e) => setScrub(Number(e.currentTarget.value) * 1000)}
        onChange={(e) => commit(Number(e.currentTarget.value) * 1000)}
        onKeyDown={onKeyDown}
      />
      <span class="player-time" aria-hidden="true">
        {formatDuration(total)}
      </span>
    </div>
  );
}

function Volume() {
  const v = volume.value;
  const off = muted.value || v === 0;
  return (
    <div class="player-volume">
      <button type="button" class="player-btn" aria-pressed={muted.value} aria-label="Mute" onClick={() => (muted.value = !muted.value)}>
        <Icon name={off ? "muted" : "volume"} />
      </button>
      <input
        type="range"
        class="player-range player-volume-range"
        min={0}
        max={100}
        step={5}
        value={Math.round(v * 100)}
        aria-label="Volume"
        aria-valuetext={muted.value ? `Muted (volume ${Math.round(v * 100)}%)` : `${Math.round(v * 100)}%`}
        style={{ "--fill": `${muted.value ? 0 : v * 100}%` }}
        onInput={(e) => {
          volume.value = Number(e.currentTarget.value) / 100;
          if (muted.value && volume.value > 0) muted.value = false;
        }}
      />
    </div>
  );
}

/** What changed by itself, for screen readers: the track, play/pause, errors. */
function Announcer() {
  const item = nowPlaying.value;
  const playing = isPlaying.value;
  const error = playerError.value;
  const [message, setMessage] = useState("");
  const last = useRef({ id: "", playing: false });
  useEffect(() => {
    const id = item?.item_id ?? "";
    if (id && id !== last.current.id && playing) setMessage(`Playing ${item!.title}${item!.artist ? ` by ${item!.artist}` : ""}`);
    else if (playing !== last.current.playing) setMessage(playing ? "Playing" : "Paused");
    last.current = { id, playing };
  }, [item, playing]);
  return (
    <>
      <p class="visually-hidden" aria-live="polite">
        {message}
      </p>
      {error && (
        <p class="player-error" role="alert">
          {error}
          <button type="button" class="player-btn" aria-label="Dismiss" onClick={() => (playerError.value = null)}>
            <Icon name="close" />
          </button>
        </p>
      )}
    </>
  );
}
