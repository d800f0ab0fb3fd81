import { createHash } from "node:crypto";
import { neon, neonConfig } from "@neondatabase/serverless";
import { DEMO_PASSWORD } from "../scripts/seed";
import { buildWorker, roundTripsFor, startBenchDatabase, taggedUrl, workerInWorkerd, jsonInit, setupCaller, type Row } from "./lib";

/**
 * Database round trips of the track reads (DESIGN §8: 1 per read endpoint, ≤ 2 per write), each
 * call on a Worker of its own whose DATABASE_URL carries a tag the dev server counts by. The track
 * is made through the API (upload → complete → POST /v1/tracks) and then marked processed with its
 * HLS objects in R2, as the queue consumer leaves it (the consumer itself is measured by `media`).
 */
export async function tracksBench(): Promise<Row[]> {
  const build = await buildWorker();
  const server = await startBenchDatabase();
  const rows: Row[] = [];
  try {
    const setup = workerInWorkerd(build.script, taggedUrl(server, "setup"));
    const call = setupCaller(setup);
    const token = (await call("/v1/auth/login", jsonInit("POST", { identifier: "okra_beats", password: DEMO_PASSWORD }))).session.accessToken as string;
    const wav = new Uint8Array(44 + 44100 * 4);
    wav.set(new TextEncoder().encode("RIFF"), 0);
    const view = new DataView(wav.buffer);
    view.setUint32(4, wav.length - 8, true);
    wav.set(new TextEncoder().encode("WAVEfmt "), 8);
    view.setUint32(16, 16, true);
    view.setUint16(20, 1, true);
    view.setUint16(22, 2, true);
    view.setUint32(24, 44100, true);
    view.setUint32(28, 44100 * 4, true);
    view.setUint16(32, 4, true);
    view.setUint16(34, 16, true);
    wav.set(new TextEncoder().encode("data"), 36);
    view.setUint32(40, 44100 * 4, true);
    for (let i = 0; i < 44100 * 2; i++) view.setInt16(44 + i * 2, Math.round(8000 * Math.sin(i / 20)), true);
    const sha256 = createHash("sha256").update(wav).digest("hex");
    const upload = await call("/v1/uploads", jsonInit("POST", { filename: "bench.wav", size: wav.length, mime_type: "audio/wav", sha256 }, token));
    await call(`/v1/uploads/${upload.id}/parts/1`, { method: "PUT", headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream", "content-length": String(wav.length) }, body: wav });
    const file = await call(`/v1/uploads/${upload.id}/complete`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
    const track = await call("/v1/tracks", jsonInit("POST", { file_id: file.id, title: "Bench track", visibility: "public" }, token));

    const run = crypto.randomUUID();
    const prefix = `hls/${track.id}/${run}`;
    neonConfig.fetchEndpoint = () => `${server.url}/sql`;
    await neon(taggedUrl(server, "setup")).query(
      "UPDATE tracks SET status = 'ready', processing_progress = 100, duration = 1, duration_ms = 1000, hls_path = $2 WHERE id = $1",
      [track.id, prefix],
    );
    // What the queue consumer would have left in R2 (local R2 is per Miniflare instance: each
    // measured Worker gets a copy).
    const objects: Record<string, string | Uint8Array> = {
      [`${prefix}/master.m3u8`]: "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-STREAM-INF:BANDWIDTH=128000,CODECS=\"mp4a.40.34\"\n128k/index.m3u8\n",
      [`${prefix}/128k/index.m3u8`]: "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\nseg-00000.mp3\n#EXT-X-ENDLIST\n",
      [`${prefix}/128k/seg-00000.mp3`]: new Uint8Array(16000),
    };
    await setup.dispose();

    const measure = async (tag: string, label: string, path: string, init: RequestInit = {}, times = 1) => {
      const mf = workerInWorkerd(build.script, taggedUrl(server, tag));
      try {
        const media = await mf.getR2Bucket("MEDIA");
        for (const [key, value] of Object.entries(objects)) await media.put(key, value);
        for (let i = 0; i < times; i++) {
          const res = (await mf.dispatchFetch(`https://veza.bench${path}`, init as never)) as unknown as Response;
          if (res.status >= 400) throw new Error(`${path}: ${res.status} ${await res.text()}`);
          await res.arrayBuffer();
        }
      } finally {
        await mf.dispose();
      }
      const { requests } = await roundTripsFor(server, tag);
      rows.push({ area: "tracks", metric: label, value: requests / times, unit: "round trips", budget: "≤ 1", ok: requests / times <= 1 });
    };
    await measure("read", "GET /v1/tracks/:id", `/v1/tracks/${track.id}`);
    await measure("list", "GET /v1/users/:username/tracks", "/v1/users/okra_beats/tracks");
    await measure("master", "GET /v1/tracks/:id/hls/master.m3u8 (public)", `/v1/tracks/${track.id}/hls/master.m3u8`);
    await measure("segments", "GET …/hls/:run/128k/seg-00000.mp3 (public, per request over 10)", `/v1/tracks/${track.id}/hls/${run}/128k/seg-00000.mp3`, {}, 10);
    await measure("play", "POST /v1/tracks/:id/plays", `/v1/tracks/${track.id}/plays`, jsonInit("POST", { played_duration: 1 }));
  } finally {
    await server.close();
  }
  return rows;
}
