/**
 * An in-memory HlsSink and the checks every pipeline test runs on what it received: playlists that
 * parse and agree with each other and with the segments, and segments that are an ID3 timestamp
 * tag followed by nothing but valid MPEG audio frames of the rendition's bitrate.
 */
import { MPEGDecoder } from "mpg123-decoder";
import { expect } from "vitest";
import { parseFrameHeader } from "../../src/media/mpeg-audio";
import type { HlsSink } from "../../src/media/pipeline";
import mpg123Wasm from "../../src/media/wasm/mpg123-decoder.wasm";

export class MemorySink implements HlsSink {
  readonly segments = new Map<string, Uint8Array>();
  readonly playlists = new Map<string, string>();
  /** Every call, in order: "segment 128k/seg-00000.mp3" or "playlist master.m3u8". */
  readonly calls: string[] = [];

  async putSegment(rendition: string, name: string, bytes: Uint8Array): Promise<void> {
    this.calls.push(`segment ${rendition}/${name}`);
    this.segments.set(`${rendition}/${name}`, bytes.slice());
  }

  async putPlaylist(path: string, text: string): Promise<void> {
    this.calls.push(`playlist ${path}`);
    this.playlists.set(path, text);
  }
}

export interface CheckedRendition {
  uri: string;
  bandwidth: number;
  averageBandwidth: number;
  bitrate: number;
  segments: number;
  /** Sum of the EXTINF durations. */
  extinfSeconds: number;
  /** MPEG frames × samples per frame / sample rate, over every segment. */
  frameSeconds: number;
  /** Samples mpg123 decoded from the segments, played in order. */
  decodedSamples: number;
  /** The decoded audio of the first channel, when asked for. */
  decoded?: Float32Array[];
}

const OWNER = "com.apple.streaming.transportStreamTimestamp";

/** Checks master, media playlists and every segment; returns what each rendition holds. */
export async function checkHls(sink: MemorySink, expected: { sampleRate: number; channels: number }, options: { keepDecoded?: boolean } = {}): Promise<CheckedRendition[]> {
  const master = sink.playlists.get("master.m3u8");
  expect(master, "master.m3u8 was written").toBeDefined();
  const lines = master!.trim().split("\n");
  expect(lines[0]).toBe("#EXTM3U");
  const renditions: CheckedRendition[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^#EXT-X-STREAM-INF:BANDWIDTH=(\d+),AVERAGE-BANDWIDTH=(\d+),CODECS="mp4a\.40\.34"$/.exec(lines[i]!);
    if (!m) continue;
    const uri = lines[i + 1]!;
    expect(uri).toMatch(/^(\d+)k\/index\.m3u8$/);
    const bitrate = Number(/^(\d+)k/.exec(uri)![1]) * 1000;
    renditions.push({ uri, bandwidth: Number(m[1]), averageBandwidth: Number(m[2]), ...(await checkMediaPlaylist(sink, uri, bitrate, expected, options)) });
  }
  expect(renditions.length, "the master lists renditions").toBeGreaterThan(0);
  // Every playlist and segment written is reachable from the master.
  expect([...sink.playlists.keys()].sort()).toEqual(["master.m3u8", ...renditions.map((r) => r.uri)].sort());
  expect(sink.segments.size).toBe(renditions.reduce((n, r) => n + r.segments, 0));
  for (const r of renditions) {
    // Peak ≥ average, both a little above the nominal bitrate (the ID3 tags, MPEG padding).
    expect(r.averageBandwidth).toBeGreaterThanOrEqual(r.bitrate);
    expect(r.averageBandwidth).toBeLessThan(r.bitrate * 1.03);
    expect(r.bandwidth).toBeGreaterThanOrEqual(r.averageBandwidth);
    expect(r.bandwidth).toBeLessThan(r.bitrate * 1.05);
  }
  return renditions;
}

