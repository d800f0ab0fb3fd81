/**
 * Uploads under way, remembered in localStorage so that after a reload, a crash or a lost
 * connection, picking the same file again resumes where it stopped instead of starting over.
 * Only what identifies the file and the upload is kept — never its bytes.
 */

export interface SavedUpload {
  uploadId: string;
  /** The account it belongs to (several people may share a browser). */
  userId: string;
  name: string;
  size: number;
  lastModified: number;
  sha256: string;
  /** Bytes the API had when last heard from: for the "interrupted" notice. */
  bytesUploaded: number;
  savedAt: number;
}

const KEY = "veza.uploads";
const MAX_KEPT = 10;
/** The API discards an incomplete upload 24 hours after its last part. */
const MAX_AGE_MS = 24 * 3600 * 1000;

function readAll(): SavedUpload[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(KEY) ?? "[]") as unknown;
    if (!Array.isArray(parsed)) return [];
    return (parsed as SavedUpload[]).filter((u) => typeof u?.uploadId === "string" && typeof u.sha256 === "string" && Date.now() - u.savedAt < MAX_AGE_MS);
  } catch {
    return [];
  }
}

function writeAll(list: SavedUpload[]): void {
  try {
    if (list.length) localStorage.setItem(KEY, JSON.stringify(list.slice(-MAX_KEPT)));
    else localStorage.removeItem(KEY);
  } catch {
    /* storage full or disabled: resuming after a reload is then not offered */
  }
}

/** The account's interrupted uploads, newest first. */
export function savedUploads(userId: string): SavedUpload[] {
  return readAll()
    .filter((u) => u.userId === userId)
    .sort((a, b) => b.savedAt - a.savedAt);
}

/** The saved upload of this very file (same name, size and modification time), if any. */
export function findSavedForFile(userId: string, file: File): SavedUpload | undefined {
  return savedUploads(userId).find((u) => u.name === file.name && u.size === file.size && u.lastModified === file.lastModified);
}

/** The saved upload of this content (a copy of the file, or the same file given a new date). */
export function findSavedForHash(userId: string, sha256: string, size: number): SavedUpload | undefined {
  return savedUploads(userId).find((u) => u.sha256 === sha256 && u.size === size);
}

export function rememberUpload(upload: Omit<SavedUpload, "savedAt">): void {
  writeAll([...readAll().filter((u) => u.uploadId !== upload.uploadId), { ...upload, savedAt: Date.now() }]);
}

export function forgetUpload(uploadId: string): void {
  writeAll(readAll().filter((u) => u.uploadId !== uploadId));
}
