/**
 * The real type of an upload, read from its first bytes: whatever a file is named or declared as,
 * only these types are stored. Pure (no I/O): the caller hands over the head of the object —
 * `SNIFF_HEAD_BYTES` are enough for everything but an MP3 behind a large ID3v2 tag (embedded cover
 * art), for which `id3v2Length` tells where to read the first frame (see `sniffMpegAudio`).
 */

export type MediaKind = "audio" | "image";

export interface SniffedMedia {
  mime: string;
  kind: MediaKind;
  extension: string;
}

/** How much of the head a caller reads for `sniffMedia`. */
export const SNIFF_HEAD_BYTES = 64 * 1024;

/** Enough bytes after an ID3v2 tag for two of the largest MPEG audio frames (1441 bytes each) and some padding. */
export const MPEG_PROBE_BYTES = 8 * 1024;

const WAV: SniffedMedia = { mime: "audio/wav", kind: "audio", extension: "wav" };
const FLAC: SniffedMedia = { mime: "audio/flac", kind: "audio", extension: "flac" };
const MP3: SniffedMedia = { mime: "audio/mpeg", kind: "audio", extension: "mp3" };
const JPEG: SniffedMedia = { mime: "image/jpeg", kind: "image", extension: "jpg" };
const PNG: SniffedMedia = { mime: "image/png", kind: "image", extension: "png" };
const WEBP: SniffedMedia = { mime: "image/webp", kind: "image", extension: "webp" };

const ascii = (s: string) => [...s].map((ch) => ch.charCodeAt(0));
const at = (bytes: Uint8Array, offset: number, signature: number[]) =>
  bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b);

/** The type of `head` (the first bytes of a file), or null when it is none of the types Veza stores. */
export function sniffMedia(head: Uint8Array): SniffedMedia | null {
  if (at(head, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) && at(head, 12, ascii("IHDR"))) return PNG;
  if (at(head, 0, [0xff, 0xd8, 0xff])) return JPEG;
  if (at(head, 0, ascii("RIFF"))) {
    if (at(head, 8, ascii("WAVE"))) return WAV;
    if (at(head, 8, ascii("WEBP")) && (at(head, 12, ascii("VP8 ")) || at(head, 12, ascii("VP8L")) || at(head, 12, ascii("VP8X")))) return WEBP;
    return null;
  }
  // "fLaC", then the mandatory first metadata block: STREAMINFO (type 0), 34 bytes long
  if (at(head, 0, ascii("fLaC")) && head.length >= 8 && (head[4]! & 0x7f) === 0 && at(head, 5, [0, 0, 34])) return FLAC;
  return sniffMpegAudio(head, id3v2Length(head));
}

/**
 * Bytes taken by the ID3v2 tag(s) at the start of `head` (0 when there is none): a 10-byte header
 * whose size is a 28-bit "synchsafe" integer, plus a 10-byte footer when flagged. Some taggers
 * write several tags in a row; they are all skipped.
 */
export function id3v2Length(head: Uint8Array): number {
  let offset = 0;
  while (at(head, offset, ascii("ID3")) && head.length >= offset + 10) {
    const [major, flags, s0, s1, s2, s3] = [3, 5, 6, 7, 8, 9].map((i) => head[offset + i]!) as [number, number, number, number, number, number];
    if (major < 2 || major > 4 || (s0 | s1 | s2 | s3) & 0x80) break;
    const size = (s0 << 21) | (s1 << 14) | (s2 << 7) | s3;
    offset += 10 + size + (major === 4 && flags & 0x10 ? 10 : 0);
  }
  return offset;
}

/** Layer III bitrates (kbit/s) by bitrate index: MPEG-1, then MPEG-2 and 2.5. */
const BITRATES_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
/** Sample rates (Hz) by version bits (0: 2.5, 2: MPEG-2, 3: MPEG-1) and index. */
const SAMPLE_RATES: Record<number, number[]> = { 0: [11025, 12000, 8000], 2: [22050, 24000, 16000], 3: [44100, 48000, 32000] };

interface FrameHeader {
  version: number;
  sampleRate: number;
  length: number;
}

/** An MPEG audio Layer III frame header at `offset`, or null: sync, no reserved values, no free format. */
function frameHeader(bytes: Uint8Array, offset: number): FrameHeader | null {
  if (bytes.length < offset + 4) return null;
  const [b0, b1, b2, b3] = [bytes[offset]!, bytes[offset + 1]!, bytes[offset + 2]!, bytes[offset + 3]!];
  if (b0 !== 0xff || (b1 & 0xe0) !== 0xe0) return null;
  const version = (b1 >> 3) & 3;
  const layer = (b1 >> 1) & 3;
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  if (version === 1 || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3 || (b3 & 3) === 2) return null;
  const sampleRate = SAMPLE_RATES[version]![rateIndex]!;
  const kbps = (version === 3 ? BITRATES_V1 : BITRATES_V2)[bitrateIndex]!;
  const padding = (b2 >> 1) & 1;
  const length = Math.floor(((version === 3 ? 144_000 : 72_000) * kbps) / sampleRate) + padding;
  return { version, sampleRate, length };
}

/**
 * MP3 when an MPEG audio Layer III frame starts at `offset` (after any ID3v2 tag: zero padding
 * some taggers leave behind is skipped) and a second frame of the same stream follows it exactly
 * where the first one's length says: one header-looking word is too easy to hit by chance.
 */
export function sniffMpegAudio(bytes: Uint8Array, offset = 0): SniffedMedia | null {
  let start = offset;
  while (start < bytes.length && start < offset + 4096 && bytes[start] === 0) start++;
  const first = frameHeader(bytes, start);
  if (!first) return null;
  const second = frameHeader(bytes, start + first.length);
  if (!second || second.version !== first.version || second.sampleRate !== first.sampleRate) return null;
  return MP3;
}
