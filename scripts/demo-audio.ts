/**
 * Demo music for `npm run dev`: short pieces synthesised on the spot (chords, a bass line, a melody
 * and a kick), written as 16-bit stereo WAV. Real audio, so the demo tracks go through the whole
 * upload → queue → HLS path of the running Worker like any artist's file.
 */

export interface DemoPiece {
  /** Root notes of the chords, as MIDI numbers, one per bar. */
  progression: number[];
  /** Scale degrees (semitones above the bar's root) of the melody, eight per bar; null rests. */
  melody: (number | null)[];
  bpm: number;
  bars: number;
  /** Minor or major triads. */
  minor: boolean;
}

const SAMPLE_RATE = 44_100;
const hz = (midi: number) => 440 * 2 ** ((midi - 69) / 12);

/** Deterministic white noise in [-1, 1] for sample `i` (the hash of the shader world): same bytes, same hash, every run. */
const noiseAt = (i: number, seed: number) => {
  const x = Math.sin((i + seed * 7919) * 12.9898) * 43758.5453;
  return (x - Math.floor(x)) * 2 - 1;
};

/** Renders a piece to interleaved stereo float samples in [-1, 1]. */
export function renderPiece(piece: DemoPiece, seed = 1): Float32Array {
  const beat = 60 / piece.bpm;
  const bar = beat * 4;
  const frames = Math.round(piece.bars * bar * SAMPLE_RATE);
  const out = new Float32Array(frames * 2);
  const third = piece.minor ? 3 : 4;

  for (let i = 0; i < frames; i++) {
    const t = i / SAMPLE_RATE;
    const barIndex = Math.floor(t / bar);
    const root = piece.progression[barIndex % piece.progression.length]!;
    const inBar = t - barIndex * bar;
    const inBeat = inBar % beat;

    // Pad: a soft triad with a slow attack per bar.
    const padEnv = Math.min(1, inBar / 0.4) * 0.9;
    let pad = 0;
    for (const step of [0, third, 7]) pad += Math.sin(2 * Math.PI * hz(root + 12 + step) * t) + 0.3 * Math.sin(4 * Math.PI * hz(root + 12 + step) * t);
    pad *= 0.05 * padEnv;

    // Bass: the root on every beat, plucked.
    const bass = 0.22 * Math.exp(-inBeat * 6) * Math.sin(2 * Math.PI * hz(root - 12) * t);

    // Melody: eighth notes.
    const eighth = beat / 2;
    const slot = Math.floor(inBar / eighth);
    const degree = piece.melody[(barIndex * 8 + slot) % piece.melody.length];
    const inNote = inBar - slot * eighth;
    const lead = degree == null ? 0 : 0.12 * Math.exp(-inNote * 5) * Math.sin(2 * Math.PI * hz(root + 24 + degree) * t);

    // Kick on beats 1 and 3, a little hi-hat noise on the off-beats.
    const beatIndex = Math.floor(inBar / beat);
    const kick = beatIndex % 2 === 0 ? 0.35 * Math.exp(-inBeat * 18) * Math.sin(2 * Math.PI * (50 + 90 * Math.exp(-inBeat * 30)) * inBeat) : 0;
    const offBeat = inBeat - beat / 2;
    const hat = offBeat >= 0 ? 0.04 * Math.exp(-offBeat * 60) * noiseAt(i, seed) : 0;

    const centre = bass + kick;
    out[i * 2] = Math.max(-1, Math.min(1, centre + pad * 1.1 + lead * 0.8 + hat * 0.7));
    out[i * 2 + 1] = Math.max(-1, Math.min(1, centre + pad * 0.9 + lead * 1.2 + hat * 1.3));
  }
  return out;
}

/** 16-bit PCM WAV bytes of interleaved stereo samples. */
export function wavBytes(samples: Float32Array, channels = 2, sampleRate = SAMPLE_RATE): Uint8Array {
  const data = samples.length * 2;
  const bytes = new Uint8Array(44 + data);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, s: string) => [...s].forEach((ch, i) => view.setUint8(at + i, ch.charCodeAt(0)));
  ascii(0, "RIFF");
  view.setUint32(4, 36 + data, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * 2, true);
  view.setUint16(32, channels * 2, true);
  view.setUint16(34, 16, true);
  ascii(36, "data");
  view.setUint32(40, data, true);
  for (let i = 0; i < samples.length; i++) view.setInt16(44 + i * 2, Math.round(samples[i]! * 32767), true);
  return bytes;
}
