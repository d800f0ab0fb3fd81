import { maxLayer3FrameLength, parseFrameHeader, parseVbrHeader, type MpegFrameHeader } from "./mpeg-audio";

/** Segments are cut at the last MPEG frame that keeps them within this many seconds. */
export const TARGET_SEGMENT_SECONDS = 6;
const ID3_OWNER = "com.apple.streaming.transportStreamTimestamp";
/** ID3v2.4 header (10) + PRIV frame header (10) + owner and its NUL + the 8-byte timestamp. */
export const TIMESTAMP_TAG_BYTES = 10 + 10 + ID3_OWNER.length + 1 + 8;

export interface Segment {
  name: string;
  bytes: Uint8Array;
  seconds: number;
}

/**
 * One rendition's HLS packaging (RFC 8216 §3.4, packed audio): the encoder's MP3 bytes are cut at
 * frame boundaries into segments of at most TARGET_SEGMENT_SECONDS, each starting with an ID3 tag
 * that gives the 90 kHz timestamp of its first sample, and the media playlist lists them.
 *
 * Bytes are parsed frame by frame as the encoder produces them (a frame may span two calls), so a
 * segment is handed on the moment its last frame is complete, and only the segment being filled
 * is held, in one buffer per rendition. Every frame is checked: a header that is not the expected
 * bitrate and sample rate would mean the encoder or this parser is broken, and nothing broken
 * should reach R2.
 */
export class Segmenter {
  readonly framesPerSegment: number;
  private readonly samplesPerFrame = 1152;
  /** The segment being filled: its tag, then its frames; reused from one segment to the next. */
  private readonly segment: Uint8Array;
  private used = 0;
  private framesInSegment = 0;
  /** Frames in the segments already cut. */
  private framesBefore = 0;
  /** The first bytes of a frame split across two pushes. */
  private readonly carry: Uint8Array;
  private carried = 0;
  private firstFrame = true;
  private readonly durations: number[] = [];
  private totalBytes = 0;
  private readonly sizes: number[] = [];

  /** `bitrate` in kbps. */
  constructor(readonly name: string, readonly bitrate: number, readonly sampleRate: number) {
    this.framesPerSegment = Math.floor((TARGET_SEGMENT_SECONDS * sampleRate) / this.samplesPerFrame);
    const maxFrame = maxLayer3FrameLength(bitrate * 1000, sampleRate);
    this.segment = new Uint8Array(TIMESTAMP_TAG_BYTES + this.framesPerSegment * maxFrame);
    this.carry = new Uint8Array(maxFrame);
    this.startSegment();
  }

  /**
   * Adds encoder output, handing each segment it completes to `emit` and waiting for it: the
   * segment's buffer is reused for the next one. `bytes` may be a view the encoder reuses: it is
   * consumed before this returns (a frame split across two calls waits in a small fixed buffer),
   * and the encoder is not called while `emit` runs. Nothing is allocated per call.
   */
  async push(bytes: Uint8Array, emit: (segment: Segment) => Promise<void>): Promise<void> {
    let p = 0;
    if (this.carried > 0) {
      // Complete the split frame from the head of `bytes`: its header first, for its length.
      if (this.carried < 4) {
        const n = Math.min(4 - this.carried, bytes.length);
        this.carry.set(bytes.subarray(0, n), this.carried);
        this.carried += n;
        p = n;
        if (this.carried < 4) return;
      }
      const header = this.frameHeader(this.carry, 0);
      const n = Math.min(header.frameLength - this.carried, bytes.length - p);
      this.carry.set(bytes.subarray(p, p + n), this.carried);
      this.carried += n;
      p += n;
      if (this.carried < header.frameLength) return;
      this.carried = 0;
      await this.addFrame(this.carry, 0, header.frameLength, emit);
    }
    while (p + 4 <= bytes.length) {
      const header = this.frameHeader(bytes, p);
      if (p + header.frameLength > bytes.length) break;
      await this.addFrame(bytes, p, header.frameLength, emit);
      p += header.frameLength;
    }
    this.carry.set(bytes.subarray(p));
    this.carried = bytes.length - p;
    this.totalBytes += bytes.length;
  }

  /** The last segment, once the encoder's output is all pushed. */
  async finish(emit: (segment: Segment) => Promise<void>): Promise<void> {
    if (this.carried > 0) throw new Error(`${this.name}: the encoder's output ends inside an MPEG frame`);
    if (this.framesInSegment > 0) await this.cut(emit);
  }

  get segmentCount(): number {
    return this.durations.length;
  }

  get seconds(): number {
    return (this.framesBefore * this.samplesPerFrame) / this.sampleRate;
  }

  /** The media playlist, once finished. */
  playlist(): string {
    const lines = [
      "#EXTM3U",
      "#EXT-X-VERSION:3",
      `#EXT-X-TARGETDURATION:${Math.max(1, ...this.durations.map((d) => Math.ceil(d)))}`,
      "#EXT-X-PLAYLIST-TYPE:VOD",
      "#EXT-X-MEDIA-SEQUENCE:0",
    ];
    this.durations.forEach((seconds, i) => lines.push(`#EXTINF:${formatSeconds(seconds)},`, segmentName(i)));
    lines.push("#EXT-X-ENDLIST", "");
    return lines.join("\n");
  }

