import { useState } from "preact/hooks";
import "./kit.css";
import { errorMessage } from "../../api";
import { enqueue, isCurrent, isPlaying, playTrack, togglePlay, type PlayableTrack } from "../../player/controls";

/**
 * Play and add-to-queue buttons for one track (any screen that lists tracks). A track that is not
 * ready yet cannot be played: the buttons say so instead of failing. Errors (the API refused) are
 * announced next to the buttons.
 */
export function TrackActions({ track, ready = true }: { track: PlayableTrack; ready?: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [queued, setQueued] = useState(false);
  const current = isCurrent(track.id);
  const playing = current && isPlaying.value;

  async function run(action: () => Promise<void>) {
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <span class="track-actions">
      <button
        type="button"
        class="icon-btn"
        disabled={!ready}
        aria-label={!ready ? `${track.title} is still processing` : playing ? `Pause ${track.title}` : `Play ${track.title}`}
        aria-pressed={current ? playing : undefined}
        onClick={() => void run(() => (current ? togglePlay() : playTrack(track)))}
      >
        <span aria-hidden="true">{playing ? "❚❚" : "▶"}</span>
      </button>
      <button
        type="button"
        class="icon-btn"
        disabled={!ready}
        aria-label={`Add ${track.title} to the queue`}
        onClick={() =>
          void run(async () => {
            await enqueue(track);
            setQueued(true);
            setTimeout(() => setQueued(false), 2000);
          })
        }
      >
        <span aria-hidden="true">{queued ? "✓" : "+"}</span>
      </button>
      <span class="visually-hidden" aria-live="polite">
        {queued ? `${track.title} added to the queue` : ""}
      </span>
      {error && (
        <span class="inline-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
