/**
 * MPEG audio frame headers (ISO/IEC 11172-3 and 13818-3): for probing an MP3 source, for cutting
 * the encoder's output into segments on frame boundaries, and for checking segments in tests.
 */
export interface MpegFrameHeader {
  /** 1 for MPEG-1, 2 for MPEG-2, 2.5 for MPEG-2.5. */
  version: 1 | 2 | 2.5;
  layer: 1 | 2 | 3;
  /** Bits per second. */
  bitrate: number;
  sampleRate: number;
  channels: 1 | 2;
  hasCrc: boolean;
  /** Bytes, header included. */
  frameLength: number;
  samplesPerFrame: number;
}

const BITRATES_KBPS = {
  v1l1: [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  v1l2: [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  v1l3: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  v2l1: [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  v2l23: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const SAMPLE_RATES = { 1: [44100, 48000, 32000], 2: [22050, 24000, 16000], 2.5: [11025, 12000, 8000] };

/**
 * The header of the frame starting at `offset`, or null when the four bytes there are not one
 * (no sync word, a reserved field, or free-format bitrate, which nothing Veza handles produces).
 */
export function parseFrameHeader(bytes: Uint8Array, offset: number): MpegFrameHeader | null {
  if (offset + 4 > bytes.length) return null;
  const b1 = bytes[offset + 1]!, b2 = bytes[offset + 2]!, b3 = bytes[offset + 3]!;
  if (bytes[offset] !== 0xff || (b1 & 0xe0) !== 0xe0) return null;
  const versionBits = (b1 >> 3) & 3;
  const layerBits = (b1 >> 1) & 3;
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  if (versionBits === 1 || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const version = versionBits === 3 ? 1 : versionBits === 2 ? 2 : 2.5;
  const layer = (4 - layerBits) as 1 | 2 | 3;
  const table = version === 1 ? (layer === 1 ? BITRATES_KBPS.v1l1 : layer === 2 ? BITRATES_KBPS.v1l2 : BITRATES_KBPS.v1l3) : layer === 1 ? BITRATES_KBPS.v2l1 : BITRATES_KBPS.v2l23;
  const bitrate = table[bitrateIndex]! * 1000;
  const sampleRate = SAMPLE_RATES[version][rateIndex]!;
  const padding = (b2 >> 1) & 1;
  const samplesPerFrame = layer === 1 ? 384 : layer === 3 && version !== 1 ? 576 : 1152;
  const frameLength = layer === 1 ? (Math.floor((12 * bitrate) / sampleRate) + padding) * 4 : Math.floor((samplesPerFrame / 8) * bitrate / sampleRate) + padding;
  return { version, layer, bitrate, sampleRate, channels: b3 >> 6 === 3 ? 1 : 2, hasCrc: (b1 & 1) === 0, frameLength, samplesPerFrame };
}

/** The largest frame a CBR stream of `bitrate` at `sampleRate` can have (layer III, padded). */
export const maxLayer3FrameLength = (bitrate: number, sampleRate: number) => Math.floor((sampleRate >= 32000 ? 144 : 72) * bitrate / sampleRate) + 1;

/** What a Xing/Info (or VBRI) header in the first frame says about the whole stream. */
export interface VbrHeader {
  /** "Xing" marks a VBR stream, "Info" a CBR one (LAME writes both), "VBRI" Fraunhofer's VBR. */
  tag: "Xing" | "Info" | "VBRI";
  frames?: number;
  bytes?: number;
}

/**
 * The Xing/Info/VBRI header of the frame at `offset`, if it carries one: such a frame holds no
 * audio. The tag sits right after the side information, whose length depends on version and mode.
 */
export function parseVbrHeader(bytes: Uint8Array, offset: number, header: MpegFrameHeader): VbrHeader | null {
  if (header.layer !== 3) return null;
  const sideInfo = header.version === 1 ? (header.channels === 1 ? 17 : 32) : header.channels === 1 ? 9 : 17;
  const at = offset + 4 + (header.hasCrc ? 2 : 0) + sideInfo;
  const tag = ascii(bytes, at, 4);
  if (tag === "Xing" || tag === "Info") {
    if (at + 8 > bytes.length) return { tag };
    const flags = readUint32(bytes, at + 4);
    let p = at + 8;
    const frames = flags & 1 && p + 4 <= bytes.length ? readUint32(bytes, p) : undefined;
    if (flags & 1) p += 4;
    const size = flags & 2 && p + 4 <= bytes.length ? readUint32(bytes, p) : undefined;
    return { tag, frames, bytes: size };
  }
  const vbri = offset + 4 + 32;
  if (ascii(bytes, vbri, 4) === "VBRI" && vbri + 18 <= bytes.length) {
    return { tag: "VBRI", bytes: readUint32(bytes, vbri + 10), frames: readUint32(bytes, vbri + 14) };
  }
  return null;
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  if (offset + length > bytes.length) return "";
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

const readUint32 = (b: Uint8Array, o: number) => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
