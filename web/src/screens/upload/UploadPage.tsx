import "./upload.css";
import { useState } from "preact/hooks";
import { me } from "../../session";
import { Button, usePageTitle } from "../../ui";
import { cancelUpload, clearUpload, current, startUpload } from "./current-upload";
import { FilePicker } from "./FilePicker";
import { formatBytes } from "../../ui/bytes";
import { AUDIO_ACCEPT, declaredType } from "./formats";
import { Processing } from "./Processing";
import { TrackForm } from "./TrackForm";
import { TransferStatus } from "./TransferStatus";

/**
 * /upload: pick or drop an audio file; it uploads (resumable, with real progress) while the
 * track's details are filled in; the track is saved once the file is on Veza, then processed.
 */
export default function UploadPage() {
  usePageTitle("Upload");
  const userId = me.value?.id ?? "";
  // Another account's upload (signed out and in as someone else) is not shown.
  const session = current.value?.audio.userId === userId ? current.value : null;
  const [refused, setRefused] = useState<string | null>(null);

  function choose(file: File) {
    const type = declaredType(file, "audio");
    if ("refused" in type) {
      setRefused(type.refused);
      return;
    }
    setRefused(null);
    startUpload(file, type.mime, userId);
  }

  function startOver() {
    setRefused(null);
    clearUpload();
  }

  const audio = session?.audio;
  const phase = audio?.state.value.phase;
  const submit = session?.submit.value;

  return (
    <section class="upload" aria-labelledby="upload-title">
      <h1 id="upload-title">Upload a track</h1>
      {!session || !audio ? (
        <FilePicker userId={userId} onFile={choose} error={refused} />
      ) : (
        <>
          <section class="card upload-file" aria-label="File">
            <div class="upload-file-head">
              <span class="upload-file-name">{audio.file.name}</span>
              <span class="muted">{formatBytes(audio.file.size)}</span>
            </div>
            <TransferStatus transfer={audio} label="Upload progress" onCancel={() => void cancelUpload(session)} />
            {(phase === "failed" || phase === "cancelled") && (
              <div class="form-actions">
                <label class="btn btn-primary file-button">
                  Choose another file
                  <input
                    type="file"
                    class="visually-hidden"
                    accept={AUDIO_ACCEPT}
                    onChange={(e) => {
                      const file = e.currentTarget.files?.[0];
                      e.currentTarget.value = "";
                      if (file) choose(file);
                    }}
                  />
                </label>
                <Button variant="ghost" onClick={startOver}>
                  Start over
                </Button>
              </div>
            )}
            {refused && (
              <div class="form-error" role="alert">
                {refused}
              </div>
            )}
          </section>
          {submit?.state === "saved" ? (
            <Processing trackId={submit.trackId} title={submit.title} onAnother={startOver} />
          ) : (
            <TrackForm session={session} />
          )}
        </>
      )}
    </section>
  );
}
