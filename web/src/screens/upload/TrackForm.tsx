import { useEffect, useId, useRef } from "preact/hooks";
import { ApiError, errorMessage } from "../../api";
import { paths } from "../../paths";
import { me } from "../../session";
import { Button, Checkbox, TextInput } from "../../ui";
import type { Visibility } from "./api-types";
import { CoverPicker } from "./CoverPicker";
import { submitTrack, type TrackDraft, type UploadSession } from "./current-upload";

const GENRES = ["Ambient", "Classical", "Electronic", "Folk", "Hip-hop", "House", "Jazz", "Lo-fi", "Pop", "R&B", "Rock", "Soundtrack", "Techno", "World"];

const VISIBILITY: { value: Visibility; label: string; hint: string }[] = [
  { value: "public", label: "Public", hint: "Anyone can find and play it; your followers see it in their feed." },
  { value: "unlisted", label: "Unlisted", hint: "Only people with the link can play it. Not listed on your profile or in search." },
  { value: "private", label: "Private", hint: "Only you." },
];

/** The fields this form shows, by the API's name: any other field error is shown at the top. */
const FIELD_LABELS: Record<string, string> = {
  title: "Title",
  description: "Description",
  genre: "Genre",
  visibility: "Visibility",
  is_downloadable: "Downloads",
  artist: "Artist",
  album: "Album",
  bpm: "BPM",
  musical_key: "Key",
  cover_art_file_id: "Cover image",
};
const MORE = ["artist", "album", "bpm", "musical_key"];
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** The track's details (POST /v1/tracks), typed while the file uploads; saved once it is stored. */
export function TrackForm({ session }: { session: UploadSession }) {
  const d = session.draft.value;
  const submit = session.submit.value;
  const audio = session.audio.state.value;
  const error = submit.state === "editing" ? submit.error : null;
  const fields = error instanceof ApiError ? error.fields : {};
  const set = (patch: Partial<TrackDraft>) => (session.draft.value = { ...session.draft.value, ...patch });
  const busy = submit.state === "queued" || submit.state === "saving";
  const failed = audio.phase === "failed" || audio.phase === "cancelled";

  function onSubmit(e: Event) {
    e.preventDefault();
    submitTrack(session);
  }

  return (
    <form class="card track-form" onSubmit={onSubmit} aria-labelledby="track-form-title">
      <h2 id="track-form-title">Track details</h2>
      <SubmitProblem error={error} fields={fields} />
      <TextInput
        label="Title"
        name="title"
        required
        maxLength={255}
        value={d.title}
        onValue={(title) => {
          session.titleEdited.value = true;
          set({ title });
        }}
        error={fields.title}
      />
      <TextArea label="Description (optional)" name="description" maxLength={5000} value={d.description} onValue={(description) => set({ description })} error={fields.description} />
      <GenreInput value={d.genre} onValue={(genre) => set({ genre })} error={fields.genre} />

      <fieldset class={`field visibility${fields.visibility ? " field-invalid" : ""}`}>
        <legend>Visibility</legend>
        {VISIBILITY.map((v) => (
          <label key={v.value} class="choice">
            <input type="radio" name="visibility" value={v.value} checked={d.visibility === v.value} onChange={() => set({ visibility: v.value })} />
            <span>
              <span class="choice-label">{v.label}</span>
              <span class="choice-hint muted">{v.hint}</span>
            </span>
          </label>
        ))}
        {fields.visibility && <p class="field-error">{fields.visibility}</p>}
      </fieldset>

      <Checkbox
        label="Let listeners download the original file"
        name="is_downloadable"
        checked={d.isDownloadable}
        onChecked={(isDownloadable) => set({ isDownloadable })}
        error={fields.is_downloadable}
      />

      <CoverPicker session={session} userId={me.value?.id ?? ""} error={fields.cover_art_file_id} />

      <details class="more-details" open={MORE.some((f) => fields[f]) || undefined}>
        <summary>More details (artist, album, tempo, key)</summary>
        <div class="more-grid">
          <TextInput label="Artist" name="artist" maxLength={255} value={d.artist} onValue={(artist) => set({ artist })} error={fields.artist} />
          <TextInput label="Album" name="album" maxLength={255} value={d.album} onValue={(album) => set({ album })} error={fields.album} />
          <TextInput label="BPM" name="bpm" type="number" inputMode="numeric" min={20} max={999} step={1} value={d.bpm} onValue={(bpm) => set({ bpm })} error={fields.bpm} />
          <TextInput
            label="Key"
            name="musical_key"
            maxLength={10}
            hint="Such as C, F#m, Bb major, or a Camelot code such as 8A."
            value={d.musicalKey}
            onValue={(musicalKey) => set({ musicalKey })}
            error={fields.musical_key}
          />
        </div>
      </details>

      <div class="form-actions">
        <Button type="submit" variant="primary" busy={busy} disabled={failed}>
          {submit.state === "queued" ? "Saving when the upload finishes…" : submit.state === "saving" ? "Saving…" : "Save track"}
        </Button>
        {submit.state === "queued" && <span class="muted queued-note">Your track is saved as soon as the file is on Veza.</span>}
      </div>
    </form>
  );
}

/** The error of the whole form: field errors are shown by their fields; others (and a track already made of this file) here. */
function SubmitProblem({ error, fields }: { error: unknown; fields: Record<string, string> }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) ref.current?.focus();
  }, [error]);
  if (!error) return null;
  const unshown = Object.entries(fields).filter(([f]) => !FIELD_LABELS[f]);
  const existing = error instanceof ApiError && error.status === 409 ? UUID.exec(error.message)?.[0] : undefined;
  return (
    <div class="form-error" role="alert" tabIndex={-1} ref={ref}>
      {Object.keys(fields).length > 0 && unshown.length === 0 ? (
        "Please correct the fields marked below."
      ) : unshown.length > 0 ? (
        unshown.map(([f, message]) => <p key={f}>{f === "file_id" ? `The audio file ${message}.` : `${f}: ${message}`}</p>)
      ) : existing ? (
        <>
          You already made a track of this file. <a href={paths.track(existing)}>Open that track</a>.
        </>
      ) : (
        errorMessage(error)
      )}
    </div>
  );
}

function TextArea({ label, name, value, onValue, error, maxLength }: { label: string; name: string; value: string; onValue: (v: string) => void; error?: string; maxLength: number }) {
  const id = useId();
  return (
    <div class={`field${error ? " field-invalid" : ""}`}>
      <label for={id}>{label}</label>
      <textarea
        id={id}
        name={name}
        rows={4}
        maxLength={maxLength}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A free genre, with common ones suggested as the person types. */
function GenreInput({ value, onValue, error }: { value: string; onValue: (v: string) => void; error?: string }) {
  const id = useId();
  return (
    <div class={`field${error ? " field-invalid" : ""}`}>
      <label for={id}>Genre (optional)</label>
      <input
        id={id}
        name="genre"
        maxLength={100}
        list={`${id}-list`}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <datalist id={`${id}-list`}>
        {GENRES.map((g) => (
          <option key={g} value={g} />
        ))}
      </datalist>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
