import { useLocation } from "preact-iso";
import { useEffect, useState } from "preact/hooks";
import { ApiError, del, errorMessage, get, put } from "../../api";
import { paths } from "../../paths";
import { enqueue, playTrack } from "../../player/controls";
import { signedIn } from "../../session";
import { Button, Empty, FormError, Loading, UserLink, formatDuration, usePageTitle } from "../../ui";
import { AddTracks } from "./AddTracks";
import { Collaborators } from "./Collaborators";
import { PlaylistDetailsForm } from "./PlaylistDetailsForm";
import { PlaylistTracks } from "./PlaylistTracks";
import { VISIBILITY_LABELS, type PlaylistItem, type PlaylistWithTracks } from "./types";
import "./kit.css";
import "./library.css";

/** Tracks per request (the API's maximum is 500). */
const PAGE = 200;

/**
 * `/playlists/:id`: the playlist and its tracks in order (GET /v1/playlists/:id, pages of 200);
 * play all / add all to the queue; for editors, reorder (drag, buttons, Alt+arrows), remove and add
 * tracks; for the owner and admins, edit its details and manage collaborators; for the owner, delete.
 */
export default function PlaylistPage({ id }: { id: string }) {
  const location = useLocation();
  const [playlist, setPlaylist] = useState<PlaylistWithTracks | null>(null);
  const [items, setItems] = useState<PlaylistItem[]>([]);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [nonce, setNonce] = useState(0);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [loadedUntil, setLoadedUntil] = useState(0);
  const [message, setMessage] = useState("");
  const [editing, setEditing] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState<"delete" | "follow" | "play" | "queue" | null>(null);
  usePageTitle(playlist?.name ?? "Playlist");

  // The first page, again after an edit (`resync`) — keeping what is on screen meanwhile.
  useEffect(() => {
    const controller = new AbortController();
    const limit = Math.max(PAGE, loadedUntil);
    get<PlaylistWithTracks>(`/v1/playlists/${encodeURIComponent(id)}`, { limit: Math.min(limit, 500) }, { signal: controller.signal })
      .then((p) => {
        setPlaylist(p);
        setItems(p.tracks.items);
        setLoadedUntil(p.tracks.offset + p.tracks.limit);
        setLoadError(null);
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setLoadError(err);
      });
    return () => controller.abort();
    // loadedUntil is read, not followed: a resync reloads what was loaded.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, nonce]);

  const resync = () => setNonce((n) => n + 1);
  const announce = (text: string) => setMessage(text);

  if (!playlist) {
    if (loadError) {
      const missing = loadError instanceof ApiError && (loadError.status === 404 || loadError.status === 422);
      return (
        <section aria-labelledby="playlist-title">
          <h1 id="playlist-title">{missing ? "Playlist not found" : "This playlist could not be loaded"}</h1>
          <p>{missing ? "It does not exist, was deleted, or is private." : errorMessage(loadError)}</p>
          {!missing && <Button onClick={resync}>Try again</Button>}
        </section>
      );
    }
    return <Loading label="Loading the playlist…" />;
  }

  const role = playlist.my_role;
  const canEdit = role === "owner" || role === "edit" || role === "admin";
  const canManage = role === "owner" || role === "admin";
  const isOwner = role === "owner";
  const playable = items.map((i) => i.track).filter((t) => t.status === "ready");
  const more = playlist.track_count > loadedUntil;

  async function run(kind: NonNullable<typeof busy>, action: () => Promise<void>) {
    setBusy(kind);
    setActionError(null);
    try {
      await action();
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(null);
    }
  }

  async function playAll() {
    const [first, ...rest] = playable;
    if (!first) return;
    await playTrack(first);
    // Right after the first one, in order.
    if (rest.length) await enqueue(rest, { next: true });
    announce(`Playing ${playlist!.name}: ${playable.length} ${playable.length === 1 ? "track" : "tracks"}.`);
  }

  async function queueAll() {
    await enqueue(playable);
    announce(`${playable.length} ${playable.length === 1 ? "track" : "tracks"} added to the queue.`);
  }

  async function toggleFollow() {
    const answer = await (playlist!.followed_by_me ? del : put)<{ following: boolean; follower_count: number }>(`/v1/playlists/${playlist!.id}/follow`);
    setPlaylist({ ...playlist!, followed_by_me: answer.following, follower_count: answer.follower_count });
    announce(answer.following ? "You follow this playlist." : "You no longer follow this playlist.");
  }

  async function remove() {
    await del(`/v1/playlists/${playlist!.id}`);
    location.route(`${paths.library}?deleted=${encodeURIComponent(playlist!.name)}`);
  }

  async function loadMore() {
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await get<PlaylistWithTracks>(`/v1/playlists/${playlist!.id}`, { offset: loadedUntil, limit: PAGE });
      setItems((current) => [...current, ...page.tracks.items.filter((i) => !current.some((c) => c.track.id === i.track.id))]);
      setLoadedUntil(page.tracks.offset + page.tracks.limit);
    } catch (err) {
      setMoreError(err);
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <section class="playlist-page" aria-labelledby="playlist-title">
      <header class="playlist-head">
        <div class="playlist-cover" aria-hidden="true">
          {playlist.cover_url ? <img src={playlist.cover_url} alt="" /> : <span>♫</span>}
        </div>
        <div class="playlist-meta">
          <p class="eyebrow">{playlist.is_collaborative ? "Collaborative playlist" : "Playlist"}</p>
          <h1 id="playlist-title">{playlist.name}</h1>
          <p class="muted">
            By <UserLink user={playlist.owner} /> · {playlist.track_count} {playlist.track_count === 1 ? "track" : "tracks"} ·{" "}
            {formatDuration(playlist.duration_seconds, "s")} · {playlist.follower_count} {playlist.follower_count === 1 ? "follower" : "followers"}
          </p>
          <p class="muted small">{VISIBILITY_LABELS[playlist.visibility]}</p>
          {playlist.description && <p class="playlist-description">{playlist.description}</p>}
        </div>
      </header>

      <div class="toolbar" role="group" aria-label="Playlist actions">
        <Button variant="primary" disabled={playable.length === 0} busy={busy === "play"} onClick={() => void run("play", playAll)}>
          ▶ Play all
        </Button>
        <Button disabled={playable.length === 0} busy={busy === "queue"} onClick={() => void run("queue", queueAll)}>
          Add all to queue
        </Button>
        {signedIn.value && !isOwner && (
          <Button busy={busy === "follow"} aria-pressed={playlist.followed_by_me} onClick={() => void run("follow", toggleFollow)}>
            {playlist.followed_by_me ? "Following" : "Follow"}
          </Button>
        )}
        {canManage && !editing && (
          <Button onClick={() => setEditing(true)}>
            Edit details
          </Button>
        )}
        {isOwner && !confirmDelete && (
          <Button variant="ghost" onClick={() => setConfirmDelete(true)}>
            Delete…
          </Button>
        )}
      </div>
      {confirmDelete && (
        <div class="confirm card" role="group" aria-labelledby="confirm-delete-text">
          <p id="confirm-delete-text">Delete “{playlist.name}” for everyone, collaborators and followers included? This cannot be undone.</p>
          <div class="form-actions">
            <Button variant="danger" busy={busy === "delete"} onClick={() => void run("delete", remove)} autoFocus>
              Delete the playlist
            </Button>
            <Button onClick={() => setConfirmDelete(false)}>Keep it</Button>
          </div>
        </div>
      )}
      <FormError error={actionError} />
      <p class="visually-hidden" aria-live="polite" role="status">
        {message}
      </p>

      {editing && (
        <PlaylistDetailsForm
          playlist={playlist}
          isOwner={isOwner}
          onSaved={(p) => {
            setPlaylist({ ...playlist, ...p });
            setEditing(false);
            announce("Playlist details saved.");
          }}
          onCancel={() => setEditing(false)}
        />
      )}

      <h2 class="section-title">Tracks</h2>
      {items.length === 0 ? (
        <Empty title="No tracks yet">
          <p>{canEdit ? "Add tracks below, or from any track's page." : "Nothing has been added to this playlist yet."}</p>
        </Empty>
      ) : (
        <PlaylistTracks
          playlistId={playlist.id}
          items={items}
          setItems={setItems}
          canEdit={canEdit}
          announce={announce}
          resync={resync}
        />
      )}
      {more && (
        <>
          <FormError error={moreError} />
          <Button onClick={() => void loadMore()} busy={loadingMore}>
            Load more tracks
          </Button>
        </>
      )}

      {canEdit && <AddTracks playlistId={playlist.id} inPlaylist={new Set(items.map((i) => i.track.id))} onAdded={(title) => {
        announce(`“${title}” added to the playlist.`);
        resync();
      }} />}

      {role !== null && <Collaborators playlist={playlist} canManage={canManage} announce={announce} onLeft={() => location.route(paths.library)} />}
    </section>
  );
}
