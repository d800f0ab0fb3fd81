import { useId, useState } from "preact/hooks";
import { Button } from "../../ui";
import { pickCover, releaseCover, type UploadSession } from "./current-upload";
import { declaredType, IMAGE_ACCEPT } from "./formats";
import { TransferStatus } from "./TransferStatus";

/** An optional cover image, uploaded the same resumable way as the audio, beside it. */
export function CoverPicker({ session, userId, error }: { session: UploadSession; userId: string; error?: string }) {
  const id = useId();
  const cover = session.cover.value;
  const [refused, setRefused] = useState<string | null>(null);
  const shown = refused ?? error;

  function choose(file: File) {
    const type = declaredType(file, "image");
    if ("refused" in type) {
      setRefused(type.refused);
      return;
    }
    setRefused(null);
    pickCover(session, file, type.mime, userId);
  }

  return (
    <div class={`field cover-field${shown ? " field-invalid" : ""}`}>
      <span class="field-label" id={`${id}-label`}>
        Cover image (optional)
      </span>
      <div class="cover-row">
        {cover ? <img class="cover-preview" src={cover.preview} alt="The chosen cover" /> : <div class="cover-preview cover-empty" aria-hidden="true" />}
        <div class="cover-actions">
          <label class="btn btn-secondary file-button">
            {cover ? "Choose another image" : "Choose an image"}
            <input
              type="file"
              class="visually-hidden"
              accept={IMAGE_ACCEPT}
              aria-describedby={`${id}-hint${shown ? ` ${id}-error` : ""}`}
              onChange={(e) => {
                const file = e.currentTarget.files?.[0];
                e.currentTarget.value = "";
                if (file) choose(file);
              }}
            />
          </label>
          {cover && (
            <Button variant="ghost" onClick={() => releaseCover(session)}>
              Remove the cover
            </Button>
          )}
          <p class="field-hint" id={`${id}-hint`}>
            JPEG, PNG or WebP, up to 20 MB. Square images look best.
          </p>
        </div>
      </div>
      {cover && <TransferStatus transfer={cover.transfer} label="Cover upload progress" />}
      {shown && (
        <p class="field-error" id={`${id}-error`} role="alert">
          {shown}
        </p>
      )}
    </div>
  );
}
