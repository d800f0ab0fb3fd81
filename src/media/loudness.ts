import type { PcmBlock } from "./pcm";

/** Gating (ITU-R BS.1770-4 §2.8): blocks at or below −70 LUFS never count, nor those 10 LU below the mean. */
const ABSOLUTE_GATE = -70;
const RELATIVE_GATE = -10;
/**
 * Block loudnesses are kept as a histogram of 0.01 LU bins from the absolute gate up, each bin
 * holding its blocks' exact energy sum: memory is fixed whatever the length, and the result is
 * exact except for the blocks in the one bin the relative gate cuts (ffmpeg keeps only counts, at
 * the same resolution). Louder than +20 LUFS lands in the top bin, with its energy still exact.
 */
const BINS_PER_LU = 100;
const BIN_COUNT = (20 - ABSOLUTE_GATE) * BINS_PER_LU;

/**
 * Integrated loudness (EBU R128 / ITU-R BS.1770-4): K-weighting, then mean square energy over
 * 400 ms blocks that overlap by 75 %, then the two gates. The K-weighting filters are derived for
 * the actual sample rate from their analogue prototypes, as libebur128 and ffmpeg's ebur128 do,
 * rather than the 48 kHz coefficients of the standard's table.
 */
export class LoudnessMeter {
  /** Pre-filter (high shelf) then RLB high-pass, as two biquads in series, in float64. */
  private readonly shelf: Biquad;
  private readonly highPass: Biquad;
  /** Filter memory per channel: x1, x2, y1, y2 of the shelf, then y1, y2 of the high-pass. */
  private readonly state: Float64Array[];
  private readonly hop: number;
  private hopFilled = 0;
  private hopEnergy = 0;
  /** Energy sums of the last four 100 ms hops, a ring. */
  private readonly hops = new Float64Array(4);
  private hopCount = 0;
  private readonly binEnergy = new Float64Array(BIN_COUNT);
  private readonly binBlocks = new Float64Array(BIN_COUNT);

  constructor(sampleRate: number, channels: number) {
    [this.shelf, this.highPass] = kWeighting(sampleRate);
    this.state = Array.from({ length: channels }, () => new Float64Array(6));
    this.hop = Math.round(sampleRate / 10);
  }

  add(block: PcmBlock): void {
    let offset = 0;
    while (offset < block.frames) {
      const n = Math.min(this.hop - this.hopFilled, block.frames - offset);
      for (let c = 0; c < block.channels.length; c++) {
        this.hopEnergy += this.filterEnergy(block.channels[c]!, offset, n, this.state[c]!);
      }
      this.hopFilled += n;
      offset += n;
      if (this.hopFilled === this.hop) this.endHop();
    }
  }

  /** Integrated loudness in LUFS, or null when no block passes the absolute gate (silence, or under 400 ms). */
  integrated(): number | null {
    let energy = 0, blocks = 0;
    for (let i = 0; i < BIN_COUNT; i++) {
      energy += this.binEnergy[i]!;
      blocks += this.binBlocks[i]!;
    }
    if (blocks === 0) return null;
    const gate = energyToLufs(energy / blocks) + RELATIVE_GATE;
    // A bin counts when its centre is above the gate.
    const first = Math.max(0, Math.ceil((gate - ABSOLUTE_GATE) * BINS_PER_LU - 0.5));
    energy = 0;
    blocks = 0;
    for (let i = first; i < BIN_COUNT; i++) {
      energy += this.binEnergy[i]!;
      blocks += this.binBlocks[i]!;
    }
    return blocks === 0 ? null : energyToLufs(energy / blocks);
  }

  /** Sum of squares of the K-weighted samples x[offset, offset + n). */
  private filterEnergy(x: Float32Array, offset: number, n: number, s: Float64Array): number {
    const { b0, b1, b2, a1, a2 } = this.shelf;
    const h = this.highPass;
    let x1 = s[0]!, x2 = s[1]!, y1 = s[2]!, y2 = s[3]!, z1 = s[4]!, z2 = s[5]!;
    let sum = 0;
    for (let i = offset, end = offset + n; i < end; i++) {
      const x0 = x[i]!;
      const y0 = b0 * x0 + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
      // The high-pass numerator is 1, −2, 1 (BS.1770's table, which libebur128 keeps unnormalised).
      const z0 = y0 - 2 * y1 + y2 - h.a1 * z1 - h.a2 * z2;
      sum += z0 * z0;
      x2 = x1;
      x1 = x0;
      y2 = y1;
      y1 = y0;
      z2 = z1;
      z1 = z0;
    }
    s[0] = x1;
    s[1] = x2;
    // Denormals would slow every later sample down once a track fades to digital silence.
    s[2] = flush(y1);
    s[3] = flush(y2);
    s[4] = flush(z1);
    s[5] = flush(z2);
    return sum;
  }

  private endHop(): void {
    this.hops[this.hopCount % 4] = this.hopEnergy;
    this.hopCount++;
    this.hopEnergy = 0;
    this.hopFilled = 0;
    if (this.hopCount < 4) return;
    const energy = (this.hops[0]! + this.hops[1]! + this.hops[2]! + this.hops[3]!) / (4 * this.hop);
    const lufs = energyToLufs(energy);
    if (!(lufs > ABSOLUTE_GATE)) return;
    const bin = Math.min(BIN_COUNT - 1, Math.floor((lufs - ABSOLUTE_GATE) * BINS_PER_LU));
    this.binEnergy[bin]! += energy;
    this.binBlocks[bin]! += 1;
  }
}

interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** The two K-weighting stages for `sampleRate` (libebur128's ebur128_init_filter). */
function kWeighting(sampleRate: number): [Biquad, Biquad] {
  let f0 = 1681.974450955533;
  const G = 3.999843853973347;
  let Q = 0.7071752369554196;
  let K = Math.tan((Math.PI * f0) / sampleRate);
  const Vh = 10 ** (G / 20);
  const Vb = Vh ** 0.4996667741545416;
  let a0 = 1 + K / Q + K * K;
  const shelf = {
    b0: (Vh + (Vb * K) / Q + K * K) / a0,
    b1: (2 * (K * K - Vh)) / a0,
    b2: (Vh - (Vb * K) / Q + K * K) / a0,
    a1: (2 * (K * K - 1)) / a0,
    a2: (1 - K / Q + K * K) / a0,
  };
  f0 = 38.13547087602444;
  Q = 0.5003270373238773;
  K = Math.tan((Math.PI * f0) / sampleRate);
  a0 = 1 + K / Q + K * K;
  const highPass = { b0: 1, b1: -2, b2: 1, a1: (2 * (K * K - 1)) / a0, a2: (1 - K / Q + K * K) / a0 };
  return [shelf, highPass];
}

const flush = (v: number) => (Math.abs(v) < 1e-30 ? 0 : v);
const energyToLufs = (energy: number) => -0.691 + 10 * Math.log10(energy);
