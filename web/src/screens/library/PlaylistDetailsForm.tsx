import { useState } from "preact/hooks";
import { ApiError, patch } from "../../api";
import { Button, Checkbox, FormError, TextInput } from "../../ui";
import { TextArea, VisibilityField } from "./fields";
import type { Playlist, UpdatePlaylistBody, Visibility } from "./types";

/**
 * Edit a playlist's name and description (owner and admins) and, for the owner, its visibility and
 * whether collaborators may edit it (PATCH /v1/playlists/:id, only the fields that changed).
 */
export function PlaylistDetailsForm({ playlist, isOwner, onSaved, onCancel }: { playlist: Playlist; isOwner: boolean; onSaved: (p: Playlist) => void; onCancel: () => void }) {
  const [name, setName] = useState(playlist.name);
  const [description, setDescription] = useState(playlist.description ?? "");
  const [visibility, setVisibility] = useState<Visibility>(playlist.visibility);
  const [collaborative, setCollaborative] = useState(playlist.is_collaborative);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: Event) {
    e.preventDefault();
    const body: UpdatePlaylistBody = {};
    if (name.trim() !== playlist.name) body.name = name;
    if ((description.trim() || null) !== playlist.description) body.description = description.trim() ? description : null;
    if (isOwner && visibility !== playlist.visibility) body.visibility = visibility;
    if (isOwner && collaborative !== playlist.is_collaborative) body.is_collaborative = collaborative;
    if (Object.keys(body).length === 0) return onCancel();
    setBusy(true);
    setError(null);
    try {
      onSaved(await patch<Playlist>(`/v1/playlists/${playlist.id}`, body));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const fields = error instanceof ApiError ? error.fields : {};
  return (
    <form id="playlist-edit" class="card edit-form" onSubmit={submit} aria-labelledby="playlist-edit-title">
      <h2 id="playlist-edit-title">Edit details</h2>
      <FormError error={error} />
      <TextInput label="Title" required maxLength={255} value={name} onValue={setName} error={fields.name} autoFocus />
      <TextArea label="Description (optional)" maxLength={5000} value={description} onValue={setDescription} error={fields.description} />
      {isOwner && (
        <>
          <VisibilityField value={visibility} onValue={setVisibility} error={fields.visibility} />
          <Checkbox
            label="Collaborative: collaborators invited to edit may add, remove and reorder tracks"
            checked={collaborative}
            onChecked={setCollaborative}
            error={fields.is_collaborative}
          />
        </>
      )}
      <div class="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          Save
        </Button>
        <Button onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
