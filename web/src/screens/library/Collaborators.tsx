import { useState } from "preact/hooks";
import { ApiError, del, errorMessage, patch, post } from "../../api";
import { me } from "../../session";
import { Button, FormError, Loading, TextInput, Time, UserLink, useApi } from "../../ui";
import { SelectField } from "./fields";
import { PERMISSION_LABELS, type Collaborator, type CollaboratorList, type InviteBody, type Permission, type Playlist } from "./types";

const PERMISSION_OPTIONS = (Object.keys(PERMISSION_LABELS) as Permission[]).map((p) => [p, PERMISSION_LABELS[p]] as const);
const STATUS_LABELS: Record<Collaborator["status"], string> = { pending: "Invited", accepted: "Collaborator", declined: "Declined" };

/**
 * A playlist's collaborators, for its members (GET /v1/playlists/:id/collaborators). The owner and
 * admins invite people by username with a role, change roles, remove people and withdraw
 * invitations; any collaborator may leave.
 */
export function Collaborators({ playlist, canManage, announce, onLeft }: { playlist: Playlist; canManage: boolean; announce: (m: string) => void; onLeft: () => void }) {
  const list = useApi<CollaboratorList>(`/v1/playlists/${playlist.id}/collaborators`);
  const [error, setError] = useState<unknown>(null);
  const [working, setWorking] = useState<string | null>(null);
  const items = list.data?.items ?? [];
  const myId = me.value?.id;

  async function act(userId: string, action: () => Promise<void>) {
    setWorking(userId);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setWorking(null);
    }
  }

  const change = (c: Collaborator, permission: Permission) =>
    act(c.user.id, async () => {
      const updated = await patch<Collaborator>(`/v1/playlists/${playlist.id}/collaborators/${c.user.id}`, { permission });
      list.setData((prev) => ({ items: (prev?.items ?? []).map((i) => (i.user.id === c.user.id ? updated : i)) }));
      announce(`@${c.user.username} now: ${PERMISSION_LABELS[permission]}.`);
    });

  const remove = (c: Collaborator) =>
    act(c.user.id, async () => {
      await del(`/v1/playlists/${playlist.id}/collaborators/${c.user.id}`);
      if (c.user.id === myId) return onLeft();
      list.setData((prev) => ({ items: (prev?.items ?? []).filter((i) => i.user.id !== c.user.id) }));
      announce(c.status === "accepted" ? `@${c.user.username} removed.` : `Invitation to @${c.user.username} withdrawn.`);
    });

  return (
    <section class="collaborators" aria-labelledby="collaborators-title">
      <h2 id="collaborators-title" class="section-title">
        Collaborators
      </h2>
      {canManage && (
        <InviteForm
          playlistId={playlist.id}
          onInvited={(c) => {
            // Before the list has loaded, load it (it now holds the invitation) rather than show only this one.
            if (!list.data) list.reload();
            else list.setData((prev) => ({ items: [...(prev?.items ?? []).filter((i) => i.user.id !== c.user.id), c] }));
            announce(`@${c.user.username} invited: ${PERMISSION_LABELS[c.permission]}.`);
          }}
        />
      )}
      <FormError error={error} />
      {list.loading && !list.data ? (
        <Loading label="Loading collaborators…" />
      ) : list.error ? (
        <p role="alert" class="form-error">
          {errorMessage(list.error)} <Button onClick={list.reload}>Try again</Button>
        </p>
      ) : items.length === 0 ? (
        <p class="muted">{canManage ? "No one yet. Invite people above to build this playlist together." : "No other collaborators."}</p>
      ) : (
        <ul class="collaborator-list">
          {items.map((c) => {
            const self = c.user.id === myId;
            return (
              <li key={c.user.id} class="collaborator">
                <span class="collaborator-who">
                  <UserLink user={c.user} /> <span class="muted small">@{c.user.username}</span>
                </span>
                <span class={`badge badge-${c.status}`}>{STATUS_LABELS[c.status]}</span>
                {c.status === "pending" && c.expires_at && (
                  <span class="muted small">
                    expires <Time value={c.expires_at} />
                  </span>
                )}
                {canManage && !self ? (
                  <span class="collaborator-manage">
                    <label class="visually-hidden" for={`perm-${c.user.id}`}>
                      Role of @{c.user.username}
                    </label>
                    <select
                      id={`perm-${c.user.id}`}
                      value={c.permission}
                      disabled={working === c.user.id}
                      onChange={(e) => void change(c, e.currentTarget.value as Permission)}
                    >
                      {PERMISSION_OPTIONS.map(([v, text]) => (
                        <option key={v} value={v}>
                          {text}
                        </option>
                      ))}
                    </select>
                    <Button variant="ghost" busy={working === c.user.id} onClick={() => void remove(c)}>
                      {c.status === "accepted" ? "Remove" : "Withdraw"}
                      <span class="visually-hidden"> @{c.user.username}</span>
                    </Button>
                  </span>
                ) : (
                  <span class="muted small">{PERMISSION_LABELS[c.permission]}</span>
                )}
                {self && c.status === "accepted" && (
                  <Button variant="ghost" busy={working === c.user.id} onClick={() => void remove(c)}>
                    Leave this playlist
                  </Button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function InviteForm({ playlistId, onInvited }: { playlistId: string; onInvited: (c: Collaborator) => void }) {
  const [username, setUsername] = useState("");
  const [permission, setPermission] = useState<Permission>("edit");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: InviteBody = { username: username.trim().replace(/^@/, ""), permission };
      onInvited(await post<Collaborator>(`/v1/playlists/${playlistId}/collaborators`, body));
      setUsername("");
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const fields = error instanceof ApiError ? error.fields : {};
  return (
    <form class="invite-form" onSubmit={submit} aria-label="Invite a collaborator">
      <FormError error={error} />
      <div class="invite-row">
        <TextInput
          label="Invite by username"
          autoComplete="off"
          required
          maxLength={31}
          value={username}
          onValue={setUsername}
          error={fields.username}
          placeholder="username"
        />
        <SelectField label="Role" value={permission} onValue={setPermission} options={PERMISSION_OPTIONS} error={fields.permission} />
        <Button type="submit" variant="primary" busy={busy} class="invite-submit">
          Invite
        </Button>
      </div>
      <p class="field-hint">The invitation can be accepted for 7 days, from their Library.</p>
    </form>
  );
}
