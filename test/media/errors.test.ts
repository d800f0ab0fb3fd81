import { describe, expect, it } from "vitest";
import { MediaError, processAudio, type ProcessOptions } from "../../src/media/pipeline";
import { testWavs, wavBytes } from "../helpers/audio";
import { fixtures, streamOf } from "./fixtures";
import { MemorySink } from "./hls-checks";

const process = (bytes: Uint8Array, sourceMime: ProcessOptions["sourceMime"], chunkSize?: number) =>
  processAudio(streamOf(bytes, chunkSize), new MemorySink(), { sourceMime, sourceSize: bytes.length });

/** The MediaError `run` rejects with (failing the test if it resolves, or throws anything else). */
async function mediaError(run: Promise<unknown>): Promise<MediaError> {
  const error = await run.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(MediaError);
  return error as MediaError;
}

const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(4000).fill(0).map((_, i) => (i * 31) & 0xff)]);
const text = new TextEncoder().encode("MZ this program cannot be run in DOS mode ".repeat(2000));

describe("processAudio refuses what it cannot decode, with a reason the uploader can read", () => {
  it("a file that is not audio at all, whatever type it claims", async () => {
    expect((await mediaError(process(png, "audio/wav"))).message).toBe("Not a WAV file: the RIFF/WAVE header is missing.");
    expect((await mediaError(process(png, "audio/flac"))).message).toBe("Not a FLAC file: the fLaC signature is missing.");
    expect((await mediaError(process(text, "audio/mpeg"))).message).toBe("Not an MP3 file: no MPEG audio frame was found.");
    expect((await mediaError(process(new Uint8Array(0), "audio/wav"))).message).toBe("Not a WAV file: the RIFF/WAVE header is missing.");
  });

  it("a truncated WAV, FLAC or MP3", async () => {
    const wav = wavBytes(testWavs["s16-48k-mono"]);
    expect((await mediaError(process(wav.subarray(0, 300_000), "audio/wav"))).message).toBe(
      `The WAV file is truncated: its data chunk declares ${wav.length - 44} bytes but the file ends after ${300_000 - 44}.`,
    );
    expect((await mediaError(process(wav.subarray(0, 30), "audio/wav"))).message).toBe("Not a valid WAV file: it ends before its audio data.");
    const flac = fixtures["stereo-44k.flac"];
    expect((await mediaError(process(flac.subarray(0, flac.length >> 1), "audio/flac"))).message).toMatch(/^The FLAC file is corrupt or truncated: \d+ of its 176400 samples could be decoded\.$/);
    expect((await mediaError(process(flac.subarray(0, 20), "audio/flac"))).message).toBe("Not a valid FLAC stream: it ends inside its metadata.");
    // The VBR file's Xing header counts its frames.
    const mp3 = fixtures["mono-48k-vbr.mp3"];
    expect((await mediaError(process(mp3.subarray(0, mp3.length >> 1), "audio/mpeg"))).message).toMatch(/^The MP3 file is truncated: \d+ of its \d+ frames could be decoded\.$/);
  });

  it("a FLAC file damaged in the middle", async () => {
    const flac = fixtures["stereo-44k.flac"].slice();
    for (let i = 60_000; i < 60_400; i++) flac[i] = (i * 13) & 0xff;
    expect((await mediaError(process(flac, "audio/flac"))).message).toMatch(/^The FLAC file is corrupt or truncated: \d+ of its 176400 samples could be decoded\.$/);
  });

  it("WAV encodings and layouts it does not support", async () => {
    const wav = wavBytes(testWavs["s16-48k-mono"]);
    const withFmt = (edit: (v: DataView) => void) => {
      const copy = wav.slice();
      edit(new DataView(copy.buffer));
      return copy;
    };
    expect((await mediaError(process(withFmt((v) => v.setUint16(20, 2, true)), "audio/wav"))).message).toBe(
      "Unsupported WAV encoding (format tag 0x0002): only PCM and IEEE float WAV files are supported.",
    );
    const sixChannels = withFmt((v) => {
      v.setUint16(22, 6, true);
      v.setUint16(32, 12, true);
    });
    expect((await mediaError(process(sixChannels, "audio/wav"))).message).toBe("Unsupported WAV file: it has 6 channels; only mono and stereo are supported.");
    expect((await mediaError(process(withFmt((v) => v.setUint32(24, 400_000, true)), "audio/wav"))).message).toBe(
      "Unsupported WAV file: a sample rate of 400000 Hz is outside 8000–192000 Hz.",
    );
    expect((await mediaError(process(withFmt((v) => v.setUint16(32, 3, true)), "audio/wav"))).message).toBe(
      "Not a valid WAV file: its block alignment (3) does not match 1 × 16-bit samples.",
    );
  });

  it("a WAV whose data chunk is empty: there is no audio", async () => {
    const spec = { ...testWavs["s16-48k-mono"], seconds: 0 };
    expect((await mediaError(process(wavBytes(spec), "audio/wav"))).message).toBe("The file contains no audio.");
  });

  it("a failed read of the source is not a MediaError: it is worth retrying", async () => {
    const bytes = wavBytes(testWavs["s16-48k-mono"]);
    let sent = 0;
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 100_000) return controller.error(new Error("R2 read timed out"));
        controller.enqueue(bytes.slice(sent, sent + 50_000));
        sent += 50_000;
      },
    });
    const error = await processAudio(failing, new MemorySink(), { sourceMime: "audio/wav", sourceSize: bytes.length }).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(MediaError);
    expect((error as Error).message).toBe("R2 read timed out");
  });

  it("a failed write of a segment is not a MediaError either, and stops the run", async () => {
    const bytes = wavBytes(testWavs["s16-44k-stereo"]);
    const sink = new MemorySink();
    sink.putSegment = async () => {
      throw new Error("R2 put failed");
    };
    let cancelled = false;
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 65536) controller.enqueue(bytes.slice(i, i + 65536));
      },
      cancel() {
        cancelled = true;
      },
    });
    const error = await processAudio(source, sink, { sourceMime: "audio/wav", sourceSize: bytes.length }).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(MediaError);
    expect((error as Error).message).toBe("R2 put failed");
    expect(cancelled).toBe(true);
  });
});
