import { MediaError } from "./errors";
import { FLACDecoder, FLACFrameDecoder } from "./flac-decoder.js";
import type { PcmBlock } from "./pcm";
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE, concatBytes, id3v2Size, type SourceDecoder, type SourceFormat } from "./source";
import flacWasm from "./wasm/flac-decoder.wasm";

/** The longest metadata (STREAMINFO, tags, ...) kept in memory; pictures are skipped, not held. */
const MAX_METADATA_BLOCK = 1 << 20;

interface StreamInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** 0 when the encoder did not know (a stream). */
  totalSamples: number;
}

/**
 * FLAC through libFLAC (@wasm-audio-decoders/flac). This class reads the `fLaC` signature and the
 * metadata blocks itself, so that the frames alone reach the decoder, large embedded pictures are
 * skipped rather than buffered, and the format is known before the first frame. libFLAC's framing
 * (codec-parser) resynchronises past a damaged frame and drops it silently: comparing the samples
 * decoded with STREAMINFO's total is what reveals a corrupt or truncated file.
 */
export class FlacDecoder implements SourceDecoder {
  format: SourceFormat | null = null;
  private info: StreamInfo | null = null;
  private decoder: InstanceType<typeof FLACDecoder> | null = null;
  /** Bytes of an incomplete metadata block header (or of the signature). */
  private header: Uint8Array = new Uint8Array(0);
  private signature = false;
  private metadataDone = false;
  /** Bytes of a metadata block still to skip, and whether it is the last one. */
  private skip = 0;
  private skippingLast = false;
  private frameBytes = 0;
  private decoded = 0;

  async decode(bytes: Uint8Array): Promise<PcmBlock | null> {
    if (!this.metadataDone) {
      bytes = this.readMetadata(bytes);
      if (!this.metadataDone || bytes.length === 0) return null;
    }
    // The decoder instantiates its WebAssembly asynchronously, and decoding before it is ready throws.
    await this.decoder!.ready;
    this.frameBytes += bytes.length;
    return this.output(await this.decoder!.decode(bytes));
  }

  async finish(): Promise<PcmBlock | null> {
    if (!this.metadataDone) {
      throw new MediaError(this.signature ? "Not a valid FLAC stream: it ends inside its metadata." : "Not a FLAC file: the fLaC signature is missing.");
    }
    await this.decoder!.ready;
    const tail = this.output(await this.decoder!.flush());
    const { totalSamples } = this.info!;
    if (this.decoded === 0) throw new MediaError("Not a valid FLAC stream: no audio frame could be decoded.");
    if (totalSamples > 0 && this.decoded !== totalSamples) {
      throw new MediaError(`The FLAC file is corrupt or truncated: ${this.decoded} of its ${totalSamples} samples could be decoded.`);
    }
    return tail;
  }

  averageBitrate(frames: number): number {
    return Math.round((this.frameBytes * 8 * this.info!.sampleRate) / frames);
  }

  free(): void {
    this.decoder?.free();
    this.decoder = null;
  }

  private output(result: { channelData: Float32Array[]; samplesDecoded: number; errors: { message: string }[] }): PcmBlock | null {
    if (result.errors.length > 0) throw new MediaError(`Not a valid FLAC stream: ${result.errors[0]!.message.replace(/\s+/g, " ").trim()}.`);
    if (result.samplesDecoded === 0) return null;
    if (result.channelData.length !== this.info!.channels) {
      throw new MediaError(`Not a valid FLAC stream: a frame has ${result.channelData.length} channels where STREAMINFO declares ${this.info!.channels}.`);
    }
    this.decoded += result.samplesDecoded;
    return { channels: result.channelData, frames: result.samplesDecoded };
  }

  /** Consumes signature and metadata blocks; returns what follows them, once they are done. */
  private readMetadata(bytes: Uint8Array): Uint8Array {
    if (this.skip > 0) {
      const n = Math.min(this.skip, bytes.length);
      this.skip -= n;
      bytes = bytes.subarray(n);
      if (this.skip > 0) return new Uint8Array(0);
      if (this.skippingLast) {
        this.metadataDone = true;
        return bytes;
      }
    }
    let b = concatBytes(this.header, bytes);
    if (!this.signature) {
      if (b.length < 10) {
        this.header = b.slice();
        return new Uint8Array(0);
      }
      const tag = id3v2Size(b);
      if (tag > 0) {
        // Some taggers put an ID3v2 tag in front of the signature, which libFLAC tolerates too.
        this.header = new Uint8Array(0);
        this.skip = tag;
        return this.readMetadata(b);
      }
      if (!isFlac(b)) throw new MediaError("Not a FLAC file: the fLaC signature is missing.");
      this.signature = true;
      b = b.subarray(4);
    }
    // `b` starts at a metadata block header.
    let p = 0;
    while (p + 4 <= b.length) {
      const last = (b[p]! & 0x80) !== 0;
      const type = b[p]! & 0x7f;
      const size = (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
      const body = p + 4;
      if (!this.info && type !== 0) throw new MediaError("Not a valid FLAC stream: its first metadata block is not STREAMINFO.");
      if (type === 0) {
        if (body + size > b.length) break;
        this.setStreamInfo(b.subarray(body, body + size));
      } else if (body + size > b.length) {
        // A picture, tags or padding: let the rest of it stream past rather than hold it.
        this.skip = body + size - b.length;
        this.skippingLast = last;
        this.header = new Uint8Array(0);
        return new Uint8Array(0);
      }
      p = body + size;
      if (last) {
        this.metadataDone = true;
        this.header = new Uint8Array(0);
        return b.subarray(p);
      }
    }
    if (b.length - p > MAX_METADATA_BLOCK) throw new MediaError("Not a valid FLAC stream: its STREAMINFO block is implausibly large.");
    this.header = b.slice(p); // kept across calls: a copy, as the caller may reuse the chunk's buffer
    return new Uint8Array(0);
  }

  private setStreamInfo(block: Uint8Array): void {
    if (block.length < 34) throw new MediaError("Not a valid FLAC stream: its STREAMINFO block is too short.");
    const sampleRate = (block[10]! << 12) | (block[11]! << 4) | (block[12]! >> 4);
    const channels = ((block[12]! >> 1) & 7) + 1;
    const bitsPerSample = (((block[12]! & 1) << 4) | (block[13]! >> 4)) + 1;
    const totalSamples = (block[13]! & 0x0f) * 2 ** 32 + (((block[14]! << 24) | (block[15]! << 16) | (block[16]! << 8) | block[17]!) >>> 0);
    if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
      throw new MediaError(`Unsupported FLAC file: a sample rate of ${sampleRate} Hz is outside ${MIN_SAMPLE_RATE}–${MAX_SAMPLE_RATE} Hz.`);
    }
    if (channels > 2) throw new MediaError(`Unsupported FLAC file: it has ${channels} channels; only mono and stereo are supported.`);
    this.info = { sampleRate, channels, bitsPerSample, totalSamples };
    this.format = { codec: "flac", sampleRate, channels: channels as 1 | 2, bitDepth: bitsPerSample };
    FLACFrameDecoder.module = flacWasm;
    this.decoder = new FLACDecoder();
  }
}

const isFlac = (b: Uint8Array) => b[0] === 0x66 && b[1] === 0x4c && b[2] === 0x61 && b[3] === 0x43;
