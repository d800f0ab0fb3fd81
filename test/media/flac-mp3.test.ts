import { describe, expect, it } from "vitest";
import { processAudio, type ProcessOptions } from "../../src/media/pipeline";
import { fixtures, reference, streamOf } from "./fixtures";
import { checkHls, MemorySink } from "./hls-checks";

const cases: { file: keyof typeof fixtures; mime: ProcessOptions["sourceMime"]; codec: string; bitDepth?: number; renditions: string[] }[] = [
  { file: "stereo-44k.flac", mime: "audio/flac", codec: "flac", bitDepth: 16, renditions: ["256k", "128k", "64k"] },
  { file: "mono-48k-24bit.flac", mime: "audio/flac", codec: "flac", bitDepth: 24, renditions: ["256k", "128k", "64k"] },
  // Never upscale: a 128 kbps MP3 gets no 256k rendition, a ~42 kbps one only the lowest rung.
  { file: "stereo-44k-128k.mp3", mime: "audio/mpeg", codec: "mp3", renditions: ["128k", "64k"] },
  { file: "mono-48k-vbr.mp3", mime: "audio/mpeg", codec: "mp3", renditions: ["64k"] },
];

describe("processAudio on FLAC and MP3 fixtures (encoded by ffmpeg and sox)", () => {
  for (const c of cases) {
    it(`${c.file}: measures like ffmpeg, and packages ${c.renditions.join(", ")}`, async () => {
      const ref = reference[c.file]!;
      const bytes = fixtures[c.file];
      const sink = new MemorySink();
      // Byte streams, read into the pipeline's own (reused) buffer, as R2 bodies are.
      const report = await processAudio(streamOf(bytes, 5000, true), sink, { sourceMime: c.mime, sourceSize: bytes.length });
      const seconds = ref.samples / ref.sampleRate;
      expect(report).toMatchObject({ codec: c.codec, sampleRate: ref.sampleRate, channels: ref.channels, bitDepth: c.bitDepth });
      // Gapless: mpg123 trims the encoder delay and padding the LAME tag declares, as ffmpeg does.
      expect(report.durationMs).toBe(Math.round(seconds * 1000));
      expect(Math.abs(report.integratedLufs! - ref.integratedLufs)).toBeLessThan(0.1);
      expect(Math.abs(report.truePeakDbtp! - ref.truePeakDbtp)).toBeLessThan(0.2);

      const renditions = await checkHls(sink, { sampleRate: ref.sampleRate, channels: ref.channels });
      expect(renditions.map((r) => r.uri.split("/")[0])).toEqual(c.renditions);
      expect(report.renditions.map((r) => r.name)).toEqual(c.renditions);
      for (const r of renditions) {
        expect(Math.abs(r.extinfSeconds - seconds)).toBeLessThan(0.1);
        expect(Math.abs(r.frameSeconds - seconds)).toBeLessThan(0.1);
      }
    });
  }

  it("reports the source's bitrate: nominal for CBR, the average for VBR and FLAC", async () => {
    const run = (file: keyof typeof fixtures, mime: ProcessOptions["sourceMime"]) =>
      processAudio(streamOf(fixtures[file]), new MemorySink(), { sourceMime: mime, sourceSize: fixtures[file].length });
    expect((await run("stereo-44k-128k.mp3", "audio/mpeg")).bitrate).toBe(128000);
    // ffprobe says 42 165 b/s for the VBR file's audio stream.
    const vbr = (await run("mono-48k-vbr.mp3", "audio/mpeg")).bitrate;
    expect(vbr).toBeGreaterThan(40000);
    expect(vbr).toBeLessThan(45000);
    const flac = await run("stereo-44k.flac", "audio/flac");
    expect(flac.bitrate).toBeGreaterThan(0.9 * (fixtures["stereo-44k.flac"].length * 8) / 4);
    expect(flac.bitrate).toBeLessThan((fixtures["stereo-44k.flac"].length * 8) / 4);
  });

  it("skips a large ID3v2 tag (cover art) in front of an MP3 without holding on to it", async () => {
    const mp3 = fixtures["stereo-44k-128k.mp3"];
    const tagSize = 10 + ((mp3[6]! << 21) | (mp3[7]! << 14) | (mp3[8]! << 7) | mp3[9]!);
    // A 3 MB ID3v2.4 tag with a single (junk-filled) APIC frame replaces ffmpeg's.
    const body = 3_000_000;
    const tag = new Uint8Array(10 + body);
    tag.set([0x49, 0x44, 0x33, 4, 0, 0, (body >> 21) & 0x7f, (body >> 14) & 0x7f, (body >> 7) & 0x7f, body & 0x7f]);
    tag.set([0x41, 0x50, 0x49, 0x43], 10);
    for (let i = 20; i < tag.length; i++) tag[i] = i % 7 === 0 ? 0xff : 0xfb; // sync-like bytes to mislead
    const bytes = new Uint8Array(tag.length + mp3.length - tagSize);
    bytes.set(tag);
    bytes.set(mp3.subarray(tagSize), tag.length);
    const sink = new MemorySink();
    const report = await processAudio(streamOf(bytes, 16384), sink, { sourceMime: "audio/mpeg", sourceSize: bytes.length });
    expect(report.durationMs).toBe(4000);
    expect(report.bitrate).toBe(128000);
  });

  it("skips an ID3v2 tag in front of a FLAC file, and a large picture among its metadata", async () => {
    const flac = fixtures["stereo-44k.flac"];
    const afterStreamInfo = 4 + 4 + 34;
    const streamInfoWasLast = (flac[4]! & 0x80) !== 0;
    // A 2 MB PICTURE block (type 6), full of frame-sync-like bytes, right after STREAMINFO.
    const picture = new Uint8Array(4 + 2_000_000).fill(0xff);
    picture.set([(streamInfoWasLast ? 0x80 : 0) | 6, (2_000_000 >> 16) & 0xff, (2_000_000 >> 8) & 0xff, 2_000_000 & 0xff]);
    const id3 = new Uint8Array(10 + 500);
    id3.set([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 3, 0x74]); // syncsafe 500
    const bytes = new Uint8Array(id3.length + flac.length + picture.length);
    bytes.set(id3);
    bytes.set(flac.subarray(0, afterStreamInfo), id3.length);
    bytes[id3.length + 4]! &= 0x7f; // STREAMINFO is no longer the last block
    bytes.set(picture, id3.length + afterStreamInfo);
    bytes.set(flac.subarray(afterStreamInfo), id3.length + afterStreamInfo + picture.length);
    const report = await processAudio(streamOf(bytes, 30_000), new MemorySink(), { sourceMime: "audio/flac", sourceSize: bytes.length });
    expect(report).toMatchObject({ codec: "flac", durationMs: 4000, sampleRate: 44100, channels: 2 });
    expect(Math.abs(report.integratedLufs! - reference["stereo-44k.flac"]!.integratedLufs)).toBeLessThan(0.1);
  });
});