  /**
   * BANDWIDTH and AVERAGE-BANDWIDTH (RFC 8216 §4.3.4.2): the peak is the highest bitrate of any run
   * of consecutive segments lasting 0.5–1.5 target durations, tags included, so that a short last
   * segment, whose tag weighs more, cannot inflate it.
   */
  bandwidth(): { peak: number; average: number } {
    const total = this.sizes.reduce((a, b) => a + b, 0);
    const seconds = this.durations.reduce((a, b) => a + b, 0);
    const average = Math.ceil((total * 8) / seconds);
    let peak = 0;
    for (let i = 0; i < this.sizes.length; i++) {
      let bytes = 0, time = 0;
      for (let j = i; j < this.sizes.length; j++) {
        bytes += this.sizes[j]!;
        time += this.durations[j]!;
        if (time > 1.5 * TARGET_SEGMENT_SECONDS) break;
        if (time >= 0.5 * TARGET_SEGMENT_SECONDS) peak = Math.max(peak, Math.ceil((bytes * 8) / time));
      }
    }
    return { peak: Math.max(peak, average), average };
  }

  private frameHeader(b: Uint8Array, p: number): MpegFrameHeader {
    const header = parseFrameHeader(b, p);
    if (!header || header.layer !== 3 || header.sampleRate !== this.sampleRate || header.bitrate !== this.bitrate * 1000) {
      throw new Error(`${this.name}: the encoder produced something other than ${this.bitrate} kbps MP3 frames at byte ${this.totalBytes + p - this.carried}`);
    }
    return header;
  }

  private async addFrame(b: Uint8Array, p: number, length: number, emit: (segment: Segment) => Promise<void>): Promise<void> {
    if (this.firstFrame) {
      this.firstFrame = false;
      // A Xing/Info frame (LAME writes one unless told not to) holds no audio, only seeking and
      // gapless data for a whole file.
      if (parseVbrHeader(b, p, parseFrameHeader(b, p)!)) return;
    }
    this.segment.set(b.subarray(p, p + length), this.used);
    this.used += length;
    this.framesInSegment++;
    if (this.framesInSegment === this.framesPerSegment) await this.cut(emit);
  }

  private async cut(emit: (segment: Segment) => Promise<void>): Promise<void> {
    const seconds = (this.framesInSegment * this.samplesPerFrame) / this.sampleRate;
    const segment = { name: segmentName(this.durations.length), bytes: this.segment.subarray(0, this.used), seconds };
    this.durations.push(seconds);
    this.sizes.push(this.used);
    this.framesBefore += this.framesInSegment;
    this.framesInSegment = 0;
    await emit(segment);
    this.startSegment();
  }

  /** Starts the next segment in the buffer: its timestamp tag, then room for the frames. */
  private startSegment(): void {
    const samples = this.framesBefore * this.samplesPerFrame;
    writeTimestampTag(this.segment, Math.round((samples * 90000) / this.sampleRate));
    this.used = TIMESTAMP_TAG_BYTES;
  }
}

export const segmentName = (index: number) => `seg-${String(index).padStart(5, "0")}.mp3`;

/**
 * The ID3v2.4 tag a packed-audio segment starts with: one PRIV frame, owner
 * com.apple.streaming.transportStreamTimestamp, holding the 33-bit MPEG-2 timestamp (90 kHz) of the
 * segment's first sample as 8 big-endian bytes. Sizes in ID3v2.4 headers are syncsafe (7 bits a byte).
 */
export function writeTimestampTag(out: Uint8Array, timestamp90k: number): void {
  const frameSize = ID3_OWNER.length + 1 + 8;
  out.set([0x49, 0x44, 0x33, 4, 0, 0], 0); // "ID3", v2.4.0, no flags
  out.set(syncsafe(10 + frameSize), 6);
  out.set([0x50, 0x52, 0x49, 0x56], 10); // "PRIV"
  out.set(syncsafe(frameSize), 14);
  out.set([0, 0], 18);
  for (let i = 0; i < ID3_OWNER.length; i++) out[20 + i] = ID3_OWNER.charCodeAt(i);
  const at = 20 + ID3_OWNER.length + 1; // after the owner's NUL
  const ts = timestamp90k % 2 ** 33;
  new DataView(out.buffer, out.byteOffset).setUint32(at, Math.floor(ts / 2 ** 32));
  new DataView(out.buffer, out.byteOffset).setUint32(at + 4, ts >>> 0);
}

const syncsafe = (n: number) => [(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f];

/** Seconds to the microsecond, without trailing zeros: EXTINF is a decimal-floating-point (version 3). */
const formatSeconds = (s: number) => String(Number(s.toFixed(6)));

/** The master playlist: one variant per rendition, in the order given. */
export function masterPlaylist(variants: { uri: string; peak: number; average: number }[]): string {
  const lines = ["#EXTM3U", "#EXT-X-VERSION:3"];
  for (const v of variants) {
    // mp4a.40.34 is MP3 in RFC 6381 terms, as Apple's HLS authoring spec writes it.
    lines.push(`#EXT-X-STREAM-INF:BANDWIDTH=${v.peak},AVERAGE-BANDWIDTH=${v.average},CODECS="mp4a.40.34"`, v.uri);
  }
  lines.push("");
  return lines.join("\n");
}
