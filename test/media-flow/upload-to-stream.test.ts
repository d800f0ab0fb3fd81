/**
 * The whole media path through the Worker's own handlers: a WAV uploaded in parts (with a dropped
 * connection and a resume), completed, made a track, processed by the real queue consumer, then
 * streamed over HTTP — playlists parsed, every segment checked as MPEG audio, the duration and the
 * loudness compared with the source and with ffmpeg's measurement of it.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import type { QueueMessage } from "../../src/env";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { one } from "../helpers/db";
import { signalFrames, testWavs, wavBytes } from "../helpers/audio";
import { reference } from "../media/fixtures";
import { checkHls, MemorySink } from "../media/hls-checks";
import { capturingQueue } from "../helpers/queues";

const MiB = 1024 * 1024;
const SOURCE = testWavs["s16-44k-stereo-32s"];

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** Delivers messages to the Worker's queue consumer as if from `queue`; says which were acked or retried. */
async function deliver(queue: string, bodies: QueueMessage[], attempts = 1, bindings: Partial<Cloudflare.Env> = {}) {
  const batch = createMessageBatch<QueueMessage>(queue, bodies.map((body, i) => ({ id: `m${i}-${crypto.randomUUID()}`, timestamp: new Date(), attempts, body })));
  const ctx = createExecutionContext();
  await worker.queue(batch, { ...env, ...bindings }, ctx);
  const result = await getQueueResult(batch, ctx);
  return { acked: result.explicitAcks.length, retried: result.retryMessages.length };
}

const put = (path: string, user: SignedInUser, body: BodyInit, length: number) =>
  exports.default.fetch(`http://veza.test${path}`, {
    method: "PUT",
    headers: { ...user.headers, "content-type": "application/octet-stream", "content-length": String(length) },
    body,
    duplex: "half",
  } as RequestInit);

/** Uploads `bytes` through the resumable-upload API and returns the stored file's id. */
async function upload(user: SignedInUser, bytes: Uint8Array, filename: string) {
  const sha256 = hex(await crypto.subtle.digest("SHA-256", bytes));
  const created = await api("POST", "/v1/uploads", { headers: user.headers, body: { filename, size: bytes.length, mime_type: "audio/wav", sha256, part_size: 5 * MiB } });
  expect(created.status).toBe(201);
  return created.body as { id: string; part_size: number; total_parts: number };
}

/** A track made from `bytes`, with its media.process message captured rather than sent. */
async function trackFrom(user: SignedInUser, bytes: Uint8Array, visibility = "private") {
  const up = await upload(user, bytes, "take.wav");
  for (let n = 1; n <= up.total_parts; n++) {
    const part = bytes.subarray((n - 1) * up.part_size, n * up.part_size);
    expect((await put(`/v1/uploads/${up.id}/parts/${n}`, user, part, part.length)).status).toBe(200);
  }
  const file = await api("POST", `/v1/uploads/${up.id}/complete`, { headers: user.headers });
  expect(file.status).toBe(201);
  const media = capturingQueue();
  const track = await api("POST", "/v1/tracks", { headers: user.headers, body: { file_id: file.body.id, title: "Take", visibility }, bindings: { MEDIA_QUEUE: media.queue } });
  expect(track.status).toBe(201);
  expect(media.sent).toHaveLength(1);
  return { id: track.body.id as string, message: media.sent[0]! };
}

