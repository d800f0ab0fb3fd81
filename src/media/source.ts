import type { PcmBlock } from "./pcm";

/** What the pipeline needs to know about a source before it can measure and encode it. */
export interface SourceFormat {
  codec: string;
  sampleRate: number;
  channels: 1 | 2;
  bitDepth?: number;
  /** The source's bitrate when its header says it (bits/s): WAV, and MP3, whose ladder it caps. */
  bitrate?: number;
}

/**
 * A streaming decoder of one source format. Bytes go in as they are read; decoded audio comes out
 * as soon as there is some. Throws MediaError when the bytes are not (or stop being) that format.
 */
export interface SourceDecoder {
  /** Known from the first block of audio `decode` returns (and no later). */
  readonly format: SourceFormat | null;
  /** The decoded audio these bytes completed, if any: valid until the next call. */
  decode(bytes: Uint8Array): Promise<PcmBlock | null>;
  /** The end of the source: the audio still held back, after checking nothing is missing. */
  finish(): Promise<PcmBlock | null>;
  /** The source's average bitrate (bits/s), once `frames` sample frames were decoded. */
  averageBitrate(frames: number): number;
  free(): void;
}

/** The sample rates Veza accepts, whatever the container: telephone-quality to studio masters. */
export const MIN_SAMPLE_RATE = 8000;
export const MAX_SAMPLE_RATE = 192000;

/** Planar output buffers of a decoder, grown when a chunk needs more and otherwise reused. */
export class PlanarBuffers {
  channels: Float32Array[] = [];

  ensure(channels: number, frames: number): Float32Array[] {
    if (this.channels.length !== channels || this.channels[0]!.length < frames) {
      const size = Math.max(frames, 4096);
      this.channels = Array.from({ length: channels }, () => new Float32Array(size));
    }
    return this.channels;
  }
}

/** a then b, without copying when either is empty. */
export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The length of the ID3v2 tag `b` starts with (a syncsafe size after a 10-byte header, plus a footer when flagged), or 0. */
export const id3v2Size = (b: Uint8Array) =>
  b[0] === 0x49 && b[1] === 0x44 && b[2] === 0x33 && b.length >= 10
    ? 10 + (((b[6]! & 0x7f) << 21) | ((b[7]! & 0x7f) << 14) | ((b[8]! & 0x7f) << 7) | (b[9]! & 0x7f)) + (b[5]! & 0x10 ? 10 : 0)
    : 0;
