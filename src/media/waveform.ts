import type { PcmBlock } from "./pcm";

/** Fine buckets kept per output pixel (8 to 16 of them): pixel edges fall at most 1/8 of a pixel off. */
const OVERSAMPLING = 16;

/** tracks.waveform_data: BBC audiowaveform's JSON format, 8-bit, one channel (the mix). */
export interface Waveform {
  version: 2;
  channels: 1;
  sample_rate: number;
  samples_per_pixel: number;
  bits: 8;
  length: number;
  data: number[];
}

/**
 * Min/max peaks of the mono mix over a fixed number of pixels, in one pass over audio whose length
 * is not known in advance (an MP3 says it only once decoded). It keeps min/max per fine bucket,
 * at most OVERSAMPLING × pixels of them: when they fill up, neighbours merge and buckets double
 * in length. At the end the buckets are grouped into the pixels: memory never depends on length.
 */
export class WaveformBuilder {
  private readonly mins: Float32Array;
  private readonly maxs: Float32Array;
  private bucketFrames = 1;
  private buckets = 0;
  private inBucket = 0;
  private min = Infinity;
  private max = -Infinity;
  private frames = 0;

  constructor(private readonly sampleRate: number, private readonly pixels: number) {
    this.mins = new Float32Array(OVERSAMPLING * pixels);
    this.maxs = new Float32Array(OVERSAMPLING * pixels);
  }

  add(block: PcmBlock): void {
    const [left, right] = block.channels;
    let i = 0;
    while (i < block.frames) {
      const n = Math.min(this.bucketFrames - this.inBucket, block.frames - i);
      let min = this.min, max = this.max;
      const end = i + n;
      if (right) {
        for (; i < end; i++) {
          const v = (left![i]! + right[i]!) * 0.5;
          if (v < min) min = v;
          if (v > max) max = v;
        }
      } else {
        for (; i < end; i++) {
          const v = left![i]!;
          if (v < min) min = v;
          if (v > max) max = v;
        }
      }
      this.min = min;
      this.max = max;
      this.inBucket += n;
      if (this.inBucket === this.bucketFrames) this.closeBucket();
    }
    this.frames += block.frames;
  }

  /** The peaks over `pixels` pixels (fewer when the audio has fewer samples). */
  finish(): Waveform {
    if (this.inBucket > 0) this.closeBucket();
    if (this.frames === 0) return { version: 2, channels: 1, sample_rate: this.sampleRate, samples_per_pixel: 1, bits: 8, length: 0, data: [] };
    // Exactly `pixels` pixels: the remainder of the division (under one sample per pixel) goes to the last one.
    const pixels = Math.min(this.pixels, this.frames);
    const samplesPerPixel = Math.floor(this.frames / pixels);
    const data: number[] = new Array(pixels * 2);
    for (let p = 0; p < pixels; p++) {
      // The buckets that begin inside the pixel's samples; at least one.
      const from = Math.min(this.buckets - 1, Math.floor((p * samplesPerPixel) / this.bucketFrames));
      const to = p === pixels - 1 ? this.buckets : Math.max(from + 1, Math.floor(((p + 1) * samplesPerPixel) / this.bucketFrames));
      let min = Infinity, max = -Infinity;
      for (let b = from; b < to; b++) {
        if (this.mins[b]! < min) min = this.mins[b]!;
        if (this.maxs[b]! > max) max = this.maxs[b]!;
      }
      data[2 * p] = toInt8(min);
      data[2 * p + 1] = toInt8(max);
    }
    return { version: 2, channels: 1, sample_rate: this.sampleRate, samples_per_pixel: samplesPerPixel, bits: 8, length: pixels, data };
  }

  private closeBucket(): void {
    this.mins[this.buckets] = this.min;
    this.maxs[this.buckets] = this.max;
    this.buckets++;
    if (this.buckets === this.mins.length) this.mergeBuckets();
    this.inBucket = 0;
    this.min = Infinity;
    this.max = -Infinity;
  }

  private mergeBuckets(): void {
    const half = this.buckets >> 1;
    for (let b = 0; b < half; b++) {
      this.mins[b] = Math.min(this.mins[2 * b]!, this.mins[2 * b + 1]!);
      this.maxs[b] = Math.max(this.maxs[2 * b]!, this.maxs[2 * b + 1]!);
    }
    this.buckets = half;
    this.bucketFrames *= 2;
  }
}

/** audiowaveform's 8-bit scale: a 16-bit sample shifted right by 8, i.e. ⌊x × 128⌋ clamped. */
const toInt8 = (x: number) => Math.max(-128, Math.min(127, Math.floor(x * 128)));
