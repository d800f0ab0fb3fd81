/**
 * The queue panel (a lazy chunk, opened from the player bar): the live queue in play order — play an
 * item, move it up or down, remove it, clear the queue — plus repeat, shuffle and the loudness
 * normalisation switch. Every change goes to the account's PlaybackQueue and shows on its other
 * tabs and devices at once; changes made there show here the same way.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { errorMessage } from "../api";
import { paths } from "../paths";
import { formatDuration } from "../ui/time";
import { clearQueue, link, moveItem, normalise, nowPlaying, playItem, queue, removeItem, setRepeat, setShuffle } from "./engine";
import { Icon } from "./icons";
import type { QueueItem, RepeatMode } from "./types";
import "./queue-panel.css";

const REPEAT_LABELS: Record<RepeatMode, string> = { off: "Off", queue: "Whole queue", track: "This track" };

export function QueuePanel({ onClose }: { onClose: () => void }) {
  const q = queue.value;
  const state = link.value;
  const current = nowPlaying.value;
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirmClear, setConfirmClear] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
    // Escape closes it while focus is inside (elsewhere, Escape belongs to what has focus).
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && panelRef.current?.contains(document.activeElement) && onClose();
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  /** Runs one change; `refocus` names the control to focus afterwards (the list moved under it). */
  const run = async (key: string, change: () => Promise<void>, refocus?: string) => {
    setBusy(key);
    setError(null);
    try {
      await change();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
      if (refocus) requestAnimationFrame(() => listRef.current?.querySelector<HTMLElement>(refocus)?.focus());
    }
  };

  const items = q?.items ?? [];
  const signedOut = state === "local";

  return (
    <div class="queue-panel" role="region" aria-labelledby="queue-heading" ref={panelRef}>
      <div class="queue-head">
        <h2 id="queue-heading" ref={headingRef} tabIndex={-1}>
          Queue
        </h2>
        <span class="queue-status" role="status">
          {state === "live" ? "Synced with your devices" : state === "reconnecting" ? "Reconnecting…" : state === "connecting" ? "Connecting…" : state === "closed" ? "Not connected" : "This tab only (sign in to sync)"}
        </span>
        <button type="button" class="player-btn" aria-label="Close the queue" onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>

      <div class="queue-settings">
        <label>
          Repeat{" "}
          <select
            value={q?.repeat ?? "off"}
            disabled={!q || busy === "repeat"}
            onChange={(e) => void run("repeat", () => setRepeat(e.currentTarget.value as RepeatMode))}
          >
            {(Object.keys(REPEAT_LABELS) as RepeatMode[]).map((m) => (
              <option key={m} value={m}>
                {REPEAT_LABELS[m]}
              </option>
            ))}
          </select>
        </label>
        {!signedOut && (
          <label>
            <input type="checkbox" checked={q?.shuffle ?? false} disabled={!q || busy === "shuffle"} onChange={(e) => void run("shuffle", () => setShuffle(e.currentTarget.checked))} /> Shuffle
          </label>
        )}
        <label title="Plays every track at the same perceived loudness (from its measured ReplayGain); loud tracks are turned down, quiet ones are left as they are.">
          <input type="checkbox" checked={normalise.value} onChange={(e) => (normalise.value = e.currentTarget.checked)} /> Even out loudness
        </label>
      </div>

      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}

      {!q ? (
        <p class="player-muted" role="status">
          Loading your queue…
        </p>
      ) : items.length === 0 ? (
        <p class="player-muted">Your queue is empty. Use “Add to queue” on a track to line it up here.</p>
      ) : (
        <>
          <ol class="queue-list" ref={listRef} aria-label={`${items.length} ${items.length === 1 ? "track" : "tracks"}`}>
            {items.map((item, index) => (
              <Row
                key={item.item_id}
                item={item}
                index={index}
                count={items.length}
                isCurrent={item.item_id === current?.item_id}
                busy={busy === item.item_id}
                onPlay={() => void run(item.item_id, () => playItem(item.item_id))}
                onMove={(to, which) => void run(item.item_id, () => moveItem(item.item_id, to), `[data-item="${item.item_id}"] [data-action="${to === 0 ? "down" : to === items.length - 1 ? "up" : which}"]`)}
                onRemove={() => {
                  const neighbour = items[index + 1] ?? items[index - 1];
                  void run(item.item_id, () => removeItem(item.item_id), neighbour ? `[data-item="${neighbour.item_id}"] [data-action="remove"]` : undefined);
                }}
              />
            ))}
          </ol>
          <div class="queue-foot">
            {confirmClear ? (
              <>
                <span>Remove all {items.length} tracks?</span>
                <button
                  type="button"
                  class="btn btn-danger"
                  disabled={busy === "clear"}
                  onClick={() =>
                    void run("clear", async () => {
                      await clearQueue();
                      setConfirmClear(false);
                    })
                  }
                >
                  Clear queue
                </button>
                <button type="button" class="btn btn-ghost" onClick={() => setConfirmClear(false)}>
                  Cancel
                </button>
              </>
            ) : (
              <button type="button" class="btn btn-ghost" onClick={() => setConfirmClear(true)}>
                Clear…
              </button>
            )}
          </div>
        </>
      )}
    </div>
  );
}

function Row(props: {
  item: QueueItem;
  index: number;
  count: number;
  isCurrent: boolean;
  busy: boolean;
  onPlay: () => void;
  onMove: (to: number, which: "up" | "down") => void;
  onRemove: () => void;
}) {
  const { item, index, count, isCurrent, busy } = props;
  return (
    <li class={`queue-item${isCurrent ? " is-current" : ""}${item.available ? "" : " is-unavailable"}`} data-item={item.item_id} aria-current={isCurrent ? "true" : undefined}>
      <button type="button" class="player-btn" data-action="play" disabled={busy || !item.available} onClick={props.onPlay} aria-label={`Play ${item.title}`}>
        <Icon name="play" />
      </button>
      <div class="queue-meta">
        <a href={paths.track(item.track_id)} class="queue-title">
          {item.title}
        </a>
        <span class="queue-artist">
          {item.artist ?? `@${item.creator_username}`}
          {isCurrent && <span class="queue-tag"> · Now playing</span>}
          {!item.available && <span class="queue-tag"> · No longer available</span>}
        </span>
      </div>
      <span class="queue-duration">{formatDuration(item.duration_ms)}</span>
      <button type="button" class="player-btn" data-action="up" disabled={busy || index === 0} onClick={() => props.onMove(index - 1, "up")} aria-label={`Move ${item.title} up`}>
        <Icon name="up" />
      </button>
      <button type="button" class="player-btn" data-action="down" disabled={busy || index === count - 1} onClick={() => props.onMove(index + 1, "down")} aria-label={`Move ${item.title} down`}>
        <Icon name="down" />
      </button>
      <button type="button" class="player-btn" data-action="remove" disabled={busy} onClick={props.onRemove} aria-label={`Remove ${item.title} from the queue`}>
        <Icon name="remove" />
      </button>
    </li>
  );
}
