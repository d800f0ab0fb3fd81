import { describe, expect, it } from "vitest";
import { LoudnessMeter } from "../../src/media/loudness";
import { TruePeakMeter } from "../../src/media/true-peak";
import { WaveformBuilder } from "../../src/media/waveform";

/** |actual − expected| ≤ tolerance, which toBeCloseTo cannot express (it takes decimal digits). */
const expectNear = (actual: number | null, expected: number, tolerance: number) => expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(tolerance);

/** Stereo (both channels alike) sine sections, fed in blocks: [dBFS of the peak, seconds][]. */
function sines(sampleRate: number, sections: [number, number][], frequency = 1000, phase = 0, block = 10_000) {
  const out: Float32Array[] = [];
  let n = 0;
  for (const [dbfs, seconds] of sections) {
    const amplitude = 10 ** (dbfs / 20);
    for (let left = Math.round(seconds * sampleRate); left > 0; left -= block) {
      const b = new Float32Array(Math.min(block, left));
      for (let i = 0; i < b.length; i++, n++) b[i] = amplitude * Math.sin((2 * Math.PI * frequency * n) / sampleRate + phase);
      out.push(b);
    }
  }
  return out;
}

function loudness(sampleRate: number, blocks: Float32Array[], channels = 2): number | null {
  const meter = new LoudnessMeter(sampleRate, channels);
  for (const b of blocks) meter.add({ channels: Array(channels).fill(b), frames: b.length });
  return meter.integrated();
}

function truePeak(sampleRate: number, blocks: Float32Array[]): number | null {
  const meter = new TruePeakMeter(sampleRate, 1);
  for (const b of blocks) meter.add({ channels: [b], frames: b.length });
  return meter.dbtp();
}

describe("integrated loudness (EBU Tech 3341's test signals, ±0.1 LU)", () => {
  for (const rate of [44100, 48000, 96000]) {
    it(`at ${rate / 1000} kHz: a stereo 1 kHz sine at −23 and −33 dBFS reads −23 and −33 LUFS`, () => {
      expectNear(loudness(rate, sines(rate, [[-23, 20]])), -23, 0.1);
      expectNear(loudness(rate, sines(rate, [[-33, 20]])), -33, 0.1);
    });
  }

  it("gates out what is 10 LU below the mean (test 3: −36/−23/−36 dBFS over 10/60/10 s)", () => {
    expectNear(loudness(48000, sines(48000, [[-36, 10], [-23, 60], [-36, 10]])), -23, 0.1);
  });

  it("keeps what the relative gate lets through (test 5: −26/−20/−26 dBFS over 20/20.1/20 s)", () => {
    expectNear(loudness(48000, sines(48000, [[-26, 20], [-20, 20.1], [-26, 20]])), -23, 0.1);
  });

  it("gates out silence and what is below −70 LUFS; null when nothing is left", () => {
    expectNear(loudness(48000, sines(48000, [[-72, 20], [-23, 20], [-200, 20]])), -23, 0.1);
    expect(loudness(48000, [new Float32Array(48000 * 5)])).toBeNull();
    expect(loudness(48000, sines(48000, [[-80, 10]]))).toBeNull();
    // Under 400 ms there is not a single gating block.
    expect(loudness(48000, sines(48000, [[-10, 0.35]]))).toBeNull();
  });

  it("weighs mono as one channel: 3 LU under the same sine in stereo", () => {
    const blocks = sines(44100, [[-20, 10]]);
    expect(loudness(44100, blocks, 1)! - loudness(44100, blocks, 2)!).toBeCloseTo(-3.01, 1);
  });
});

