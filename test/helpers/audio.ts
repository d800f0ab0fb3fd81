/**
 * Deterministic test audio, the same in workerd and in Node: the media tests synthesise their WAVs
 * with it, scripts/media/make-fixtures.sh writes the same WAVs (through tsx) for ffmpeg to measure
 * and to encode the committed FLAC and MP3 fixtures from, and the media bench streams long ones.
 *
 * The signal is music-shaped for the loudness gates: a loud part, a quiet part 40 dB down (under
 * the relative gate), a silence (under the absolute gate), then a tremolo part. A tone at a quarter
 * of the sample rate, 45° off the sample grid, puts the true peak above the sample peak.
 */
export type SampleFormat = "s16" | "s24" | "f32";

export interface Signal {
  sampleRate: number;
  channels: 1 | 2;
  seconds: number;
  /** Amplitude of the seeded white noise relative to the tones (default 0.08). */
  noise?: number;
  seed?: number;
}

export interface WavSpec extends Signal {
  format: SampleFormat;
  /** Write a WAVE_FORMAT_EXTENSIBLE fmt chunk (and a LIST chunk before the data). */
  extensible?: boolean;
}

/** The WAVs the media tests decode; reference.json holds ffmpeg's measurements of each. */
export const testWavs = {
  "s16-44k-stereo": { sampleRate: 44100, channels: 2, seconds: 12, format: "s16" },
  "s24-48k-stereo": { sampleRate: 48000, channels: 2, seconds: 10, format: "s24" },
  "s16-48k-mono": { sampleRate: 48000, channels: 1, seconds: 8, format: "s16" },
  "s24-44k-mono": { sampleRate: 44100, channels: 1, seconds: 8, format: "s24" },
  "f32-44k-stereo-extensible": { sampleRate: 44100, channels: 2, seconds: 6, format: "f32", extensible: true },
  // Over R2's 5 MiB minimum part: the end-to-end test uploads it in two parts.
  "s16-44k-stereo-32s": { sampleRate: 44100, channels: 2, seconds: 32, format: "s16" },
} satisfies Record<string, WavSpec>;

/** What scripts/media/make-fixtures.sh encodes the FLAC and MP3 fixtures from (no noise: they stay small). */
export const fixtureSources = {
  "stereo-44k": { sampleRate: 44100, channels: 2, seconds: 4, format: "s16", noise: 0 },
  "mono-48k": { sampleRate: 48000, channels: 1, seconds: 2, format: "s24", noise: 0 },
} satisfies Record<string, WavSpec>;

export const signalFrames = (s: Signal) => Math.round(s.seconds * s.sampleRate);

/** The signal as planar blocks of float64 samples (the last block may be shorter). */
export function* signalBlocks(s: Signal, blockFrames = 8192): Generator<Float64Array[]> {
  const total = signalFrames(s);
  const random = mulberry32(s.seed ?? 1);
  const noise = s.noise ?? 0.08;
  const twoPi = 2 * Math.PI;
  const quarter = s.sampleRate / 4;
  for (let start = 0; start < total; start += blockFrames) {
    const n = Math.min(blockFrames, total - start);
    const out = Array.from({ length: s.channels }, () => new Float64Array(n));
    for (let i = 0; i < n; i++) {
      const frame = start + i;
      const t = frame / s.sampleRate;
      const f = frame / total;
      const level = f < 0.45 ? 0.5 : f < 0.6 ? 0.005 : f < 0.65 ? 0 : 0.35 * (0.7 + 0.3 * Math.sin(twoPi * 2 * t));
      for (let c = 0; c < s.channels; c++) {
        const tones =
          0.5 * Math.sin(twoPi * 220 * (1 + 0.25 * c) * t) +
          0.25 * Math.sin(twoPi * 1000 * t + c) +
          0.15 * Math.sin(twoPi * 3520 * t) +
          0.1 * Math.sin(twoPi * quarter * t + Math.PI / 4);
        out[c]![i] = level * (tones + noise * (2 * random() - 1));
      }
    }
    yield out;
  }
}

