/**
 * The media bench's Worker (bench/media.ts): the pipeline as the queue consumer runs it, on an R2
 * object, without the database.
 *   PUT  /<key>                 stores the request body in R2
 *   POST /<key>                 processes it, segments and playlists written to R2; answers the report
 *   POST /<key>?sink=<url>      the same, segments and playlists PUT to <url>/<path> instead
 *   POST /<key>?sink=drop       the same, segments and playlists dropped in the isolate
 *   POST /<key>?lame=<kbps>     decodes it and encodes one rung, nothing else: the pipeline's ceiling
 */
import { Lame } from "../src/media/lame";
import { PcmBlocker } from "../src/media/pcm";
import { processAudio, type HlsSink } from "../src/media/pipeline";
import { WavDecoder } from "../src/media/wav";

interface Env {
  MEDIA: R2Bucket;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const key = url.pathname.slice(1);
    if (request.method === "PUT") {
      await env.MEDIA.put(key, request.body);
      return new Response(null, { status: 204 });
    }
    const object = await env.MEDIA.get(key);
    if (!object) return new Response("no such object", { status: 404 });
    const kbps = url.searchParams.get("lame");
    if (kbps) {
      await encodeOnly(object.body, Number(kbps));
      return new Response(null, { status: 204 });
    }
    const report = await processAudio(object.body, sinkFor(env, key, url.searchParams.get("sink")), { sourceMime: "audio/wav", sourceSize: object.size });
    return Response.json({ ...report, waveform: undefined });
  },
} satisfies ExportedHandler<Env>;

function sinkFor(env: Env, key: string, url: string | null): HlsSink {
  const put = url === "drop"
    ? async () => {}
    : url
    ? async (path: string, body: Uint8Array | string) => {
        const res = await fetch(`${url}/${key}/${path}`, { method: "PUT", body });
        if (!res.ok) throw new Error(`sink answered ${res.status}`);
        await res.arrayBuffer();
      }
    : async (path: string, body: Uint8Array | string) => void (await env.MEDIA.put(`hls/${key}/${path}`, body));
  return { putSegment: (rendition, name, bytes) => put(`${rendition}/${name}`, bytes), putPlaylist: put };
}

/** The WAV decoded and encoded at one bitrate, the output dropped: what LAME alone costs on this audio. */
async function encodeOnly(source: ReadableStream<Uint8Array>, kbps: number): Promise<void> {
  const decoder = new WavDecoder();
  const lame = await Lame.instantiate();
  let blocker: PcmBlocker | null = null;
  let encoder: ReturnType<Lame["encoder"]> | null = null;
  const encode = async (block: { channels: readonly Float32Array[]; frames: number }) => void encoder!.encode(block.channels, block.frames);
  for await (const chunk of source) {
    const pcm = await decoder.decode(chunk);
    if (!pcm) continue;
    const { channels, sampleRate } = decoder.format!;
    encoder ??= lame.encoder({ channels, sampleRate, outputSampleRate: sampleRate, bitrate: kbps });
    blocker ??= new PcmBlocker(channels, 16384);
    await blocker.push(pcm, encode);
  }
  await blocker?.flush(encode);
  encoder?.flush();
}
