import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import { ApiError, post } from "../../api";
import { paths } from "../../paths";
import { Button, FormError, TextInput, Time, UserLink, formatDuration } from "../../ui";
import { TextArea, VisibilityField } from "./fields";
import { Empty, PagedList } from "./PagedList";
import { PERMISSION_LABELS, type CreatePlaylistBody, type Invitation, type Playlist, type Visibility } from "./types";
import { usePaged } from "./usePaged";

/** The Playlists tab: create one, my invitations, my playlists (owned and shared with me), those I follow. */
export function MyPlaylists({ deleted }: { deleted?: string }) {
  const mine = usePaged<Playlist>("/v1/me/playlists", { limit: 50 });
  const followed = usePaged<Playlist>("/v1/me/followed-playlists", { limit: 50 });
  const [creating, setCreating] = useState(false);
  const [status, setStatus] = useState(deleted ? `Deleted “${deleted}”.` : "");

  return (
    <>
      <p class={status ? "notice" : "visually-hidden"} role="status" aria-live="polite">
        {status}
      </p>
      <div class="toolbar">
        {!creating && (
          <Button variant="primary" onClick={() => setCreating(true)}>
            New playlist
          </Button>
        )}
      </div>
      {creating && <CreatePlaylistForm onCancel={() => setCreating(false)} />}

      <Invitations
        onAccepted={(invitation) => {
          setStatus(`You now collaborate on “${invitation.playlist.name}”.`);
          mine.reload();
        }}
      />

      <h2 class="section-title">My playlists</h2>
      <PagedList
        list={mine}
        label="My playlists"
        loadingLabel="Loading your playlists…"
        empty={
          <Empty title="No playlists yet">
            <p>Create one for a mood, a trip or a friend — then add tracks from any track's page.</p>
          </Empty>
        }
      >
        {(p) => <PlaylistCard key={p.id} playlist={p} />}
      </PagedList>

      {followed.items.length > 0 && (
        <>
          <h2 class="section-title">Playlists I follow</h2>
          <PagedList list={followed} label="Playlists I follow" loadingLabel="Loading followed playlists…" empty={null}>
            {(p) => <PlaylistCard key={p.id} playlist={p} />}
          </PagedList>
        </>
      )}
    </>
  );
}

function PlaylistCard({ playlist: p }: { playlist: Playlist }) {
  const shared = p.my_role && p.my_role !== "owner";
  return (
    <li class="library-item playlist-card">
      <div class="playlist-thumb" aria-hidden="true">
        {p.cover_url ? <img src={p.cover_url} alt="" loading="lazy" /> : "♫"}
      </div>
      <div class="library-item-main">
        <a href={paths.playlist(p.id)} class="item-title">
          {p.name}
        </a>
        <span class="muted small">
          {p.track_count} {p.track_count === 1 ? "track" : "tracks"} · {formatDuration(p.duration_seconds, "s")} · {p.visibility}
          {shared && (
            <>
              {" "}
              · by <UserLink user={p.owner} /> · {PERMISSION_LABELS[p.my_role as keyof typeof PERMISSION_LABELS]}
            </>
          )}
          {p.is_collaborative && !shared && " · collaborative"}
        </span>
      </div>
    </li>
  );
}

function CreatePlaylistForm({ onCancel }: { onCancel: () => void }) {
  const location = useLocation();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [visibility, setVisibility] = useState<Visibility>("public");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: CreatePlaylistBody = { name, visibility, ...(description.trim() ? { description } : {}) };
      const created = await post<Playlist>("/v1/playlists", body);
      location.route(paths.playlist(created.id));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  const fields = error instanceof ApiError ? error.fields : {};
  return (
    <form class="card edit-form" onSubmit={submit} aria-labelledby="create-playlist-title">
      <h2 id="create-playlist-title">New playlist</h2>
      <FormError error={error} />
      <TextInput label="Title" required maxLength={255} value={name} onValue={setName} error={fields.name} autoFocus />
      <TextArea label="Description (optional)" maxLength={5000} value={description} onValue={setDescription} error={fields.description} />
      <VisibilityField value={visibility} onValue={setVisibility} error={fields.visibility} />
      <div class="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          Create playlist
        </Button>
        <Button onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

/** My pending invitations to collaborate (GET /v1/me/playlist-invitations): accept or decline. */
function Invitations({ onAccepted }: { onAccepted: (i: Invitation) => void }) {
  const list = usePaged<Invitation>("/v1/me/playlist-invitations", { limit: 50 });
  const [working, setWorking] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (list.loading || (list.items.length === 0 && !list.error)) return null;

  async function answer(invitation: Invitation, accept: boolean) {
    setWorking(invitation.playlist.id);
    setError(null);
    try {
      await post(`/v1/me/playlist-invitations/${invitation.playlist.id}/${accept ? "accept" : "decline"}`);
      list.setItems((items) => items.filter((i) => i.playlist.id !== invitation.playlist.id));
      if (accept) onAccepted(invitation);
    } catch (err) {
      setError(err);
    } finally {
      setWorking(null);
    }
  }

  return (
    <section class="invitations card" aria-labelledby="invitations-title">
      <h2 id="invitations-title" class="section-title">
        Invitations <span class="count-badge">{list.items.length}</span>
      </h2>
      <FormError error={error ?? list.error} />
      <ul class="library-list" aria-label="Invitations">
        {list.items.map((i) => (
          <li key={i.playlist.id} class="library-item invitation">
            <div class="library-item-main">
              <span class="item-title">{i.playlist.name}</span>
              <span class="muted small">
                @{(i.invited_by ?? i.playlist.owner).username} invites you · {PERMISSION_LABELS[i.permission]}
                {i.expires_at && (
                  <>
                    {" "}
                    · expires <Time value={i.expires_at} />
                  </>
                )}
              </span>
            </div>
            <span class="item-actions">
              <Button variant="primary" busy={working === i.playlist.id} onClick={() => void answer(i, true)}>
                Accept<span class="visually-hidden"> the invitation to {i.playlist.name}</span>
              </Button>
              <Button disabled={working === i.playlist.id} onClick={() => void answer(i, false)}>
                Decline<span class="visually-hidden"> the invitation to {i.playlist.name}</span>
              </Button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
