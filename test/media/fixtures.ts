/**
 * The committed audio fixtures (scripts/media/make-fixtures.sh), and ffmpeg's measurements of them
 * and of the synthesised WAVs. Binary files reach workerd as Vite `?inline` imports (base64 data
 * URLs): no module rules or global setup needed.
 */
import monoFlac from "../fixtures/audio/mono-48k-24bit.flac?inline";
import monoVbrMp3 from "../fixtures/audio/mono-48k-vbr.mp3?inline";
import stereoMp3 from "../fixtures/audio/stereo-44k-128k.mp3?inline";
import stereoFlac from "../fixtures/audio/stereo-44k.flac?inline";
import referenceJson from "../fixtures/audio/reference.json";

export interface Reference {
  integratedLufs: number;
  truePeakDbtp: number;
  samples: number;
  sampleRate: number;
  channels: number;
}

export const reference = referenceJson as unknown as Record<string, Reference>;

const fromDataUrl = (url: string) => Uint8Array.from(atob(url.slice(url.indexOf(",") + 1)), (c) => c.charCodeAt(0));

export const fixtures = {
  "stereo-44k.flac": fromDataUrl(stereoFlac),
  "mono-48k-24bit.flac": fromDataUrl(monoFlac),
  "stereo-44k-128k.mp3": fromDataUrl(stereoMp3),
  "mono-48k-vbr.mp3": fromDataUrl(monoVbrMp3),
};

/**
 * `bytes` as a stream of `chunkSize` chunks, each its own buffer; or, with `byteStream`, as a byte
 * stream like an R2 body, which the pipeline reads into a buffer of its own (BYOB).
 */
export function streamOf(bytes: Uint8Array, chunkSize = 65536, byteStream = false): ReadableStream<Uint8Array> {
  let offset = 0;
  const pull = (controller: ReadableStreamDefaultController<Uint8Array> | ReadableByteStreamController) => {
    if (offset >= bytes.length) return controller.close();
    controller.enqueue(bytes.slice(offset, offset + chunkSize));
    offset += chunkSize;
  };
  return byteStream ? new ReadableStream({ type: "bytes", pull }) : new ReadableStream<Uint8Array>({ pull });
}
