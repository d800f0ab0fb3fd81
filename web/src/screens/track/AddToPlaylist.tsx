import { useEffect, useId, useRef, useState } from "preact/hooks";
import { ApiError, errorMessage, get, post } from "../../api";
import { paths } from "../../paths";
import { Button, Spinner } from "../../ui";
import type { Page, Playlist } from "./types";

/** The roles that may add tracks (edit/admin already count as view while a playlist is not collaborative). */
const CAN_ADD = new Set(["owner", "edit", "admin"]);

/**
 * "Add to playlist": a small picker of the playlists I may edit (GET /v1/me/playlists), one
 * button each (POST /v1/playlists/:id/tracks). Escape or a click elsewhere closes it.
 */
export function AddToPlaylist({ trackId, onAdded }: { trackId: string; onAdded: (message: string) => void }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [playlists, setPlaylists] = useState<Playlist[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const [added, setAdded] = useState<Set<string>>(new Set());
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open || playlists) return;
    const controller = new AbortController();
    setLoadError(null);
    get<Page<Playlist>>("/v1/me/playlists", { limit: 100 }, { signal: controller.signal })
      .then((page) => setPlaylists(page.items.filter((p) => p.my_role !== null && CAN_ADD.has(p.my_role))))
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setLoadError(err);
      });
    return () => controller.abort();
  }, [open, playlists]);

  useEffect(() => {
    if (!open) return;
    const away = (e: Event) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    // Escape closes it wherever the focus is (a button being busy is disabled, and loses it).
    const escape = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      const inside = root.current?.contains(document.activeElement) || document.activeElement === document.body;
      if (!inside) return;
      setOpen(false);
      toggle.current?.focus();
    };
    document.addEventListener("pointerdown", away);
    document.addEventListener("keydown", escape);
    return () => {
      document.removeEventListener("pointerdown", away);
      document.removeEventListener("keydown", escape);
    };
  }, [open]);

  async function add(playlist: Playlist) {
    setBusyId(playlist.id);
    setResult(null);
    try {
      await post(`/v1/playlists/${playlist.id}/tracks`, { track_id: trackId });
      setAdded((s) => new Set(s).add(playlist.id));
      const message = `Added to ${playlist.name}.`;
      setResult({ ok: true, message });
      onAdded(message);
    } catch (err) {
      // 409: it is there already (or the playlist is full): the API says which.
      if (err instanceof ApiError && err.status === 409) setAdded((s) => new Set(s).add(playlist.id));
      setResult({ ok: false, message: errorMessage(err) });
    } finally {
      setBusyId(null);
    }
  }

  return (
    <div class="playlist-picker" ref={root}>
      <button
        ref={toggle}
        type="button"
        class="btn btn-secondary"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        onClick={() => {
          setResult(null);
          setOpen((o) => !o);
        }}
      >
        Add to playlist
      </button>
      {open && (
        <div class="playlist-picker-panel card" id={`${id}-panel`} role="group" aria-label="Add to one of my playlists">
          {loadError ? (
            <div role="alert" class="form-error">
              {errorMessage(loadError)} <Button onClick={() => setPlaylists(null)}>Try again</Button>
            </div>
          ) : !playlists ? (
            <Spinner label="Loading your playlists…" />
          ) : playlists.length === 0 ? (
            <p class="muted">
              You have no playlist yet. <a href={paths.library}>Create one in your library</a>.
            </p>
          ) : (
            <ul class="playlist-picker-list">
              {playlists.map((p) => (
                <li key={p.id}>
                  <Button variant="ghost" busy={busyId === p.id} disabled={busyId !== null} onClick={() => void add(p)} aria-label={`Add to ${p.name}`}>
                    <span class="playlist-picker-name">{p.name}</span>
                    <span class="muted">
                      {added.has(p.id) ? "✓ in it" : `${p.track_count} ${p.track_count === 1 ? "track" : "tracks"}`}
                    </span>
                  </Button>
                </li>
              ))}
            </ul>
          )}
          <p class={result?.ok === false ? "field-error" : "muted"} role="status" aria-live="polite">
            {result?.message ?? ""}
          </p>
        </div>
      )}
    </div>
  );
}