/** A whole WAV file in memory (for the few seconds tests use). */
export function wavBytes(spec: WavSpec): Uint8Array {
  const parts = [wavHeader(spec)];
  for (const block of signalBlocks(spec)) parts.push(encodeSamples(spec, block));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** A WAV file generated as it is read, for lengths that should not sit in memory (the bench's hour). */
export function wavStream(spec: WavSpec, blockFrames = 16384): ReadableStream<Uint8Array> {
  const blocks = signalBlocks(spec, blockFrames);
  let header = true;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (header) {
        header = false;
        controller.enqueue(wavHeader(spec));
        return;
      }
      const next = blocks.next();
      if (next.done) controller.close();
      else controller.enqueue(encodeSamples(spec, next.value));
    },
  }, { highWaterMark: 0 });
}

export const bytesPerSample = (format: SampleFormat) => (format === "s16" ? 2 : format === "s24" ? 3 : 4);

/** Size of the file wavBytes/wavStream produce. */
export const wavSize = (spec: WavSpec) => wavHeader(spec).length + signalFrames(spec) * spec.channels * bytesPerSample(spec.format);

export function wavHeader(spec: WavSpec): Uint8Array {
  const width = bytesPerSample(spec.format);
  const dataBytes = signalFrames(spec) * spec.channels * width;
  const tag = spec.format === "f32" ? 3 : 1;
  const fmtSize = spec.extensible ? 40 : 16;
  // An extensible file also gets a LIST chunk to skip, as real recorders write.
  const list = spec.extensible ? [..."LIST"].map((c) => c.charCodeAt(0)).concat([10, 0, 0, 0], [..."INFOabcdef"].map((c) => c.charCodeAt(0))) : [];
  const header = new Uint8Array(12 + 8 + fmtSize + list.length + 8);
  const v = new DataView(header.buffer);
  const ascii = (at: number, s: string) => [...s].forEach((c, i) => v.setUint8(at + i, c.charCodeAt(0)));
  ascii(0, "RIFF");
  v.setUint32(4, header.length - 8 + dataBytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  v.setUint32(16, fmtSize, true);
  v.setUint16(20, spec.extensible ? 0xfffe : tag, true);
  v.setUint16(22, spec.channels, true);
  v.setUint32(24, spec.sampleRate, true);
  v.setUint32(28, spec.sampleRate * spec.channels * width, true);
  v.setUint16(32, spec.channels * width, true);
  v.setUint16(34, width * 8, true);
  if (spec.extensible) {
    v.setUint16(36, 22, true); // cbSize
    v.setUint16(38, width * 8, true); // valid bits
    v.setUint32(40, spec.channels === 1 ? 0x4 : 0x3, true); // channel mask: FC, or FL|FR
    // Sub-format GUID 0000000X-0000-0010-8000-00aa00389b71, X the plain format tag.
    header.set([tag, 0, 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71], 44);
  }
  header.set(list, 20 + fmtSize);
  ascii(header.length - 8, "data");
  v.setUint32(header.length - 4, dataBytes, true);
  return header;
}

/** Interleaved little-endian samples: integers rounded and clipped, floats as float32. */
export function encodeSamples(spec: WavSpec, block: Float64Array[]): Uint8Array {
  const width = bytesPerSample(spec.format);
  const frames = block[0]!.length;
  const out = new Uint8Array(frames * spec.channels * width);
  const v = new DataView(out.buffer);
  let p = 0;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < spec.channels; c++, p += width) {
      const x = block[c]![i]!;
      if (spec.format === "f32") v.setFloat32(p, x, true);
      else if (spec.format === "s16") v.setInt16(p, Math.max(-32768, Math.min(32767, Math.round(x * 32768))), true);
      else {
        const s = Math.max(-8388608, Math.min(8388607, Math.round(x * 8388608)));
        v.setUint8(p, s & 0xff);
        v.setUint8(p + 1, (s >> 8) & 0xff);
        v.setUint8(p + 2, (s >> 16) & 0xff);
      }
    }
  }
  return out;
}

/** A small seeded PRNG (mulberry32): uniform in [0, 1), identical on every engine. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
