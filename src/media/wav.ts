import { MediaError } from "./errors";
import type { PcmBlock } from "./pcm";
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE, concatBytes, PlanarBuffers, type SourceDecoder, type SourceFormat } from "./source";

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** The longest header (RIFF, fmt and whatever chunks precede the data) kept in memory. */
const MAX_HEADER_BYTES = 1 << 20;

type Encoding = "int" | "float";

interface Layout {
  encoding: Encoding;
  bits: number;
  channels: 1 | 2;
  blockAlign: number;
  sampleRate: number;
}

/**
 * A streaming RIFF/WAVE decoder: PCM 8/16/24/32-bit, IEEE float 32/64-bit, plain or
 * WAVE_FORMAT_EXTENSIBLE, mono or stereo. Chunks before `data` (LIST, bext, ...) are skipped
 * without being held, so a large one costs nothing; the data chunk is converted as it arrives.
 */
export class WavDecoder implements SourceDecoder {
  format: SourceFormat | null = null;
  private layout: Layout | null = null;
  /** Header bytes not yet parsed, then the bytes of a sample frame split across two chunks. */
  private pending: Uint8Array = new Uint8Array(0);
  /** Bytes of a skipped chunk still to come. */
  private skip = 0;
  /** Bytes of the data chunk still expected, or Infinity when its size is unknown (streamed WAV). */
  private dataLeft = 0;
  private dataDeclared = 0;
  private inData = false;
  /** The RIFF/WAVE header was seen (and dropped from `pending`). */
  private riff = false;
  private headerBytes = 0;
  private readonly output = new PlanarBuffers();

  async decode(bytes: Uint8Array): Promise<PcmBlock | null> {
    if (this.skip > 0) {
      const n = Math.min(this.skip, bytes.length);
      this.skip -= n;
      bytes = bytes.subarray(n);
    }
    if (!this.inData) {
      this.pending = concatBytes(this.pending, bytes);
      if (!this.parseHeader()) return null;
      bytes = this.pending;
      this.pending = new Uint8Array(0);
    }
    return this.convert(bytes);
  }

  async finish(): Promise<PcmBlock | null> {
    if (!this.inData) {
      throw new MediaError(this.riff ? "Not a valid WAV file: it ends before its audio data." : "Not a WAV file: the RIFF/WAVE header is missing.");
    }
    if (this.dataLeft !== Infinity && this.dataLeft > 0) {
      throw new MediaError(`The WAV file is truncated: its data chunk declares ${this.dataDeclared} bytes but the file ends after ${this.dataDeclared - this.dataLeft}.`);
    }
    return null;
  }

  averageBitrate(): number {
    return this.format!.bitrate!;
  }

  free(): void {}

  /** Parses what the header buffer holds; true once the data chunk starts (left in `pending`). */
  private parseHeader(): boolean {
    let b = this.pending;
    if (!this.riff) {
      if (b.length < 12) return false;
      if (!isRiffWave(b)) {
        throw new MediaError(ascii(b, 0, 4) === "RIFX" ? "Unsupported WAV file: big-endian (RIFX) WAV is not supported." : "Not a WAV file: the RIFF/WAVE header is missing.");
      }
      this.riff = true;
      b = b.subarray(12);
    }
    // `b` starts at a chunk boundary.
    let p = 0;
    while (p + 8 <= b.length) {
      const id = ascii(b, p, 4);
      const size = readUint32LE(b, p + 4);
      const body = p + 8;
      if (id === "data") {
        if (!this.layout) throw new MediaError("Not a valid WAV file: the audio data comes before its format (fmt) chunk.");
        this.startData(size);
        this.pending = b.subarray(body);
        return true;
      }
      if (id === "fmt ") {
        if (body + size > b.length) break;
        this.layout = parseFmt(b.subarray(body, body + size));
      } else if (body + size > b.length) {
        // A chunk this parser does not need (LIST, bext, ...): skip the rest of it as it streams past.
        this.skip = body + size + (size & 1) - b.length;
        this.pending = new Uint8Array(0);
        return false;
      }
      p = body + size + (size & 1);
    }
    this.headerBytes += p;
    if (this.headerBytes + b.length - p > MAX_HEADER_BYTES) throw new MediaError("Not a valid WAV file: no audio data found in its first megabyte.");
    // Kept across calls: a copy, as the caller may reuse the chunk's buffer.
    this.pending = b.slice(Math.min(p, b.length));
    return false;
  }

  private startData(size: number): void {
    const layout = this.layout!;
    this.inData = true;
    this.dataDeclared = size;
    // 0 and 0xFFFFFFFF are what recorders write while they stream; either way, read to the end.
    this.dataLeft = size === 0 || size === 0xffffffff ? Infinity : size;
    this.format = {
      codec: layout.encoding === "float" ? `pcm_f${layout.bits}le` : layout.bits === 8 ? "pcm_u8" : `pcm_s${layout.bits}le`,
      sampleRate: layout.sampleRate,
      channels: layout.channels,
      bitDepth: layout.bits,
      bitrate: layout.sampleRate * layout.blockAlign * 8,
    };
  }

