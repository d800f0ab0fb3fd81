import type { PcmBlock } from "./pcm";

/** Interpolation filter length (libebur128's): 49 taps, of which the Hann window zeroes both ends. */
const TAPS = 49;
/** Outputs checked together against the running peak before any of them is interpolated. */
const SPAN = 32;

/**
 * True peak (ITU-R BS.1770-4 Annex 2): the largest absolute value of the signal oversampled 4×
 * below 96 kHz (2× below 192 kHz), with libebur128's windowed-sinc polyphase interpolator.
 *
 * Interpolating every sample costs 36 multiply-adds per channel per sample, as much as the rest
 * of the analysis together. But no interpolated value can exceed the largest input within the
 * filter's reach times the filter's largest absolute gain (`bound`), so a stretch of SPAN outputs
 * whose inputs are all that far below the peak found so far is skipped: in music, most of it.
 */
export class TruePeakMeter {
  /** Per phase 1…factor−1, its coefficients for x[n], x[n−1], …; phase 0 is a delayed x itself. */
  private readonly phases: Float64Array[];
  private readonly reach: number;
  private readonly bound: number;
  /** Per channel: the last `reach` inputs of the previous block, then the current block. */
  private readonly work: Float32Array[];
  private peak = 0;

  constructor(sampleRate: number, channels: number) {
    const factor = sampleRate < 96000 ? 4 : sampleRate < 192000 ? 2 : 1;
    this.phases = interpolationPhases(factor);
    this.reach = Math.max(0, ...this.phases.map((h) => h.length));
    this.bound = Math.max(1, ...this.phases.map((h) => h.reduce((sum, c) => sum + Math.abs(c), 0)));
    this.work = Array.from({ length: channels }, () => new Float32Array(this.reach + 16384));
  }

  add(block: PcmBlock): void {
    for (let c = 0; c < block.channels.length; c++) {
      let w = this.work[c]!;
      if (w.length < this.reach + block.frames) {
        // A longer block than any before: a larger buffer, with the history carried over.
        const grown = new Float32Array(this.reach + block.frames);
        grown.set(w.subarray(0, this.reach));
        w = this.work[c] = grown;
      }
      w.set(block.channels[c]!.subarray(0, block.frames), this.reach);
      this.scan(w, block.frames);
      w.copyWithin(0, block.frames, block.frames + this.reach);
    }
  }

  /** The true peak in dBTP, or null for digital silence. */
  dbtp(): number | null {
    return this.peak > 0 ? 20 * Math.log10(this.peak) : null;
  }

  /** Input n of the block is w[reach + n]; phase outputs at n weigh w[reach + n − k], k < reach. */
  private scan(w: Float32Array, frames: number): void {
    const { reach, phases, bound } = this;
    let peak = this.peak;
    for (let start = 0; start < frames; start += SPAN) {
      const end = Math.min(frames, start + SPAN);
      let max = 0;
      for (let i = start; i < end + reach; i++) {
        const v = Math.abs(w[i]!);
        if (v > max) max = v;
      }
      if (max * bound <= peak) continue;
      for (let n = start + reach; n < end + reach; n++) {
        const x = Math.abs(w[n]!);
        if (x > peak) peak = x;
        for (let f = 0; f < phases.length; f++) {
          const h = phases[f]!;
          let y = 0;
          for (let k = 0; k < h.length; k++) y += h[k]! * w[n - k]!;
          if (Math.abs(y) > peak) peak = Math.abs(y);
        }
      }
    }
    this.peak = peak;
  }
}

/**
 * libebur128's interpolator (interp_create): a Hann-windowed sinc of TAPS taps, split into
 * `factor` phases; tap j belongs to phase j % factor and weighs the input ⌊j / factor⌋ samples back.
 * Phase 0 reduces to a single tap of 1 (the sinc's zeros), so only the others are returned.
 */
function interpolationPhases(factor: number): Float64Array[] {
  if (factor === 1) return [];
  const phases = Array.from({ length: factor - 1 }, () => new Float64Array(Math.ceil(TAPS / factor)));
  for (let j = 0; j < TAPS; j++) {
    const f = j % factor;
    if (f === 0) continue;
    const m = j - (TAPS - 1) / 2;
    const sinc = Math.sin((m * Math.PI) / factor) / ((m * Math.PI) / factor);
    const window = 0.5 * (1 - Math.cos((2 * Math.PI * j) / (TAPS - 1)));
    phases[f - 1]![Math.floor(j / factor)] = sinc * window;
  }
  // Trailing zero taps (the window's ends) cost time and weigh nothing.
  return phases.map((h) => {
    let n = h.length;
    while (n > 0 && Math.abs(h[n - 1]!) < 1e-12) n--;
    return h.subarray(0, n);
  });
}
