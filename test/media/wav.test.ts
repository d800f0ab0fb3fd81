import { describe, expect, it } from "vitest";
import { LoudnessMeter } from "../../src/media/loudness";
import { processAudio } from "../../src/media/pipeline";
import { signalBlocks, signalFrames, testWavs, wavBytes, type WavSpec } from "../helpers/audio";
import { reference, streamOf } from "./fixtures";
import { checkHls, MemorySink } from "./hls-checks";

const codecs = { s16: "pcm_s16le", s24: "pcm_s24le", f32: "pcm_f32le" } as const;
const bits = { s16: 16, s24: 24, f32: 32 } as const;

describe("processAudio on synthesised WAV", () => {
  for (const [index, [name, spec]] of (Object.entries(testWavs) as [string, WavSpec][]).entries()) {
    // Every other file comes as a byte stream (an R2 body's kind), read into the pipeline's own buffer.
    const byteStream = index % 2 === 1;
    it(`${name}${byteStream ? " (byte stream)" : ""}: measures like ffmpeg, and packages three valid renditions`, async () => {
      const ref = reference[`${name}.wav`]!;
      const bytes = wavBytes(spec);
      const sink = new MemorySink();
      // An odd chunk size splits sample frames, chunk headers and everything else across reads.
      const report = await processAudio(streamOf(bytes, 4093, byteStream), sink, { sourceMime: "audio/wav", sourceSize: bytes.length });

      const frames = signalFrames(spec);
      expect(ref.samples).toBe(frames);
      expect(report).toMatchObject({
        codec: codecs[spec.format],
        sampleRate: spec.sampleRate,
        channels: spec.channels,
        bitDepth: bits[spec.format],
        bitrate: spec.sampleRate * spec.channels * bits[spec.format],
        durationMs: Math.round((frames * 1000) / spec.sampleRate),
      });
      expect(Math.abs(report.integratedLufs! - ref.integratedLufs)).toBeLessThan(0.1);
      expect(Math.abs(report.truePeakDbtp! - ref.truePeakDbtp)).toBeLessThan(0.2);
      expect(report.replayGainDb).toBeCloseTo(-18 - report.integratedLufs!, 5);

      const renditions = await checkHls(sink, spec);
      expect(renditions.map((r) => r.uri)).toEqual(["256k/index.m3u8", "128k/index.m3u8", "64k/index.m3u8"]);
      for (const r of renditions) {
        expect(Math.abs(r.extinfSeconds - spec.seconds)).toBeLessThan(0.1);
        expect(Math.abs(r.frameSeconds - spec.seconds)).toBeLessThan(0.1);
        expect(r.decodedSamples).toBe(Math.round(r.frameSeconds * spec.sampleRate));
      }
      expect(report.renditions).toEqual(renditions.map((r) => ({ name: r.uri.split("/")[0], bitrate: r.bitrate, segments: r.segments, durationMs: Math.round(r.frameSeconds * 1000) })));
    });
  }

  it("hands segments over as they are cut, and the playlists last, master at the very end", async () => {
    const spec = testWavs["s16-44k-stereo"];
    const bytes = wavBytes(spec);
    const sink = new MemorySink();
    let readBeforeFirstSegment = -1;
    let read = 0;
    const source = streamOf(bytes).pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        read += chunk.length;
        controller.enqueue(chunk);
      },
    }));
    const putSegment = sink.putSegment.bind(sink);
    sink.putSegment = async (rendition, name, data) => {
      if (readBeforeFirstSegment < 0) readBeforeFirstSegment = read;
      return putSegment(rendition, name, data);
    };
    await processAudio(source, sink, { sourceMime: "audio/wav", sourceSize: bytes.length });
    // The first 6 s segment is written after ~half of the 12 s file was read, not after all of it.
    expect(readBeforeFirstSegment).toBeGreaterThan(0);
    expect(readBeforeFirstSegment).toBeLessThan(bytes.length * 0.75);
    const playlists = sink.calls.filter((c) => c.startsWith("playlist"));
    expect(sink.calls.slice(-playlists.length)).toEqual(playlists);
    expect(playlists.at(-1)).toBe("playlist master.m3u8");
  });

  it("reports progress at most every 5 %, rising to 1", async () => {
    const spec = testWavs["s16-48k-mono"];
    const bytes = wavBytes(spec);
    const seen: number[] = [];
    await processAudio(streamOf(bytes, 8192), new MemorySink(), { sourceMime: "audio/wav", sourceSize: bytes.length, onProgress: (f) => void seen.push(f) });
    expect(seen.length).toBeGreaterThanOrEqual(15);
    expect(seen.length).toBeLessThanOrEqual(21);
    // Every 5 % or more apart, except the final 1, which comes when the source ends.
    for (let i = 1; i < seen.length - 1; i++) expect(seen[i]! - seen[i - 1]!).toBeGreaterThanOrEqual(0.05);
    expect(seen.at(-1)).toBe(1);
  });

  it("draws the waveform of the mono mix: each pixel's min/max are those of its samples", async () => {
    const spec = testWavs["s16-44k-stereo"];
    const bytes = wavBytes(spec);
    const report = await processAudio(streamOf(bytes), new MemorySink(), { sourceMime: "audio/wav", sourceSize: bytes.length, waveformLength: 600 });
    const w = report.waveform;
    const frames = signalFrames(spec);
    expect(w).toMatchObject({ version: 2, channels: 1, sample_rate: 44100, samples_per_pixel: Math.floor(frames / 600), bits: 8, length: 600 });
    expect(w.data).toHaveLength(1200);
    // The mix of the 16-bit samples, as the decoder sees them.
    const mix = new Float32Array(frames);
    let offset = 0;
    for (const [left, right] of signalBlocks(spec)) {
      for (let i = 0; i < left!.length; i++) {
        const q = (x: number) => Math.max(-32768, Math.min(32767, Math.round(x * 32768))) / 32768;
        mix[offset++] = (q(left![i]!) + q(right![i]!)) / 2;
      }
    }
    // A pixel's edges may be off by a fine bucket (an eighth of a pixel): its extremes lie between
    // those of the pixel shrunk and grown by that much.
    const spp = w.samples_per_pixel;
    const extremes = (from: number, to: number) => {
      let min = Infinity, max = -Infinity;
      for (let i = Math.max(0, Math.ceil(from)); i < Math.min(frames, to); i++) {
        min = Math.min(min, mix[i]!);
        max = Math.max(max, mix[i]!);
      }
      return [Math.floor(min * 128), Math.floor(max * 128)];
    };
    for (let p = 0; p < 600; p++) {
      const end = p === 599 ? frames : (p + 1) * spp;
      const inner = extremes(p * spp + spp / 8, end - spp / 8);
      const outer = extremes(p * spp - spp / 8, end + spp / 8);
      expect(w.data[2 * p]).toBeGreaterThanOrEqual(outer[0]!);
      expect(w.data[2 * p]).toBeLessThanOrEqual(inner[0]!);
      expect(w.data[2 * p + 1]).toBeLessThanOrEqual(outer[1]!);
      expect(w.data[2 * p + 1]).toBeGreaterThanOrEqual(inner[1]!);
    }
    // The shape: loud, then 40 dB down, then silence, then loud again.
    const at = (fraction: number) => w.data.slice(2 * Math.floor(fraction * 600), 2 * Math.floor(fraction * 600) + 2);
    expect(at(0.2)[1]).toBeGreaterThan(40);
    expect(at(0.5).map(Math.abs).every((v) => v <= 1)).toBe(true);
    expect(at(0.62)).toEqual([0, 0]);
    expect(at(0.8)[1]).toBeGreaterThan(20);
  });

  it("resamples only what MPEG-1 Layer III cannot carry: 22.05 kHz up to 32 kHz, 96 kHz down to 48 kHz", async () => {
    for (const [sampleRate, mp3Rate] of [[22050, 32000], [96000, 48000]] as const) {
      const spec: WavSpec = { sampleRate, channels: 2, seconds: 4, format: "s16" };
      const bytes = wavBytes(spec);
      const sink = new MemorySink();
      const report = await processAudio(streamOf(bytes), sink, { sourceMime: "audio/wav", sourceSize: bytes.length });
      expect(report).toMatchObject({ sampleRate, durationMs: 4000 });
      const renditions = await checkHls(sink, { sampleRate: mp3Rate, channels: 2 });
      for (const r of renditions) expect(Math.abs(r.extinfSeconds - 4)).toBeLessThan(0.1);
    }
  });

  it("encodes what it was given: decoded, each rendition measures like the source", async () => {
    const spec = testWavs["s24-48k-stereo"];
    const bytes = wavBytes(spec);
    const sink = new MemorySink();
    await processAudio(streamOf(bytes), sink, { sourceMime: "audio/wav", sourceSize: bytes.length });
    const renditions = await checkHls(sink, spec, { keepDecoded: true });
    // The same meter on the first channel of each decoded rendition and of the source. 256 kbps is
    // transparent; the lower rungs' lowpass (LAME's, ~17 and ~14 kHz) takes the 12 kHz tone away.
    const meter = (chunks: Float32Array[]) => {
      const m = new LoudnessMeter(spec.sampleRate, 1);
      for (const c of chunks) m.add({ channels: [c], frames: c.length });
      return m.integrated()!;
    };
    const source = meter([...signalBlocks(spec)].map((b) => Float32Array.from(b[0]!)));
    const loss = Object.fromEntries(renditions.map((r) => [r.uri.split("/")[0], source - meter(r.decoded!)]));
    expect(Math.abs(loss["256k"]!)).toBeLessThan(0.15);
    expect(loss["128k"]).toBeLessThan(0.8);
    expect(loss["64k"]).toBeLessThan(1.2);
  });
});
