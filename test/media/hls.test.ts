import { describe, expect, it } from "vitest";
import { masterPlaylist, Segmenter, TIMESTAMP_TAG_BYTES, writeTimestampTag, type Segment } from "../../src/media/hls";
import { readTimestampTag } from "./hls-checks";

/** A 128 kbps 44.1 kHz stereo MPEG-1 Layer III frame (417 bytes, 418 padded) with a recognisable body. */
function frame(index: number, padded = false): Uint8Array {
  const f = new Uint8Array(padded ? 418 : 417).fill(index & 0xff);
  f.set([0xff, 0xfb, padded ? 0x92 : 0x90, 0x00]);
  return f;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Pushes `bytes` in `chunk`-byte pieces; returns copies of the segments emitted. */
async function segment(bytes: Uint8Array, chunk: number): Promise<{ segmenter: Segmenter; segments: Segment[] }> {
  const segmenter = new Segmenter("128k", 128, 44100);
  const segments: Segment[] = [];
  const emit = async (s: Segment) => void segments.push({ ...s, bytes: s.bytes.slice() });
  for (let i = 0; i < bytes.length; i += chunk) await segmenter.push(bytes.subarray(i, i + chunk), emit);
  await segmenter.finish(emit);
  return { segmenter, segments };
}

describe("HLS packaging", () => {
  it("writes the ID3v2.4 PRIV timestamp, 33 bits wide, big-endian", () => {
    const tag = new Uint8Array(TIMESTAMP_TAG_BYTES);
    writeTimestampTag(tag, 2 ** 32 + 0x01020304);
    expect(readTimestampTag(tag)).toEqual({ timestamp: 2 ** 32 + 0x01020304, tagLength: TIMESTAMP_TAG_BYTES });
    expect([...tag.subarray(-8)]).toEqual([0, 0, 0, 1, 1, 2, 3, 4]);
    // MPEG-2 timestamps wrap at 2^33 (26.5 hours at 90 kHz).
    writeTimestampTag(tag, 2 ** 33 + 7);
    expect(readTimestampTag(tag).timestamp).toBe(7);
  });

  it("cuts whole frames into segments of at most 6 s, each stamped with its first sample's time", async () => {
    // 500 frames, every third one padded, cut into pieces that split headers and frames alike.
    const frames = Array.from({ length: 500 }, (_, i) => frame(i, i % 3 === 0));
    for (const chunk of [1, 1000, 100_000]) {
      const { segmenter, segments } = await segment(concat(frames), chunk);
      // floor(6 × 44100 / 1152) = 229 frames: 5.98 s.
      expect(segmenter.framesPerSegment).toBe(229);
      expect(segments.map((s) => s.name)).toEqual(["seg-00000.mp3", "seg-00001.mp3", "seg-00002.mp3"]);
      expect(segments.map((s) => s.seconds)).toEqual([229, 229, 42].map((n) => (n * 1152) / 44100));
      segments.forEach((s, i) => {
        expect(readTimestampTag(s.bytes).timestamp).toBe(Math.round((i * 229 * 1152 * 90000) / 44100));
        expect(s.bytes.subarray(TIMESTAMP_TAG_BYTES)).toEqual(concat(frames.slice(i * 229, (i + 1) * 229)));
      });
      expect(segmenter.playlist()).toBe(
        ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:6", "#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-MEDIA-SEQUENCE:0",
          "#EXTINF:5.982041,", "seg-00000.mp3", "#EXTINF:5.982041,", "seg-00001.mp3", "#EXTINF:1.097143,", "seg-00002.mp3", "#EXT-X-ENDLIST", ""].join("\n"),
      );
    }
  });

  it("drops a leading Xing/Info frame, which holds no audio", async () => {
    const info = frame(0);
    info.set([..."Info"].map((c) => c.charCodeAt(0)), 36); // after MPEG-1 stereo side information
    const { segments } = await segment(concat([info, frame(1), frame(2)]), 4096);
    expect(segments).toHaveLength(1);
    expect(segments[0]!.bytes.subarray(TIMESTAMP_TAG_BYTES)).toEqual(concat([frame(1), frame(2)]));
  });

  it("refuses bytes that are not the rendition's MPEG frames", async () => {
    const segmenter = new Segmenter("128k", 128, 44100);
    const wrongRate = frame(0);
    wrongRate[2] = 0xa0; // 160 kbps
    await expect(segmenter.push(wrongRate, async () => {})).rejects.toThrow("128k: the encoder produced something other than 128 kbps MP3 frames at byte 0");
    const cut = new Segmenter("128k", 128, 44100);
    await cut.push(frame(0).subarray(0, 100), async () => {});
    await expect(cut.finish(async () => {})).rejects.toThrow("ends inside an MPEG frame");
  });

  it("advertises the peak bitrate of 3–9 s windows, which a short last segment cannot inflate", async () => {
    const { segmenter } = await segment(concat(Array.from({ length: 230 }, (_, i) => frame(i))), 65536);
    const { peak, average } = segmenter.bandwidth();
    // 229 frames + tag over 5.98 s, then one frame + tag over 26 ms: alone, the latter runs at
    // 150 kbps, but is no window of its own; the peak is both together (a window of 6.01 s).
    const last = ((417 + TIMESTAMP_TAG_BYTES) * 8) / (1152 / 44100);
    expect(last).toBeGreaterThan(150_000);
    expect(peak).toBe(Math.ceil(((230 * 417 + 2 * TIMESTAMP_TAG_BYTES) * 8) / ((230 * 1152) / 44100)));
    expect(peak).toBeLessThan(128_000 * 1.001);
    expect(average).toBe(Math.ceil(((230 * 417 + 2 * TIMESTAMP_TAG_BYTES) * 8) / ((230 * 1152) / 44100)));
    expect(masterPlaylist([{ uri: "128k/index.m3u8", peak, average }])).toBe(
      `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-STREAM-INF:BANDWIDTH=${peak},AVERAGE-BANDWIDTH=${average},CODECS="mp4a.40.34"\n128k/index.m3u8\n`,
    );
  });
});