async function checkMediaPlaylist(sink: MemorySink, uri: string, bitrate: number, expected: { sampleRate: number; channels: number }, options: { keepDecoded?: boolean }) {
  const text = sink.playlists.get(uri);
  expect(text, `${uri} was written`).toBeDefined();
  const lines = text!.trim().split("\n");
  expect(lines.slice(0, 5)).toEqual(["#EXTM3U", "#EXT-X-VERSION:3", expect.stringMatching(/^#EXT-X-TARGETDURATION:\d+$/), "#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-MEDIA-SEQUENCE:0"]);
  expect(lines.at(-1)).toBe("#EXT-X-ENDLIST");
  const target = Number(lines[2]!.split(":")[1]);
  const dir = uri.slice(0, uri.indexOf("/"));
  const entries: { seconds: number; name: string }[] = [];
  for (let i = 5; i < lines.length - 1; i += 2) {
    const m = /^#EXTINF:(\d+(?:\.\d+)?),$/.exec(lines[i]!);
    expect(m, `EXTINF line in ${uri}: ${lines[i]}`).not.toBeNull();
    entries.push({ seconds: Number(m![1]), name: lines[i + 1]! });
  }
  expect(entries.length).toBeGreaterThan(0);
  expect(target).toBe(Math.ceil(Math.max(...entries.map((e) => e.seconds))));
  expect(entries.map((e) => e.name)).toEqual(entries.map((_, i) => `seg-${String(i).padStart(5, "0")}.mp3`));

  const decoder = new DecoderWithModule({ enableGapless: false });
  await decoder.ready;
  let samples = 0;
  let decodedSamples = 0;
  const decoded: Float32Array[] = [];
  try {
    for (const { seconds, name } of entries) {
      const bytes = sink.segments.get(`${dir}/${name}`);
      expect(bytes, `${dir}/${name} was written`).toBeDefined();
      const { timestamp, tagLength } = readTimestampTag(bytes!);
      expect(timestamp, `${dir}/${name}: timestamp of its first sample`).toBe(Math.round((samples * 90000) / expected.sampleRate));
      let frames = 0;
      for (let p = tagLength; p < bytes!.length; ) {
        const h = parseFrameHeader(bytes!, p);
        expect(h, `${dir}/${name}: an MPEG frame header at byte ${p}`).not.toBeNull();
        expect({ layer: h!.layer, version: h!.version, bitrate: h!.bitrate, sampleRate: h!.sampleRate, channels: h!.channels }).toEqual({ layer: 3, version: 1, bitrate, sampleRate: expected.sampleRate, channels: expected.channels });
        expect(p + h!.frameLength, `${dir}/${name}: the last frame is complete`).toBeLessThanOrEqual(bytes!.length);
        p += h!.frameLength;
        frames++;
      }
      const frameSeconds = (frames * 1152) / expected.sampleRate;
      expect(seconds).toBeCloseTo(frameSeconds, 5);
      expect(seconds).toBeLessThanOrEqual(6);
      samples += frames * 1152;
      const out = decoder.decode(bytes!.subarray(tagLength));
      expect(out.errors, `${dir}/${name} decodes without errors`).toEqual([]);
      decodedSamples += out.samplesDecoded;
      if (options.keepDecoded) decoded.push(out.channelData[0]!);
    }
  } finally {
    decoder.free();
  }
  return {
    bitrate,
    segments: entries.length,
    extinfSeconds: entries.reduce((s, e) => s + e.seconds, 0),
    frameSeconds: samples / expected.sampleRate,
    decodedSamples,
    decoded: options.keepDecoded ? decoded : undefined,
  };
}

/** The PRIV timestamp of an ID3v2.4 tag at the start of a segment, and the tag's length. */
export function readTimestampTag(bytes: Uint8Array): { timestamp: number; tagLength: number } {
  const ascii = (o: number, n: number) => String.fromCharCode(...bytes.subarray(o, o + n));
  expect(ascii(0, 3)).toBe("ID3");
  expect([bytes[3], bytes[4]]).toEqual([4, 0]);
  const syncsafe = (o: number) => (bytes[o]! << 21) | (bytes[o + 1]! << 14) | (bytes[o + 2]! << 7) | bytes[o + 3]!;
  const tagLength = 10 + syncsafe(6);
  expect(ascii(10, 4)).toBe("PRIV");
  const frameSize = syncsafe(14);
  expect(frameSize).toBe(OWNER.length + 1 + 8);
  expect(ascii(20, OWNER.length)).toBe(OWNER);
  expect(bytes[20 + OWNER.length]).toBe(0);
  const view = new DataView(bytes.buffer, bytes.byteOffset + 20 + OWNER.length + 1, 8);
  const high = view.getUint32(0);
  expect(high, "33-bit timestamp").toBeLessThanOrEqual(1);
  return { timestamp: high * 2 ** 32 + view.getUint32(4), tagLength };
}

/** mpg123-decoder reads its WebAssembly.Module from this static (workerd cannot compile the embedded one). */
const DecoderWithModule = Object.assign(MPEGDecoder, { module: mpg123Wasm });
