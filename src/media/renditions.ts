import type { Lame, Mp3Encoder } from "./lame";
import type { PcmBlock } from "./pcm";
import { Segmenter, type Segment } from "./hls";
import type { SourceFormat } from "./source";

/** The MP3 ladder, in kbps: mobile data, the default, and transparent. */
export const LADDER_KBPS = [64, 128, 256] as const;
/** A VBR source's average is an estimate: within this much of a rung, the rung is not an upscale. */
const BITRATE_TOLERANCE = 1.02;

/**
 * The renditions a source gets, in kbps, highest first. An MP3 source only gets the rungs at or
 * below its own bitrate, since re-encoding can only lose quality (always the lowest rung, so that
 * there is something to play); lossless and PCM sources get the whole ladder.
 */
export function ladderFor(format: SourceFormat): number[] {
  const lossy = format.codec === "mp3" || format.codec === "mp2" || format.codec === "mp1";
  const rungs = LADDER_KBPS.filter((kbps, i) => i === 0 || !lossy || kbps * 1000 <= (format.bitrate ?? 0) * BITRATE_TOLERANCE);
  return rungs.reverse();
}

/**
 * The MP3's sample rate: the source's when MPEG-1 Layer III has it (32, 44.1 and 48 kHz, the only
 * rates at which 256 kbps exists); otherwise LAME resamples, to the related rate below a higher
 * one (88.2 → 44.1 kHz, 96 → 48 kHz) or up to 32 kHz from a lower one.
 */
export function mp3SampleRate(sourceRate: number): number {
  if (sourceRate === 32000 || sourceRate === 44100 || sourceRate === 48000) return sourceRate;
  if (sourceRate > 48000) return sourceRate % 11025 === 0 ? 44100 : 48000;
  return 32000;
}

/** One rung: its encoder feeding its segmenter. */
export class Rendition {
  readonly name: string;
  readonly segmenter: Segmenter;
  private readonly encoder: Mp3Encoder;

  constructor(lame: Lame, format: SourceFormat, readonly kbps: number) {
    this.name = `${kbps}k`;
    const outputSampleRate = mp3SampleRate(format.sampleRate);
    this.encoder = lame.encoder({ channels: format.channels, sampleRate: format.sampleRate, outputSampleRate, bitrate: kbps });
    this.segmenter = new Segmenter(this.name, kbps, outputSampleRate);
  }

  /** Encodes a block, handing `emit` each segment it completes. */
  encode(block: PcmBlock, emit: (segment: Segment) => Promise<void>): Promise<void> {
    return this.segmenter.push(this.encoder.encode(block.channels, block.frames), emit);
  }

  /** Flushes the encoder, handing `emit` the last segments. */
  async finish(emit: (segment: Segment) => Promise<void>): Promise<void> {
    await this.segmenter.push(this.encoder.flush(), emit);
    await this.segmenter.finish(emit);
  }

  free(): void {
    this.encoder.free();
  }
}
