import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../src/index";
import type { QueueMessage } from "../../src/env";
import { forgetAuthState } from "../../src/lib/auth/state";
import { signStream } from "../../src/domains/tracks/stream-signature";
import { insert, sql, uniq } from "../helpers/db";

/** Fixtures of the tracks domain's tests. */

export { capturingQueue } from "../helpers/queues";

/** A MEDIA_QUEUE that is down. */
export const failingQueue = {
  async send() {
    throw new Error("queue unavailable");
  },
  async sendBatch() {
    throw new Error("queue unavailable");
  },
} as unknown as Queue<QueueMessage>;

/** A raw request through the Worker (binary bodies, headers), waiting for its after-response work. */
export async function call(path: string, init: RequestInit = {}, bindings: Partial<Cloudflare.Env> = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`https://veza.test${path}`, init), { ...env, ...bindings }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

export const banUser = async (id: string) => {
  await sql.query("UPDATE users SET is_banned = true WHERE id = $1", [id]);
  await forgetAuthState(id);
};
export const softDeleteUser = async (id: string) => {
  await sql.query("UPDATE users SET deleted_at = now() WHERE id = $1", [id]);
  await forgetAuthState(id);
};

/** A files row of `userId` (and, given bytes, its object in R2). */
export async function makeFile(
  userId: string,
  options: { mime?: string; originalFilename?: string; bytes?: Uint8Array; deleted?: boolean } = {},
): Promise<{ id: string; storage_path: string }> {
  const tag = uniq();
  const mime = options.mime ?? "audio/wav";
  const storagePath = `files/${userId}/${tag}`;
  if (options.bytes) await env.MEDIA.put(storagePath, options.bytes, { httpMetadata: { contentType: mime } });
  return (await insert(
    "files",
    {
      user_id: userId,
      filename: tag,
      original_filename: options.originalFilename ?? `${tag}.wav`,
      mime_type: mime,
      file_size: options.bytes?.byteLength ?? 1024,
      storage_path: storagePath,
      url: `/v1/files/${tag}`,
      deleted_at: options.deleted ? new Date().toISOString() : null,
    },
    "id, storage_path",
  )) as { id: string; storage_path: string };
}

export const imageFile = (userId: string, bytes?: Uint8Array) => makeFile(userId, { mime: "image/png", originalFilename: "cover.png", bytes });

/** Bytes 0, 1, 2, ... (mod 256): easy to check a range against. */
export const ramp = (length: number) => Uint8Array.from({ length }, (_, i) => i % 256);

export const MASTER = [
  "#EXTM3U",
  "#EXT-X-VERSION:3",
  '#EXT-X-STREAM-INF:BANDWIDTH=70000,CODECS="mp4a.40.34"',
  "64k/index.m3u8",
  '#EXT-X-STREAM-INF:BANDWIDTH=135000,CODECS="mp4a.40.34"',
  "128k/index.m3u8",
  "",
].join("\n");

export const MEDIA_PLAYLIST = [
  "#EXTM3U",
  "#EXT-X-VERSION:3",
  "#EXT-X-TARGETDURATION:6",
  "#EXT-X-PLAYLIST-TYPE:VOD",
  "#EXTINF:6.0,",
  "seg-00000.mp3",
  "#EXTINF:4.5,",
  "seg-00001.mp3",
  "#EXT-X-ENDLIST",
  "",
].join("\n");

export const SEGMENT_BYTES = 1000;

/**
 * Fake renditions in R2, as the pipeline lays them out (hls/<track>/<run>/...): a master with
 * 64k and 128k, each with two segments of SEGMENT_BYTES ramp bytes.
 */
export async function putHls(trackId: string, run: string): Promise<void> {
  const prefix = `hls/${trackId}/${run}`;
  await env.MEDIA.put(`${prefix}/master.m3u8`, MASTER, { httpMetadata: { contentType: "application/vnd.apple.mpegurl" } });
  for (const rendition of ["64k", "128k"]) {
    await env.MEDIA.put(`${prefix}/${rendition}/index.m3u8`, MEDIA_PLAYLIST);
    for (const segment of ["seg-00000.mp3", "seg-00001.mp3"]) {
      await env.MEDIA.put(`${prefix}/${rendition}/${segment}`, ramp(SEGMENT_BYTES), { httpMetadata: { contentType: "audio/mpeg" } });
    }
  }
}

export const WAVEFORM = { version: 2, channels: 1, sample_rate: 44100, samples_per_pixel: 441, bits: 8, length: 2, data: [-10, 12, -100, 99] };

export interface TrackFixture {
  id: string;
  run: string;
  fileId: string;
  storagePath: string;
}

/**
 * A track written directly to the database, as the pipeline leaves it: ready by default (duration,
 * loudness, waveform, hls_path, with its renditions in R2), or in another state.
 */
export async function makeTrack(
  creatorId: string,
  options: {
    visibility?: "public" | "unlisted" | "private";
    status?: "pending" | "processing" | "ready" | "failed";
    error?: string;
    isDownloadable?: boolean;
    coverFileId?: string;
    original?: Uint8Array;
    originalFilename?: string;
    title?: string;
    deleted?: boolean;
    createdAt?: string;
    durationMs?: number;
  } = {},
): Promise<TrackFixture> {
  const id = crypto.randomUUID();
  const run = crypto.randomUUID();
  const status = options.status ?? "ready";
  const ready = status === "ready";
  const durationMs = options.durationMs ?? 200_000;
  const file = await makeFile(creatorId, { bytes: options.original ?? ramp(4096), originalFilename: options.originalFilename ?? "Night Drive (final).wav" });
  await insert("tracks", {
    id,
    creator_id: creatorId,
    file_id: file.id,
    title: options.title ?? `Track ${uniq()}`,
    artist: "The Testers",
    visibility: options.visibility ?? "public",
    is_downloadable: options.isDownloadable ?? false,
    cover_art_file_id: options.coverFileId ?? null,
    status,
    processing_progress: ready ? 100 : status === "processing" ? 40 : 0,
    processing_error: status === "failed" ? (options.error ?? "The file is not valid audio: truncated WAV data chunk.") : null,
    duration: ready ? Math.round(durationMs / 1000) : null,
    duration_ms: ready ? durationMs : null,
    hls_path: ready ? `hls/${id}/${run}` : null,
    integrated_lufs: ready ? "-14.20" : null,
    true_peak_dbtp: ready ? "-1.05" : null,
    replay_gain_db: ready ? "-3.80" : null,
    waveform_data: ready ? JSON.stringify(WAVEFORM) : null,
    published_at: ready && (options.visibility ?? "public") === "public" ? new Date().toISOString() : null,
    deleted_at: options.deleted ? new Date().toISOString() : null,
    ...(options.createdAt ? { created_at: options.createdAt } : {}),
  });
  if (ready) await putHls(id, run);
  return { id, run, fileId: file.id, storagePath: file.storage_path };
}

/** `?exp=&sig=` as the API signs it, optionally as signed at another time. */
export async function signature(trackId: string, at = Date.now()): Promise<{ exp: number; sig: string; query: string }> {
  const signed = await signStream(env.JWT_SECRET, trackId, at);
  return { ...signed, query: `?exp=${signed.exp}&sig=${signed.sig}` };
}

export const bytesOf = async (res: Response) => new Uint8Array(await res.arrayBuffer());

/** A playlist's text (Response#text() warns for a non-text content type). */
export const textOf = async (res: Response) => new TextDecoder().decode(await res.arrayBuffer());
