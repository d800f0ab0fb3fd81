import { useState } from "preact/hooks";
import { del } from "../../api";
import { Button, FormError, Time, TrackLink, UserLink, formatDuration } from "../../ui";
import { Empty, PagedList } from "./PagedList";
import { TrackActions } from "./TrackActions";
import type { History } from "./types";
import { usePaged } from "./usePaged";

type Play = History["items"][number];

/**
 * The History tab (GET /v1/me/history, newest first): play again, forget one play, or clear it all
 * (DELETE /v1/me/history really deletes; after a confirmation).
 */
export function ListeningHistory() {
  const list = usePaged<Play>("/v1/me/history", { limit: 50 });
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [clearing, setClearing] = useState(false);

  async function forget(play: Play) {
    setError(null);
    try {
      await del(`/v1/me/history/${play.id}`);
      list.setItems((items) => items.filter((i) => i.id !== play.id));
      setStatus(`That play of “${play.track.title}” is deleted.`);
    } catch (err) {
      setError(err);
    }
  }

  async function clear() {
    setClearing(true);
    setError(null);
    try {
      const { deleted } = await del<{ deleted: number }>("/v1/me/history");
      list.setItems(() => []);
      setConfirming(false);
      setStatus(`Your listening history is deleted (${deleted} ${deleted === 1 ? "play" : "plays"}).`);
    } catch (err) {
      setError(err);
    } finally {
      setClearing(false);
    }
  }

  return (
    <>
      <p class={status ? "notice" : "visually-hidden"} role="status" aria-live="polite">
        {status}
      </p>
      <FormError error={error} />
      {list.items.length > 0 && (
        <div class="toolbar">
          {confirming ? (
            <div class="confirm card" role="group" aria-label="Clear history">
              <p>Delete your whole listening history? It is really deleted, not hidden.</p>
              <div class="form-actions">
                <Button variant="danger" busy={clearing} onClick={() => void clear()} autoFocus>
                  Delete my history
                </Button>
                <Button onClick={() => setConfirming(false)} disabled={clearing}>
                  Keep it
                </Button>
              </div>
            </div>
          ) : (
            <Button onClick={() => setConfirming(true)}>Clear history…</Button>
          )}
        </div>
      )}
      <PagedList
        list={list}
        label="Listening history"
        loadingLabel="Loading your listening history…"
        empty={
          <Empty title="Nothing here yet">
            <p>What you listen to while signed in shows up here. Only you can see it.</p>
          </Empty>
        }
      >
        {(play) => (
          <li key={play.id} class="library-item">
            <TrackActions track={play.track} ready={play.track.status === "ready"} />
            <div class="library-item-main">
              <TrackLink track={play.track} />
              <span class="muted small">
                {play.track.artist ?? <UserLink user={play.track.creator} />} · {formatDuration(play.track.duration_ms)} · played <Time value={play.played_at} /> ·{" "}
                {play.completion_percentage}% heard
              </span>
            </div>
            <Button variant="ghost" onClick={() => void forget(play)}>
              Forget<span class="visually-hidden"> this play of {play.track.title}</span>
            </Button>
          </li>
        )}
      </PagedList>
    </>
  );
}
