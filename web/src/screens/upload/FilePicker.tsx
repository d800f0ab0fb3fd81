import { useEffect, useState } from "preact/hooks";
import { del } from "../../api";
import { Button } from "../../ui";
import { formatBytes } from "../../ui/bytes";
import { AUDIO_ACCEPT } from "./formats";
import { forgetUpload, savedUploads, type SavedUpload } from "./saved-uploads";

/**
 * Choose an audio file: a real file input (keyboard and screen readers use it as it is), and the
 * whole box as a drop target for a dragged file. Lists the uploads a reload or a crash interrupted:
 * picking the same file again resumes one.
 */
export function FilePicker({ userId, onFile, error }: { userId: string; onFile: (file: File) => void; error: string | null }) {
  const [dragging, setDragging] = useState(false);
  const [interrupted, setInterrupted] = useState<SavedUpload[]>(() => savedUploads(userId));

  // A file dropped beside the box must not make the browser leave the app to open it.
  useEffect(() => {
    const keep = (e: DragEvent) => {
      if (e.dataTransfer?.types.includes("Files")) e.preventDefault();
    };
    addEventListener("dragover", keep);
    addEventListener("drop", keep);
    return () => {
      removeEventListener("dragover", keep);
      removeEventListener("drop", keep);
    };
  }, []);

  function drop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer?.files[0];
    if (file) onFile(file);
  }

  async function discard(upload: SavedUpload) {
    forgetUpload(upload.uploadId);
    setInterrupted(savedUploads(userId));
    await del(`/v1/uploads/${upload.uploadId}`).catch(() => undefined);
  }

  return (
    <>
      <div
        class={`drop-zone${dragging ? " drop-zone-active" : ""}`}
        onDragEnter={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          if (e.dataTransfer) e.dataTransfer.dropEffect = "copy";
        }}
        onDragLeave={(e) => {
          if (!(e.currentTarget as HTMLElement).contains(e.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={drop}
      >
        <svg class="drop-icon" viewBox="0 0 24 24" aria-hidden="true" width="40" height="40">
          <path d="M12 3v12m0-12-4.5 4.5M12 3l4.5 4.5M4 15v4a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-4" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" />
        </svg>
        <p class="drop-title">Drag and drop your track here</p>
        <p class="muted drop-or">or</p>
        <label class="btn btn-primary file-button">
          Choose an audio file
          <input
            type="file"
            class="visually-hidden"
            accept={AUDIO_ACCEPT}
            onChange={(e) => {
              const input = e.currentTarget;
              const file = input.files?.[0];
              // Cleared so that choosing the same file again (after a failure) fires again.
              input.value = "";
              if (file) onFile(file);
            }}
          />
        </label>
        <p class="muted drop-hint">WAV, FLAC or MP3, up to 2 GB. Lossless masters (WAV, FLAC) sound best: Veza makes the streaming versions.</p>
      </div>
      {error && (
        <div class="form-error" role="alert">
          {error}
        </div>
      )}
      {interrupted.length > 0 && (
        <section class="card interrupted" aria-labelledby="interrupted-title">
          <h2 id="interrupted-title">Interrupted uploads</h2>
          <p class="muted">Choose the same file again to resume: only what is missing is sent.</p>
          <ul>
            {interrupted.map((u) => (
              <li key={u.uploadId}>
                <span class="interrupted-name">{u.name}</span>
                <span class="muted">
                  {formatBytes(u.bytesUploaded)} of {formatBytes(u.size)} sent
                </span>
                <Button variant="ghost" class="btn-inline" onClick={() => void discard(u)} aria-label={`Discard the upload of ${u.name}`}>
                  Discard
                </Button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
