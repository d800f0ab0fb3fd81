import { MPEGDecoder } from "mpg123-decoder";
import { MediaError } from "./errors";
import { parseFrameHeader, parseVbrHeader, type MpegFrameHeader, type VbrHeader } from "./mpeg-audio";
import type { PcmBlock } from "./pcm";
import { concatBytes, id3v2Size, type SourceDecoder, type SourceFormat } from "./source";
import mpg123Wasm from "./wasm/mpg123-decoder.wasm";

/** How far past its ID3v2 tag an MP3 may be before its first frame (junk, a second tag, ...). */
const MAX_SYNC_SEARCH = 64 * 1024;

/**
 * MPEG audio (MP3, and layers I/II) through mpg123 (mpg123-decoder), gapless: the encoder delay
 * and padding a LAME/Xing header declares are trimmed, so the duration is the original's. The
 * ID3v2 tag (which may hold megabytes of cover art) is skipped here rather than fed to mpg123, and
 * the first frame is found and checked here too: its header gives the format, and a Xing/Info/VBRI
 * header in it the average bitrate of a VBR file, before any audio is decoded.
 */
export class Mp3Decoder implements SourceDecoder {
  format: SourceFormat | null = null;
  private decoder: MPEGDecoder | null = null;
  private head: Uint8Array = new Uint8Array(0);
  private tagSkip = -1;
  private synced = false;
  /** Bytes looked through for the first frame, tag excluded. */
  private searched = 0;
  private first: MpegFrameHeader | null = null;
  private vbr: VbrHeader | null = null;
  private audioBytes = 0;
  private decoded = 0;

  async decode(bytes: Uint8Array): Promise<PcmBlock | null> {
    if (!this.synced) {
      bytes = this.sync(bytes);
      if (!this.synced) return null;
      MPEGDecoderWithModule.module = mpg123Wasm;
      this.decoder = new MPEGDecoder();
      await this.decoder.ready;
    }
    this.audioBytes += bytes.length;
    return this.output(this.decoder!.decode(bytes));
  }

  async finish(): Promise<PcmBlock | null> {
    if (!this.synced) {
      throw new MediaError(this.tagSkip > 0 ? "Not a valid MP3 file: it ends inside its ID3 tag." : "Not an MP3 file: no MPEG audio frame was found.");
    }
    if (this.decoded === 0) throw new MediaError("Not a valid MP3 file: no MPEG audio frame could be decoded.");
    const declared = this.vbr?.frames;
    // A Xing/VBRI header counts the frames; mpg123 trims at most a frame or two of delay and padding.
    if (declared && this.decoded < (declared - 3) * this.first!.samplesPerFrame) {
      throw new MediaError(`The MP3 file is truncated: ${Math.floor(this.decoded / this.first!.samplesPerFrame)} of its ${declared} frames could be decoded.`);
    }
    return null;
  }

  averageBitrate(frames: number): number {
    // CBR: the nominal rate. VBR: what the frames hold over what they play (tags excluded).
    if (!this.vbr || this.vbr.tag === "Info") return this.first!.bitrate;
    return Math.round((this.audioBytes * 8 * this.first!.sampleRate) / frames);
  }

  free(): void {
    this.decoder?.free();
    this.decoder = null;
  }

  private output(result: { channelData: Float32Array[]; samplesDecoded: number; errors: { message: string }[] }): PcmBlock | null {
    if (result.samplesDecoded === 0) {
      if (result.errors.length > 0) throw new MediaError(`Not a valid MP3 file: ${result.errors[0]!.message.trim()}.`);
      return null;
    }
    this.decoded += result.samplesDecoded;
    // mpg123 always returns two channels; a mono source has the same samples in both.
    return { channels: result.channelData.slice(0, this.format!.channels), frames: result.samplesDecoded };
  }

  /**
   * Skips the ID3v2 tag and finds the first frame: a valid header followed by another valid header
   * of the same stream, so that a stray sync word in junk is not mistaken for audio. Returns the
   * bytes from that frame on once found.
   */
  private sync(bytes: Uint8Array): Uint8Array {
    if (this.tagSkip > 0) {
      const n = Math.min(this.tagSkip, bytes.length);
      this.tagSkip -= n;
      bytes = bytes.subarray(n);
      if (this.tagSkip > 0) return bytes;
    }
    const b = concatBytes(this.head, bytes);
    if (this.tagSkip < 0) {
      if (b.length < 10) {
        this.head = b.slice();
        return b;
      }
      this.tagSkip = id3v2Size(b);
      if (this.tagSkip > 0) {
        this.head = new Uint8Array(0);
        return this.sync(b);
      }
    }
    for (let p = 0; p + 4 <= b.length; p++) {
      const header = parseFrameHeader(b, p);
      if (!header) continue;
      const next = p + header.frameLength;
      if (next + 4 > b.length) {
        this.head = b.slice(p); // wait for the next frame's header (a copy: the chunk's buffer may be reused)
        return b;
      }
      const second = parseFrameHeader(b, next);
      if (second && second.version === header.version && second.layer === header.layer && second.sampleRate === header.sampleRate) {
        this.accept(b, p, header);
        return b.subarray(p);
      }
    }
    const kept = Math.min(3, b.length);
    this.searched += b.length - kept;
    if (this.searched > MAX_SYNC_SEARCH) throw new MediaError("Not an MP3 file: no MPEG audio frame was found.");
    this.head = b.slice(b.length - kept);
    return b;
  }

  private accept(b: Uint8Array, offset: number, header: MpegFrameHeader): void {
    this.synced = true;
    this.head = new Uint8Array(0);
    this.first = header;
    this.vbr = parseVbrHeader(b, offset, header);
    let bitrate = header.bitrate;
    if (this.vbr?.frames && this.vbr.bytes) {
      bitrate = Math.round((this.vbr.bytes * 8 * header.sampleRate) / (this.vbr.frames * header.samplesPerFrame));
    }
    const codec = header.layer === 3 ? "mp3" : header.layer === 2 ? "mp2" : "mp1";
    this.format = { codec, sampleRate: header.sampleRate, channels: header.channels, bitrate };
  }
}

/** mpg123-decoder reads its WebAssembly.Module from this static, which its types leave out. */
const MPEGDecoderWithModule = MPEGDecoder as typeof MPEGDecoder & { module?: WebAssembly.Module };
