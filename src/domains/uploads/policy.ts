import type { MediaKind } from "../../media/sniff";

/**
 * What an upload may be. Parts: R2 wants every part but the last the same size and at least
 * 5 MiB; a part is one request body, which the platform caps at 100 MB, hence 95 MiB at most.
 */
export const MiB = 1024 * 1024;
export const MIN_PART_SIZE = 5 * MiB;
export const MAX_PART_SIZE = 95 * MiB;
export const DEFAULT_PART_SIZE = 8 * MiB;
/** R2's (and S3's) limit on the parts of one multipart upload. */
export const MAX_PARTS = 10_000;

/** "Files up to 2 GB", read as 2 GiB (2 147 483 648 bytes): the larger reading, and what a 32-bit length holds. */
export const MAX_AUDIO_BYTES = 2 * 1024 * MiB;
export const MAX_IMAGE_BYTES = 20 * MiB;
export const MAX_BYTES: Record<MediaKind, number> = { audio: MAX_AUDIO_BYTES, image: MAX_IMAGE_BYTES };

/** Declared types a client may send, each with the canonical type it stands for. */
export const DECLARED_TYPES = {
  "audio/wav": "audio/wav",
  "audio/x-wav": "audio/wav",
  "audio/wave": "audio/wav",
  "audio/flac": "audio/flac",
  "audio/x-flac": "audio/flac",
  "audio/mpeg": "audio/mpeg",
  "audio/mp3": "audio/mpeg",
  "image/jpeg": "image/jpeg",
  "image/png": "image/png",
  "image/webp": "image/webp",
} as const;
export type DeclaredType = keyof typeof DECLARED_TYPES;
export const DECLARED_TYPE_NAMES = Object.keys(DECLARED_TYPES) as [DeclaredType, ...DeclaredType[]];

export const kindOf = (mime: string): MediaKind => (mime.startsWith("image/") ? "image" : "audio");

/** An incomplete upload expires this long after its last part (or its creation). */
export const UPLOAD_TTL_HOURS = 24;
/** A completion that has not finished after this long crashed: another attempt, an abort or the cleanup job may take it over. */
export const STALE_COMPLETION_MINUTES = 15;

/** The R2 key of an upload's object: the multipart upload's, then the stored original's (files.storage_path). */
export const storageKey = (userId: string, uploadId: string) => `files/${userId}/${uploadId}`;

export const totalParts = (size: number, partSize: number) => Math.ceil(size / partSize);

/** Bytes part `n` (1-based) must have: the part size, or what is left for the last part. */
export const expectedPartSize = (size: number, partSize: number, n: number) => Math.min(partSize, size - (n - 1) * partSize);

/** A client's file name made safe to keep and show: no path, no control characters, NFC, at most 255 characters. */
export function cleanFilename(name: string): string {
  return name.normalize("NFC").replace(/^.*[\\/]/, "").replace(/\p{Cc}|\p{Cf}/gu, "").trim().slice(0, 255);
}