/** Fetches a track's HLS over HTTP, as a player would, into a MemorySink keyed like the pipeline's. */
async function fetchHls(masterUrl: string) {
  const sink = new MemorySink();
  const get = async (url: string) => {
    const res = await exports.default.fetch(new URL(url, "http://veza.test"));
    expect(res.status, url).toBe(200);
    return res;
  };
  const masterRes = await get(masterUrl);
  expect(masterRes.headers.get("content-type")).toContain("application/vnd.apple.mpegurl");
  const text = async (res: Response) => new TextDecoder().decode(await res.arrayBuffer());
  const master = await text(masterRes);
  const base = new URL(masterUrl, "http://veza.test");
  const local = (uri: string) => uri.replace(/\?.*$/, "").replace(/^[0-9a-f-]{36}\//, "");
  await sink.putPlaylist("master.m3u8", master.replace(/^(?!#)(.+)$/gm, (uri) => local(uri)));
  for (const uri of master.split("\n").filter((l) => l && !l.startsWith("#"))) {
    const mediaUrl = new URL(uri, base);
    const playlist = await text(await get(mediaUrl.href));
    const rendition = local(uri).split("/")[0]!;
    await sink.putPlaylist(`${rendition}/index.m3u8`, playlist.replace(/^(?!#)(.+)$/gm, (line) => line.replace(/\?.*$/, "")));
    for (const segmentUri of playlist.split("\n").filter((l) => l && !l.startsWith("#"))) {
      const res = await get(new URL(segmentUri, mediaUrl).href);
      expect(res.headers.get("content-type")).toBe("audio/mpeg");
      expect(res.headers.get("cache-control")).toContain("immutable");
      await sink.putSegment(rendition, segmentUri.replace(/\?.*$/, ""), new Uint8Array(await res.arrayBuffer()));
    }
  }
  return sink;
}

describe("upload → queue → HLS", () => {
  it("uploads in parts with a resume, processes through the queue consumer and streams valid HLS", async () => {
    const owner = await signedInUser();
    const bytes = wavBytes(SOURCE);
    expect(bytes.length).toBeGreaterThan(5 * MiB);
    const sha256 = hex(await crypto.subtle.digest("SHA-256", bytes));
    const up = await upload(owner, bytes, "long take.wav");
    expect(up.total_parts).toBe(2);

    // Part 1 arrives; part 2's connection drops half-way: nothing of it is recorded.
    const first = bytes.subarray(0, up.part_size);
    expect((await put(`/v1/uploads/${up.id}/parts/1`, owner, first, first.length)).status).toBe(200);
    const second = bytes.subarray(up.part_size);
    let sent = false;
    const dropped = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return controller.error(new Error("connection dropped"));
        sent = true;
        controller.enqueue(second.slice(0, second.length >> 1));
      },
    });
    const broken = await put(`/v1/uploads/${up.id}/parts/2`, owner, dropped, second.length);
    expect(broken.status).toBe(400);
    const progress = await api("GET", `/v1/uploads/${up.id}`, { headers: owner.headers });
    expect(progress.body).toMatchObject({ status: "uploading", bytes_uploaded: up.part_size, missing_parts: [2], parts: [{ part_number: 1, size: up.part_size }] });

    // The client resumes with what is missing and completes.
    expect((await put(`/v1/uploads/${up.id}/parts/2`, owner, second, second.length)).status).toBe(200);
    const file = await api("POST", `/v1/uploads/${up.id}/complete`, { headers: owner.headers });
    expect(file.status).toBe(201);
    expect(file.body).toMatchObject({ mime_type: "audio/wav", kind: "audio", size: bytes.length, sha256 });

    const media = capturingQueue();
    const created = await api("POST", "/v1/tracks", {
      headers: owner.headers,
      body: { file_id: file.body.id, title: "Long take", visibility: "private" },
      bindings: { MEDIA_QUEUE: media.queue },
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe("pending");
    expect(await deliver("veza-media", media.sent)).toEqual({ acked: 1, retried: 0 });

    const track = (await api("GET", `/v1/tracks/${created.body.id}`, { headers: owner.headers })).body;
    expect(track.status).toBe("ready");
    expect(track.processing).toEqual({ progress: 100, error: null });
    const seconds = signalFrames(SOURCE) / SOURCE.sampleRate;
    expect(Math.abs(track.duration_ms / 1000 - seconds)).toBeLessThan(0.1);
    const ffmpeg = reference["s16-44k-stereo-32s.wav"]!;
    expect(Math.abs(Number(track.loudness.integrated_lufs) - ffmpeg.integratedLufs)).toBeLessThan(0.5);
    expect(Number(track.loudness.replay_gain_db)).toBeCloseTo(-18 - Number(track.loudness.integrated_lufs), 1);
    expect(track.waveform).toMatchObject({ version: 2, channels: 1, bits: 8, sample_rate: 44100 });
    expect(track.waveform.data).toHaveLength(track.waveform.length * 2);

    const metadata = await one("SELECT duration_ms, sample_rate, channels, codec, bitrate FROM file_metadata WHERE file_id = $1", [file.body.id]);
    expect(metadata).toMatchObject({ sample_rate: 44100, channels: 2, codec: "pcm_s16le", bitrate: 1411 });
    expect((await one("SELECT status, progress, attempts FROM file_conversions WHERE source_file_id = $1", [file.body.id]))).toEqual({ status: "completed", progress: 100, attempts: 1 });

    // The owner streams it through a signed URL; every playlist and segment checks out.
    const stream = await api("GET", `/v1/tracks/${created.body.id}/stream`, { headers: owner.headers });
    expect(stream.body.master_url).toMatch(/[?&]sig=/);
    const sink = await fetchHls(stream.body.master_url);
    const renditions = await checkHls(sink, { sampleRate: 44100, channels: 2 });
    expect(renditions.map((r) => r.uri)).toEqual(expect.arrayContaining(["64k/index.m3u8", "128k/index.m3u8", "256k/index.m3u8"]));
    for (const r of renditions) {
      expect(Math.abs(r.extinfSeconds - seconds), `${r.uri}: EXTINF total`).toBeLessThan(0.1);
      expect(Math.abs(r.frameSeconds - seconds), `${r.uri}: MPEG frames total`).toBeLessThan(0.1);
    }

    // A private track is nobody else's: not its page, not its playlists, not its segments.
    const other = await signedInUser();
    expect((await api("GET", `/v1/tracks/${created.body.id}`)).status).toBe(404);
    expect((await api("GET", `/v1/tracks/${created.body.id}`, { headers: other.headers })).status).toBe(404);
    const unsigned = new URL(stream.body.master_url, "http://veza.test");
    unsigned.search = "";
    expect((await exports.default.fetch(unsigned, { headers: other.headers })).status).toBe(404);
    expect((await exports.default.fetch(unsigned)).status).toBe(404);
    const segment = [...sink.segments.keys()][0]!;
    const run = String((await one("SELECT hls_path FROM tracks WHERE id = $1", [created.body.id])).hls_path).split("/").pop();
    const segmentUrl = `http://veza.test/v1/tracks/${created.body.id}/hls/${run}/${segment}`;
    expect([403, 404]).toContain((await exports.default.fetch(segmentUrl)).status);
    const forged = new URL(segmentUrl);
    forged.search = `?exp=${Math.floor(Date.now() / 1000) + 3600}&sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
    expect((await exports.default.fetch(forged)).status).toBe(403);
  });

  it("does not redo a processed track when the message is delivered again", async () => {
    const owner = await signedInUser();
    const { id, message } = await trackFrom(owner, wavBytes(testWavs["s16-48k-mono"]), "public");
    expect(await deliver("veza-media", [message])).toEqual({ acked: 1, retried: 0 });
    const before = await one("SELECT hls_path, updated_at FROM tracks WHERE id = $1", [id]);
    const objects = (await env.MEDIA.list({ prefix: `${before.hls_path}/` })).objects.map((o) => `${o.key}@${o.etag}`);

    expect(await deliver("veza-media", [message], 2)).toEqual({ acked: 1, retried: 0 });
    expect(await one("SELECT hls_path, updated_at FROM tracks WHERE id = $1", [id])).toEqual(before);
    expect((await env.MEDIA.list({ prefix: `${before.hls_path}/` })).objects.map((o) => `${o.key}@${o.etag}`)).toEqual(objects);
    expect((await one("SELECT attempts FROM file_conversions WHERE id = $1", [message.conversionId])).attempts).toBe(1);

    // Public: anyone can play it, no signature needed.
    const master = await exports.default.fetch(`http://veza.test/v1/tracks/${id}/hls/master.m3u8`);
    expect(master.status).toBe(200);
    await checkHls(await fetchHls(`/v1/tracks/${id}/hls/master.m3u8`), { sampleRate: 48000, channels: 1 });
  });

  it("fails a corrupt file at once with a clear reason, shown to its owner", async () => {
    const owner = await signedInUser();
    // A real WAV header, then a data chunk cut short: the sniffer accepts it, the decoder cannot.
    const good = wavBytes(testWavs["s16-48k-mono"]);
    const corrupt = good.slice(0, 44 + 1001);
    const { id, message } = await trackFrom(owner, corrupt);
    expect(await deliver("veza-media", [message])).toEqual({ acked: 1, retried: 0 });
    const track = (await api("GET", `/v1/tracks/${id}`, { headers: owner.headers })).body;
    expect(track.status).toBe("failed");
    expect(track.processing.error).toMatch(/WAV/i);
    const conversion = await one("SELECT status, error_message FROM file_conversions WHERE id = $1", [message.conversionId]);
    expect(conversion).toEqual({ status: "failed", error_message: track.processing.error });
    expect((await api("GET", `/v1/tracks/${id}/hls/master.m3u8`, { headers: owner.headers })).status).toBe(409);
  });

  it("retries when storage fails, then dead-letters with the reason on the track", async () => {
    const owner = await signedInUser();
    const { id, message } = await trackFrom(owner, wavBytes(testWavs["s16-48k-mono"]));
    const brokenStorage = {
      get: async () => {
        throw new Error("R2 is unavailable");
      },
    } as unknown as R2Bucket;
    expect(await deliver("veza-media", [message], 1, { MEDIA: brokenStorage })).toEqual({ acked: 0, retried: 1 });
    expect((await one("SELECT error_message FROM file_conversions WHERE id = $1", [message.conversionId])).error_message).toContain("R2 is unavailable");
    expect((await one("SELECT status FROM tracks WHERE id = $1", [id])).status).not.toBe("failed");

    // Every attempt failed: the dead-letter queue's consumer gives up on it, and says why.
    expect(await deliver("veza-media-dlq", [message], 1)).toEqual({ acked: 1, retried: 0 });
    const track = (await api("GET", `/v1/tracks/${id}`, { headers: owner.headers })).body;
    expect(track.status).toBe("failed");
    expect(track.processing.error).toMatch(/R2 is unavailable/);
  });
});
