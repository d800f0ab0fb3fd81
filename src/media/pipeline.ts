import { MediaError } from "./errors";
import { FlacDecoder } from "./flac";
import { masterPlaylist, type Segment } from "./hls";
import { Lame } from "./lame";
import { LoudnessMeter } from "./loudness";
import { Mp3Decoder } from "./mp3";
import { PcmBlocker, type PcmBlock } from "./pcm";
import { ladderFor, Rendition } from "./renditions";
import type { SourceDecoder, SourceFormat } from "./source";
import { TruePeakMeter } from "./true-peak";
import { WavDecoder } from "./wav";
import { WaveformBuilder, type Waveform } from "./waveform";

export { MediaError } from "./errors";

export interface HlsSink {
  /**
   * e.g. ("128k", "seg-00000.mp3", bytes): called as soon as a segment is cut, and awaited. `bytes`
   * is only valid until the returned promise settles (its buffer then takes the next segment):
   * write it (R2 put) or copy it.
   */
  putSegment(rendition: string, name: string, bytes: Uint8Array): Promise<void>;
  /** "master.m3u8" or "128k/index.m3u8": the media playlists, then the master, once every segment is written. */
  putPlaylist(path: string, text: string): Promise<void>;
}

export interface ProcessOptions {
  sourceMime: "audio/wav" | "audio/flac" | "audio/mpeg";
  /** Bytes, for progress. */
  sourceSize: number;
  /** The fraction of the source read (and processed) so far: every 5 %, and 1 when all is read. */
  onProgress?: (fraction: number) => void | Promise<void>;
  /** Min/max pairs of the waveform (default 1000). */
  waveformLength?: number;
}

export interface AudioReport {
  codec: "pcm_s16le" | "pcm_s24le" | "pcm_f32le" | "flac" | "mp3" | string;
  sampleRate: number;
  channels: number;
  durationMs: number;
  /** The source's average bits/s. */
  bitrate: number;
  bitDepth?: number;
  /** Null when every block is gated out: silence, or under 400 ms. */
  integratedLufs: number | null;
  truePeakDbtp: number | null;
  /** ReplayGain 2.0: the gain that brings the track to −18 LUFS. */
  replayGainDb: number | null;
  waveform: Waveform;
  /** Highest bitrate first (bits/s), as in master.m3u8. */
  renditions: { name: string; bitrate: number; segments: number; durationMs: number }[];
}

/**
 * A 1000-pair waveform: a player is at most ~1000 CSS pixels wide and draws bars of 2–3 px, so it
 * only ever groups pairs, never invents them; timed comments get ~0.2 s resolution on a 3-minute
 * track; and the JSON stays around 8 KB in the tracks row.
 */
const DEFAULT_WAVEFORM_LENGTH = 1000;
/** Frames per block through analysis and encoders: 0.37 s at 44.1 kHz, 128 KiB of stereo floats. */
const BLOCK_FRAMES = 16384;
const PROGRESS_STEP = 0.05;
/** Bytes read from the source at a time, when it lets us choose (see ChunkReader). */
const READ_BYTES = 64 * 1024;

/**
 * The media pipeline (DESIGN §5): decodes the source as it streams in, and in the same pass
 * measures it (duration, EBU R128 loudness, true peak, waveform) and encodes the MP3 ladder, cutting
 * each rendition into HLS segments handed to `sink` as they complete. Memory does not grow with the
 * track's length: one block of audio, one segment per rendition, fixed-size meters.
 *
 * Throws MediaError when the source is not decodable audio of `sourceMime` (permanent); anything
 * else (a failed read of `source`, a failed write to `sink`) is transient.
 */
export async function processAudio(source: ReadableStream<Uint8Array>, sink: HlsSink, opts: ProcessOptions): Promise<AudioReport> {
  const reader = new ChunkReader(source);
  let decoder: SourceDecoder | null = null;
  let run: Run | null = null;
  const waveformLength = opts.waveformLength ?? DEFAULT_WAVEFORM_LENGTH;
  try {
    decoder = createDecoder(opts.sourceMime);
    let read = 0;
    let reported = 0;
    for (let chunk = await reader.read(); chunk; chunk = await reader.read()) {
      read += chunk.byteLength;
      const pcm = await decoder.decode(chunk);
      if (pcm) {
        run ??= await Run.start(decoder.format!, sink, waveformLength);
        await run.push(pcm);
      }
      const fraction = opts.sourceSize > 0 ? Math.min(1, read / opts.sourceSize) : 0;
      if (opts.onProgress && (fraction - reported >= PROGRESS_STEP || (fraction === 1 && reported < 1))) {
        reported = fraction;
        await opts.onProgress(fraction);
      }
    }
    const tail = await decoder.finish();
    if (tail) {
      run ??= await Run.start(decoder.format!, sink, waveformLength);
      await run.push(tail);
    }
    if (!run) throw new MediaError("The file contains no audio.");
    return await run.finish(decoder);
  } catch (error) {
    await reader.cancel();
    throw error;
  } finally {
    decoder?.free();
    run?.free();
  }
}

