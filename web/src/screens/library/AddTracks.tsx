import { useEffect, useId, useState } from "preact/hooks";
import { errorMessage, get, post } from "../../api";
import { Button, FormError, Spinner, formatDuration } from "../../ui";
import type { SearchResults } from "../search/types";

/**
 * Find tracks and add them to the playlist (GET /v1/search?type=track, then POST
 * /v1/playlists/:id/tracks): appended at the end. Tracks already in it are marked as such.
 */
export function AddTracks({ playlistId, inPlaylist, onAdded }: { playlistId: string; inPlaylist: Set<string>; onAdded: (title: string) => void }) {
  const id = useId();
  const [q, setQ] = useState("");
  const [results, setResults] = useState<SearchResults["items"] | null>(null);
  const [searching, setSearching] = useState(false);
  const [searchError, setSearchError] = useState<unknown>(null);
  const [adding, setAdding] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const words = q.trim();
    if (!words) {
      setResults(null);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setSearching(true);
      get<SearchResults>("/v1/search", { q: words, type: "track", limit: 8 }, { signal: controller.signal })
        .then((r) => {
          setResults(r.items);
          setSearchError(null);
        })
        .catch((err: unknown) => {
          if (!controller.signal.aborted) setSearchError(err);
        })
        .finally(() => {
          if (!controller.signal.aborted) setSearching(false);
        });
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [q]);

  async function add(trackId: string, title: string) {
    setAdding(trackId);
    setError(null);
    try {
      await post(`/v1/playlists/${playlistId}/tracks`, { track_id: trackId });
      onAdded(title);
    } catch (err) {
      setError(err);
    } finally {
      setAdding(null);
    }
  }

  return (
    <section class="add-tracks" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} class="section-title">
        Add tracks
      </h2>
      <div class="field">
        <label for={`${id}-q`}>Find a track by title, artist or genre</label>
        <input id={`${id}-q`} type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} autoComplete="off" maxLength={100} />
      </div>
      <FormError error={error} />
      <div aria-live="polite" aria-busy={searching}>
        {searching && <Spinner size="small" label="Searching…" />}
        {searchError ? (
          <p class="form-error">{errorMessage(searchError)}</p>
        ) : results && results.length === 0 ? (
          <p class="muted">No track matches “{q.trim()}”.</p>
        ) : results ? (
          <ul class="result-list compact">
            {results.map((r) => {
              const present = inPlaylist.has(r.id);
              const duration = typeof r.metadata.duration === "number" ? formatDuration(r.metadata.duration, "s") : null;
              return (
                <li key={r.id} class="result-row">
                  <span class="track-main">
                    <span>{r.title}</span>
                    <span class="muted small">{[typeof r.metadata.artist === "string" ? r.metadata.artist : `@${r.owner.username}`, duration].filter(Boolean).join(" · ")}</span>
                  </span>
                  {present ? (
                    <span class="muted small">In the playlist</span>
                  ) : (
                    <Button busy={adding === r.id} onClick={() => void add(r.id, r.title)}>
                      Add<span class="visually-hidden"> {r.title}</span>
                    </Button>
                  )}
                </li>
              );
            })}
          </ul>
        ) : null}
      </div>
    </section>
  );
}