describe("true peak (4× oversampled)", () => {
  it("finds the peak between samples: a full-scale sine at fs/4, 45° off the grid, is 0 dBTP with samples at −3 dBFS", () => {
    const blocks = sines(48000, [[0, 1]], 12000, Math.PI / 4);
    expect(Math.max(...blocks.map((b) => Math.max(...b.map(Math.abs))))).toBeCloseTo(Math.SQRT1_2, 4);
    // BS.1770-4 allows +0.2/−0.4 dB at 4×; this interpolator is well inside it.
    expectNear(truePeak(48000, blocks), 0, 0.2);
  });

  it("reads a low-frequency sine at its level, a click at its sample, and silence as null", () => {
    expect(truePeak(44100, sines(44100, [[-6, 2]], 997))).toBeCloseTo(-6, 1);
    const click = new Float32Array(44100);
    click[30_000] = -0.5;
    expect(truePeak(44100, [click])).toBeGreaterThanOrEqual(20 * Math.log10(0.5));
    expect(truePeak(44100, [new Float32Array(1000)])).toBeNull();
  });

  it("gives the same answer whatever the block boundaries", () => {
    const signal = sines(44100, [[-3, 3]], 11025, 0.3, 44100 * 3)[0]!;
    const whole = truePeak(44100, [signal]);
    const pieces = [signal.subarray(0, 7), signal.subarray(7, 5000), signal.subarray(5000, 9999), signal.subarray(9999)];
    expect(truePeak(44100, pieces.map((p) => p.slice()))).toBe(whole);
  });
});

describe("waveform peaks", () => {
  it("has exactly the asked number of min/max pairs, in audiowaveform's 8-bit scale", () => {
    const builder = new WaveformBuilder(44100, 1000);
    // 10 s, both channels: a ramp from −1 to 1 (mixed to mono: the same ramp).
    const frames = 441_000;
    const ramp = Float32Array.from({ length: frames }, (_, i) => -1 + (2 * i) / frames);
    for (let i = 0; i < frames; i += 4096) builder.add({ channels: [ramp.subarray(i, i + 4096), ramp.subarray(i, i + 4096)], frames: Math.min(4096, frames - i) });
    const w = builder.finish();
    expect(w).toMatchObject({ version: 2, channels: 1, sample_rate: 44100, samples_per_pixel: 441, bits: 8, length: 1000 });
    expect(w.data).toHaveLength(2000);
    expect(w.data.slice(0, 2)).toEqual([-128, -128]);
    expect(w.data.slice(-2)).toEqual([127, 127]);
    // Pixel p spans the ramp from −1 + 2p/1000 to −1 + 2(p + 1)/1000, within one fine bucket.
    for (let p = 0; p < 1000; p++) {
      expect(Math.abs(w.data[2 * p]! - Math.floor((-1 + (2 * p) / 1000) * 128))).toBeLessThanOrEqual(1);
      expect(Math.abs(w.data[2 * p + 1]! - Math.min(127, Math.floor((-1 + (2 * (p + 1)) / 1000) * 128)))).toBeLessThanOrEqual(1);
    }
  });

  it("keeps a fixed amount of memory for an hour of audio, and still places each peak in its pixel", () => {
    const rate = 8000;
    const frames = rate * 3600;
    const builder = new WaveformBuilder(rate, 500);
    const block = new Float32Array(rate);
    for (let second = 0; second < 3600; second++) {
      // One click a minute, at its start: −0.5 on even minutes, +0.75 on odd ones.
      block.fill(0);
      if (second % 60 === 0) block[0] = (second / 60) % 2 ? 0.75 : -0.5;
      builder.add({ channels: [block], frames: rate });
    }
    const w = builder.finish();
    expect(w.length).toBe(500);
    expect(w.samples_per_pixel).toBe(frames / 500);
    const clicks = [];
    for (let p = 0; p < 500; p++) if (w.data[2 * p] !== 0 || w.data[2 * p + 1] !== 0) clicks.push([p, w.data[2 * p], w.data[2 * p + 1]]);
    // 60 clicks, one every 500/60 pixels.
    expect(clicks).toHaveLength(60);
    clicks.forEach(([p, min, max], minute) => {
      expect(p).toBe(Math.floor((minute * 60 * rate) / w.samples_per_pixel));
      expect([min, max]).toEqual(minute % 2 ? [0, 96] : [-64, 0]);
    });
  });

  it("has one pixel per sample for audio shorter than the pixel count", () => {
    const builder = new WaveformBuilder(48000, 1000);
    builder.add({ channels: [Float32Array.from({ length: 300 }, (_, i) => (i % 2 ? 0.5 : -0.25))], frames: 300 });
    const w = builder.finish();
    expect(w).toMatchObject({ samples_per_pixel: 1, length: 300 });
    expect(w.data.slice(0, 4)).toEqual([-32, -32, 64, 64]);
  });
});