/**
 * Reads the source into one buffer, over and over, when it is a byte stream (an R2 body is): the
 * hour of a WAV is 635 MB, and a fresh buffer per chunk is as much garbage for the GC to chase,
 * which shows as memory that grows with the length. Other streams are read as they come.
 * The decoders copy whatever they keep of a chunk, so the buffer is free again once they return.
 */
class ChunkReader {
  private readonly byob: ReadableStreamBYOBReader | null;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array> | null;
  private buffer: ArrayBuffer | null = new ArrayBuffer(READ_BYTES);

  constructor(source: ReadableStream<Uint8Array>) {
    let byob: ReadableStreamBYOBReader | null = null;
    try {
      byob = source.getReader({ mode: "byob" });
    } catch {
      // not a byte stream
    }
    this.byob = byob;
    this.reader = byob ? null : source.getReader();
  }

  /** The next chunk (valid until the next call), or null at the end. */
  async read(): Promise<Uint8Array | null> {
    if (!this.byob) {
      const { done, value } = await this.reader!.read();
      return done ? null : value;
    }
    const { done, value } = await this.byob.read(new Uint8Array(this.buffer!));
    // The read transfers the buffer; what comes back is its new owner.
    this.buffer = value?.buffer ?? null;
    return done || !value ? null : value;
  }

  async cancel(): Promise<void> {
    await (this.byob ?? this.reader)!.cancel().catch(() => {});
  }
}

function createDecoder(mime: ProcessOptions["sourceMime"]): SourceDecoder {
  switch (mime) {
    case "audio/wav":
      return new WavDecoder();
    case "audio/flac":
      return new FlacDecoder();
    case "audio/mpeg":
      return new Mp3Decoder();
    default:
      throw new MediaError(`Unsupported audio type ${String(mime)}: only WAV, FLAC and MP3 can be processed.`);
  }
}

/** Everything downstream of the decoder, set up once the source's format is known. */
class Run {
  private readonly blocker: PcmBlocker;
  private readonly loudness: LoudnessMeter;
  private readonly truePeak: TruePeakMeter;
  private readonly waveform: WaveformBuilder;
  /** Per rendition, what hands its segments to the sink. */
  private readonly emitters: ((segment: Segment) => Promise<void>)[];
  private frames = 0;

  private constructor(private readonly format: SourceFormat, private readonly sink: HlsSink, private readonly renditions: Rendition[], waveformLength: number) {
    const { sampleRate, channels } = format;
    this.blocker = new PcmBlocker(channels, BLOCK_FRAMES);
    this.loudness = new LoudnessMeter(sampleRate, channels);
    this.truePeak = new TruePeakMeter(sampleRate, channels);
    this.waveform = new WaveformBuilder(sampleRate, waveformLength);
    this.emitters = renditions.map(({ name }) => (segment) => sink.putSegment(name, segment.name, segment.bytes));
  }

  static async start(format: SourceFormat, sink: HlsSink, waveformLength: number): Promise<Run> {
    const lame = await Lame.instantiate();
    const renditions = ladderFor(format).map((kbps) => new Rendition(lame, format, kbps));
    return new Run(format, sink, renditions, waveformLength);
  }

  push(pcm: PcmBlock): Promise<void> {
    this.frames += pcm.frames;
    return this.blocker.push(pcm, this.process);
  }

  async finish(decoder: SourceDecoder): Promise<AudioReport> {
    await this.blocker.flush(this.process);
    for (const [i, rendition] of this.renditions.entries()) await rendition.finish(this.emitters[i]!);
    const variants = [];
    for (const { name, segmenter } of this.renditions) {
      await this.sink.putPlaylist(`${name}/index.m3u8`, segmenter.playlist());
      variants.push({ uri: `${name}/index.m3u8`, ...segmenter.bandwidth() });
    }
    await this.sink.putPlaylist("master.m3u8", masterPlaylist(variants));

    const { codec, sampleRate, channels, bitDepth } = this.format;
    const lufs = this.loudness.integrated();
    const peak = this.truePeak.dbtp();
    return {
      codec,
      sampleRate,
      channels,
      bitDepth,
      durationMs: Math.round((this.frames * 1000) / sampleRate),
      bitrate: decoder.averageBitrate(this.frames),
      integratedLufs: lufs === null ? null : round2(lufs),
      truePeakDbtp: peak === null ? null : round2(peak),
      replayGainDb: lufs === null ? null : round2(-18 - lufs),
      waveform: this.waveform.finish(),
      renditions: this.renditions.map(({ name, kbps, segmenter }) => ({
        name,
        bitrate: kbps * 1000,
        segments: segmenter.segmentCount,
        durationMs: Math.round(segmenter.seconds * 1000),
      })),
    };
  }

  free(): void {
    for (const rendition of this.renditions) rendition.free();
  }

  /** One block through every meter and every encoder. */
  private readonly process = async (block: PcmBlock): Promise<void> => {
    this.loudness.add(block);
    this.truePeak.add(block);
    this.waveform.add(block);
    for (const [i, rendition] of this.renditions.entries()) await rendition.encode(block, this.emitters[i]!);
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
