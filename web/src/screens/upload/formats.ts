import { formatBytes } from "../../ui/bytes";
/**
 * What the upload screen accepts, and how sizes and durations read. The limits mirror the API's
 * (src/domains/uploads/policy.ts), which checks them again: here they only spare a doomed upload.
 */

export const MiB = 1024 * 1024;
/** Audio up to 2 GiB; images (covers) up to 20 MiB. */
export const MAX_AUDIO_BYTES = 2 * 1024 * MiB;
export const MAX_IMAGE_BYTES = 20 * MiB;

/**
 * Parts of 5 MiB, the smallest the API takes: on a shaky connection a failed part costs at most
 * 5 MiB to send again, and even a 2 GiB file stays far below the 10 000 parts R2 allows.
 */
export const PART_SIZE = 5 * MiB;

export type Kind = "audio" | "image";

/** Declared type per extension, for browsers that give a file no type (or an odd one). */
const byExtension: Record<string, { mime: string; kind: Kind }> = {
  wav: { mime: "audio/wav", kind: "audio" },
  wave: { mime: "audio/wav", kind: "audio" },
  flac: { mime: "audio/flac", kind: "audio" },
  mp3: { mime: "audio/mpeg", kind: "audio" },
  jpg: { mime: "image/jpeg", kind: "image" },
  jpeg: { mime: "image/jpeg", kind: "image" },
  png: { mime: "image/png", kind: "image" },
  webp: { mime: "image/webp", kind: "image" },
};

/** Types the API takes as declared (DECLARED_TYPES there). */
const declared = new Set([
  "audio/wav",
  "audio/x-wav",
  "audio/wave",
  "audio/flac",
  "audio/x-flac",
  "audio/mpeg",
  "audio/mp3",
  "image/jpeg",
  "image/png",
  "image/webp",
]);

export const AUDIO_ACCEPT = ".wav,.wave,.flac,.mp3,audio/wav,audio/x-wav,audio/flac,audio/x-flac,audio/mpeg";
export const IMAGE_ACCEPT = ".jpg,.jpeg,.png,.webp,image/jpeg,image/png,image/webp";

/**
 * The type to declare for `file` when it is of `kind`, or why it cannot be sent. The browser's
 * type wins when the API knows it; otherwise the extension decides. The bytes are checked by the
 * API on completion, whatever is declared here.
 */
export function declaredType(file: File, kind: Kind): { mime: string } | { refused: string } {
  const ext = /\.([A-Za-z0-9]+)$/.exec(file.name)?.[1]?.toLowerCase() ?? "";
  const mime = declared.has(file.type) ? file.type : byExtension[ext]?.mime;
  const what = kind === "audio" ? "a WAV, FLAC or MP3 audio file" : "a JPEG, PNG or WebP image";
  if (!mime || !mime.startsWith(`${kind}/`)) return { refused: `“${file.name}” is not ${what}.` };
  if (file.size === 0) return { refused: `“${file.name}” is empty.` };
  const max = kind === "audio" ? MAX_AUDIO_BYTES : MAX_IMAGE_BYTES;
  if (file.size > max) return { refused: `“${file.name}” is ${formatBytes(file.size)}; ${kind === "audio" ? "audio files" : "images"} may be up to ${formatBytes(max)}.` };
  return { mime };
}

/** A title from a file name: without its extension, separators read as spaces. */
export function titleFromFilename(name: string): string {
  const base = name.replace(/\.[A-Za-z0-9]{1,5}$/, "").replace(/[_]+/g, " ").replace(/\s+/g, " ").trim();
  return (base || name).slice(0, 255);
}

/** "3.2 MB/s". */
export const formatSpeed = (bytesPerSecond: number) => `${formatBytes(Math.round(bytesPerSecond))}/s`;

/** "about 2 min left", "8 s left". */
export function formatRemaining(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "";
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s left`;
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} min left`;
  const h = Math.floor(seconds / 3600);
  return `about ${h} h ${Math.round((seconds % 3600) / 60)} min left`;
}