  /**
   * Converts the data bytes of a chunk. A sample frame split across two chunks is completed from
   * the few bytes kept of the previous one, rather than by copying the whole chunk behind them;
   * nothing of `bytes` is kept (the caller may reuse its buffer).
   */
  private convert(bytes: Uint8Array): PcmBlock | null {
    if (this.dataLeft !== Infinity) {
      if (bytes.length > this.dataLeft) bytes = bytes.subarray(0, this.dataLeft); // trailing chunks
      this.dataLeft -= bytes.length;
    }
    const layout = this.layout!;
    const { blockAlign } = layout;
    let head: Uint8Array | null = null;
    if (this.pending.length > 0) {
      const need = blockAlign - this.pending.length;
      if (bytes.length < need) {
        this.pending = concatBytes(this.pending, bytes).slice();
        return null;
      }
      head = concatBytes(this.pending, bytes.subarray(0, need));
      bytes = bytes.subarray(need);
      this.pending = new Uint8Array(0);
    }
    const frames = Math.floor(bytes.length / blockAlign);
    if (frames * blockAlign < bytes.length) this.pending = bytes.slice(frames * blockAlign);
    const total = frames + (head ? 1 : 0);
    if (total === 0) return null;
    const out = this.output.ensure(layout.channels, total);
    if (head) convertSamples(head, 1, layout, out, 0);
    convertSamples(bytes, frames, layout, out, head ? 1 : 0);
    return { channels: out, frames: total };
  }
}

function parseFmt(fmt: Uint8Array): Layout {
  if (fmt.length < 16) throw new MediaError("Not a valid WAV file: its format (fmt) chunk is too short.");
  let tag = readUint16LE(fmt, 0);
  const channels = readUint16LE(fmt, 2);
  const sampleRate = readUint32LE(fmt, 4);
  const blockAlign = readUint16LE(fmt, 12);
  let bits = readUint16LE(fmt, 14);
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    if (fmt.length < 40) throw new MediaError("Not a valid WAV file: its WAVE_FORMAT_EXTENSIBLE format chunk is too short.");
    // The sub-format GUID begins with the plain format tag; its valid bits may be fewer than the container's.
    tag = readUint16LE(fmt, 24);
    const valid = readUint16LE(fmt, 18);
    if (valid > 0 && valid < bits) bits = valid <= 8 ? 8 : valid <= 16 ? 16 : valid <= 24 ? 24 : 32;
  }
  const containerBits = fmt.length >= 16 ? readUint16LE(fmt, 14) : bits;
  const encoding: Encoding | null = tag === WAVE_FORMAT_PCM ? "int" : tag === WAVE_FORMAT_IEEE_FLOAT ? "float" : null;
  if (!encoding) throw new MediaError(`Unsupported WAV encoding (format tag 0x${tag.toString(16).padStart(4, "0")}): only PCM and IEEE float WAV files are supported.`);
  if (encoding === "int" ? ![8, 16, 24, 32].includes(containerBits) : ![32, 64].includes(containerBits)) {
    throw new MediaError(`Unsupported WAV file: ${containerBits}-bit ${encoding === "int" ? "PCM" : "float"} samples are not supported.`);
  }
  if (channels === 0) throw new MediaError("Not a valid WAV file: it declares no channels.");
  if (channels > 2) throw new MediaError(`Unsupported WAV file: it has ${channels} channels; only mono and stereo are supported.`);
  if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
    throw new MediaError(`Unsupported WAV file: a sample rate of ${sampleRate} Hz is outside ${MIN_SAMPLE_RATE}–${MAX_SAMPLE_RATE} Hz.`);
  }
  if (blockAlign !== channels * (containerBits / 8)) throw new MediaError(`Not a valid WAV file: its block alignment (${blockAlign}) does not match ${channels} × ${containerBits}-bit samples.`);
  return { encoding, bits: encoding === "float" ? containerBits : bits, channels: channels as 1 | 2, blockAlign, sampleRate };
}

/** Little-endian interleaved samples to planar floats from out[…][at]; one loop per layout keeps each tight. */
function convertSamples(b: Uint8Array, frames: number, layout: Layout, out: Float32Array[], at: number): void {
  const channels = layout.channels;
  const width = layout.blockAlign / channels;
  for (let c = 0; c < channels; c++) {
    const dst = at === 0 ? out[c]! : out[c]!.subarray(at);
    let p = c * width;
    const stride = layout.blockAlign;
    if (layout.encoding === "float") {
      const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
      // NaN and infinities (v - v is NaN for both) become silence rather than poisoning every measure.
      for (let i = 0; i < frames; i++, p += stride) {
        const v = width === 4 ? view.getFloat32(p, true) : view.getFloat64(p, true);
        dst[i] = v - v === 0 ? v : 0;
      }
    } else if (width === 2) {
      for (let i = 0; i < frames; i++, p += stride) dst[i] = (((b[p + 1]! << 24) | (b[p]! << 16)) >> 16) / 32768;
    } else if (width === 3) {
      for (let i = 0; i < frames; i++, p += stride) dst[i] = (((b[p + 2]! << 24) | (b[p + 1]! << 16) | (b[p]! << 8)) >> 8) / 8388608;
    } else if (width === 4) {
      for (let i = 0; i < frames; i++, p += stride) dst[i] = ((b[p + 3]! << 24) | (b[p + 2]! << 16) | (b[p + 1]! << 8) | b[p]!) / 2147483648;
    } else {
      for (let i = 0; i < frames; i++, p += stride) dst[i] = (b[p]! - 128) / 128; // 8-bit WAV is unsigned
    }
  }
}

const isRiffWave = (b: Uint8Array) => ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 4) === "WAVE";
const ascii = (b: Uint8Array, o: number, n: number) => (o + n <= b.length ? String.fromCharCode(...b.subarray(o, o + n)) : "");
const readUint16LE = (b: Uint8Array, o: number) => b[o]! | (b[o + 1]! << 8);
const readUint32LE = (b: Uint8Array, o: number) => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
