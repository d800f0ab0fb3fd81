/**
 * The upload under way, kept at module level rather than in the screen: it goes on while the
 * person browses elsewhere in the app, and /upload shows it again — with everything typed into the
 * form — when they come back. A reload ends it; saved-uploads.ts then lets it resume.
 */
import { effect, signal, type Signal } from "@preact/signals";
import { ApiError, onTokensChange, post } from "../../api";
import type { CreateTrackBody, Visibility } from "./api-types";
import { titleFromFilename } from "./formats";
import { Transfer } from "./transfer";

export interface TrackDraft {
  title: string;
  description: string;
  genre: string;
  visibility: Visibility;
  isDownloadable: boolean;
  artist: string;
  album: string;
  bpm: string;
  musicalKey: string;
}

export interface Cover {
  transfer: Transfer;
  /** An object URL of the picked image, for its preview. */
  preview: string;
}

export type SubmitState =
  | { state: "editing"; error: unknown }
  /** Submitted while a file was still on its way: saved as soon as it is stored. */
  | { state: "queued" }
  | { state: "saving" }
  | { state: "saved"; trackId: string; title: string };

export interface UploadSession {
  audio: Transfer;
  draft: Signal<TrackDraft>;
  /** The title is the file's name until the person types one. */
  titleEdited: Signal<boolean>;
  cover: Signal<Cover | null>;
  submit: Signal<SubmitState>;
}

export const current = signal<UploadSession | null>(null);

const emptyDraft = (file: File): TrackDraft => ({
  title: titleFromFilename(file.name),
  description: "",
  genre: "",
  visibility: "public",
  isDownloadable: false,
  artist: "",
  album: "",
  bpm: "",
  musicalKey: "",
});

/**
 * Starts uploading `file`. After a failed upload the form keeps what was typed (the title follows
 * the new file unless it was edited).
 */
export function startUpload(file: File, mimeType: string, userId: string): UploadSession {
  const previous = current.value;
  const keep = previous && previous.audio.state.value.phase === "failed" ? previous : null;
  const draft = keep ? { ...keep.draft.value, ...(keep.titleEdited.value ? {} : { title: titleFromFilename(file.name) }) } : emptyDraft(file);
  const session: UploadSession = {
    audio: new Transfer(file, mimeType, userId),
    draft: signal(draft),
    titleEdited: signal(keep?.titleEdited.value ?? false),
    cover: signal(keep?.cover.value ?? null),
    submit: signal({ state: "editing", error: null }),
  };
  current.value = session;
  void session.audio.run().then(() => saveIfQueued(session));
  return session;
}

/** Cancels the upload (and the cover's) and clears the screen. */
export async function cancelUpload(session: UploadSession): Promise<void> {
  if (current.value === session) current.value = null;
  releaseCover(session);
  await session.audio.cancel();
}

/** After a track was saved, or to drop a failed upload: back to the file picker. */
export function clearUpload(): void {
  const session = current.value;
  if (session) releaseCover(session, session.submit.value.state !== "saved");
  current.value = null;
}

export function pickCover(session: UploadSession, file: File, mimeType: string, userId: string): void {
  releaseCover(session);
  const cover: Cover = { transfer: new Transfer(file, mimeType, userId), preview: URL.createObjectURL(file) };
  session.cover.value = cover;
  void cover.transfer.run().then(() => saveIfQueued(session));
}

/** Drops the cover (cancelling its upload unless it is the saved track's). */
export function releaseCover(session: UploadSession, cancel = true): void {
  const cover = session.cover.value;
  if (!cover) return;
  session.cover.value = null;
  URL.revokeObjectURL(cover.preview);
  if (cancel && cover.transfer.state.value.phase !== "stored") void cover.transfer.cancel();
}

const pending = (t: Transfer) => !["stored", "failed", "cancelled"].includes(t.state.value.phase);

/** Saves the track now, or as soon as the audio (and the cover) are stored. */
export function submitTrack(session: UploadSession): void {
  const cover = session.cover.value?.transfer;
  if (pending(session.audio) || (cover && pending(cover))) {
    session.submit.value = { state: "queued" };
    return;
  }
  void save(session);
}

function saveIfQueued(session: UploadSession) {
  if (session.submit.value.state !== "queued") return;
  const cover = session.cover.value?.transfer;
  if (pending(session.audio) || (cover && pending(cover))) return;
  void save(session);
}

const optional = (value: string) => (value.trim() ? value.trim() : undefined);

/** POST /v1/tracks with the draft. Field errors stay on the form; nothing typed is lost. */
async function save(session: UploadSession): Promise<void> {
  const audio = session.audio.state.value;
  const cover = session.cover.value?.transfer.state.value;
  if (audio.phase !== "stored" || !audio.fileId) {
    session.submit.value = { state: "editing", error: new Error("The audio file did not upload. Choose it again to retry.") };
    return;
  }
  if (cover && cover.phase !== "stored") {
    session.submit.value = { state: "editing", error: new Error("The cover image did not upload. Remove it or choose another one.") };
    return;
  }
  const d = session.draft.value;
  const bpm = d.bpm.trim() ? Number(d.bpm) : undefined;
  const body: CreateTrackBody = {
    file_id: audio.fileId,
    title: d.title,
    description: optional(d.description),
    genre: optional(d.genre),
    artist: optional(d.artist),
    album: optional(d.album),
    bpm: bpm !== undefined && Number.isFinite(bpm) ? bpm : undefined,
    musical_key: optional(d.musicalKey),
    visibility: d.visibility,
    is_downloadable: d.isDownloadable,
    cover_art_file_id: cover?.fileId ?? undefined,
  };
  session.submit.value = { state: "saving" };
  try {
    const track = await post<{ id: string; title: string }>("/v1/tracks", body);
    session.submit.value = { state: "saved", trackId: track.id, title: track.title };
  } catch (err) {
    // (A 503 means the track was saved but not queued: saving again answers a 409 naming it.)
    session.submit.value = { state: "editing", error: err instanceof ApiError || err instanceof Error ? err : new Error(String(err)) };
  }
}

/** Leaving the page while a file is on its way loses the page's part of it: the browser asks first. */
function warnBeforeLeaving(e: BeforeUnloadEvent) {
  e.preventDefault();
  e.returnValue = "";
}

let warning = false;
effect(() => {
  const session = current.value;
  const audio = session?.audio.state.value;
  const cover = session?.cover.value?.transfer.state.value;
  const busy = (s: typeof audio) => s !== undefined && !["stored", "failed", "cancelled"].includes(s.phase);
  const active = busy(audio) || busy(cover) || session?.submit.value.state === "queued" || session?.submit.value.state === "saving";
  if (active && !warning) addEventListener("beforeunload", warnBeforeLeaving);
  if (!active && warning) removeEventListener("beforeunload", warnBeforeLeaving);
  warning = active;
});

// Signed out (here or in another tab): the upload stops where it is, resumable by the same account.
onTokensChange((tokens) => {
  const session = current.value;
  if (tokens || !session) return;
  session.audio.stop();
  session.cover.value?.transfer.stop();
  current.value = null;
});
