import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../src/index";
import { readResponse, type SignedInUser } from "../helpers/auth";
import { PNG } from "./real-media";

/** Fixtures of the uploads tests: synthesised media, and a client of the upload routes. */

export const MiB = 1024 * 1024;
/** R2's smallest part; the tests' files are a little larger, so they take two parts. */
export const PART = 5 * MiB;

let seedCounter = 0;
/** A seed no other fixture of this run uses: every file differs, so no two tests collide on a hash. */
export const freshSeed = () => (Date.now() % 100_000) * 1000 + seedCounter++;

/**
 * A 16-bit PCM WAV of exactly `bytes` bytes: a RIFF/WAVE header, then a stereo sine whose pitch
 * depends on `seed` (so each file has its own SHA-256).
 */
export function wav(bytes: number, seed = freshSeed()): Uint8Array {
  const dataBytes = Math.max(4, bytes - 44);
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  const text = (at: number, s: string) => [...s].forEach((ch, i) => (out[at + i] = ch.charCodeAt(0)));
  text(0, "RIFF");
  view.setUint32(4, 36 + dataBytes, true);
  text(8, "WAVE");
  text(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 2, true); // stereo
  view.setUint32(24, 44_100, true);
  view.setUint32(28, 44_100 * 4, true);
  view.setUint16(32, 4, true);
  view.setUint16(34, 16, true);
  text(36, "data");
  view.setUint32(40, dataBytes, true);
  const pcm = new Int16Array(out.buffer, 44, (dataBytes >> 2) * 2);
  const step = (2 * Math.PI * (220 + (seed % 1000))) / 44_100;
  for (let i = 0; i < pcm.length; i += 2) {
    const v = Math.round(Math.sin(step * (i >> 1)) * 12_000);
    pcm[i] = v;
    pcm[i + 1] = v;
  }
  view.setUint32(44, seed >>> 0, true); // the seed itself, in case two pitches' samples coincide
  return out;
}

/** One MPEG-1 Layer III frame: 128 kbit/s, 44.1 kHz, no padding (417 bytes), its payload filled from `seed`. */
function mp3Frame(seed: number): Uint8Array {
  const frame = new Uint8Array(417);
  frame.set([0xff, 0xfb, 0x90, 0x00]);
  for (let i = 4; i < frame.length; i++) frame[i] = (seed * 31 + i * 7) & 0xff;
  return frame;
}

/** `frames` consecutive MP3 frames, after an ID3v2.4 tag of `tagBytes` bytes (its body: a TXXX-like filler) when asked. */
export function mp3(frames: number, options: { tagBytes?: number; seed?: number } = {}): Uint8Array {
  const seed = options.seed ?? freshSeed();
  const tag = options.tagBytes ? id3v2Tag(options.tagBytes) : new Uint8Array(0);
  const out = new Uint8Array(tag.length + frames * 417);
  out.set(tag);
  for (let i = 0; i < frames; i++) out.set(mp3Frame(seed + i), tag.length + i * 417);
  return out;
}

/** An ID3v2.4 tag of `total` bytes: the 10-byte header with its synchsafe size, then filler (as cover art would be). */
export function id3v2Tag(total: number): Uint8Array {
  const size = total - 10;
  const tag = new Uint8Array(total);
  tag.set([0x49, 0x44, 0x33, 4, 0, 0, (size >> 21) & 0x7f, (size >> 14) & 0x7f, (size >> 7) & 0x7f, size & 0x7f]);
  for (let i = 10; i < total; i++) tag[i] = 0x41 + (i % 26); // never 0xFF: no false frame sync
  return tag;
}

/** A real PNG with `extra` trailing bytes (still a PNG; its own hash). */
export const png = (extra = freshSeed()) => new Uint8Array([...PNG, ...new TextEncoder().encode(String(extra))]);

/** A Windows executable ("MZ"), to be named something.wav. */
export function exe(bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  out.set([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00]);
  for (let i = 10; i < bytes; i++) out[i] = (i * 13 + freshSeed()) & 0xff;
  return out;
}

export async function sha256(bytes: Uint8Array): Promise<string> {
  return [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A request through the Worker's fetch handler, waiting for its after-response work; JSON parsed when there is a body. */
export async function send(request: Request, bindings: Partial<Cloudflare.Env> = {}) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(request, { ...env, ...bindings }, ctx);
  const read = await readResponse(res);
  await waitOnExecutionContext(ctx);
  return read;
}

export function call(method: string, path: string, init: { headers?: Record<string, string>; json?: unknown; bindings?: Partial<Cloudflare.Env> } = {}) {
  const headers = { ...(init.json !== undefined ? { "content-type": "application/json" } : {}), ...init.headers };
  return send(new Request(`https://veza.test${path}`, { method, headers, body: init.json !== undefined ? JSON.stringify(init.json) : undefined }), init.bindings);
}

/** The test bucket, except that `methods` fail as they would while R2 is down. */
export function bucketFailing(...methods: (keyof R2Bucket)[]): R2Bucket {
  return new Proxy(env.MEDIA, {
    get(target, prop) {
      if ((methods as (string | symbol)[]).includes(prop)) return () => Promise.reject(new Error("R2 is down"));
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** One request as `user`, so the edge cache holds their auth state (as on the hot path) before round trips are counted. */
export const warmAuth = (user: SignedInUser) => call("GET", `/v1/uploads/${crypto.randomUUID()}`, { headers: user.headers });

export interface Declared {
  filename?: string;
  mime_type?: string;
  part_size?: number;
  sha256?: string;
  size?: number;
}

/** POST /v1/uploads for `bytes` (declared as a WAV unless told). */
export async function startUpload(user: SignedInUser, bytes: Uint8Array, declared: Declared = {}) {
  return call("POST", "/v1/uploads", {
    headers: user.headers,
    json: {
      filename: declared.filename ?? "take.wav",
      size: declared.size ?? bytes.length,
      mime_type: declared.mime_type ?? "audio/wav",
      sha256: declared.sha256 ?? (await sha256(bytes)),
      ...(declared.part_size !== undefined ? { part_size: declared.part_size } : {}),
    },
  });
}

/** The request of PUT /v1/uploads/:id/parts/:n, with an explicit Content-Length (the body's, unless told). */
export function partRequest(user: SignedInUser, id: string, n: number, body: Uint8Array | ReadableStream, contentLength?: number) {
  const length = contentLength ?? (body instanceof Uint8Array ? body.length : undefined);
  return new Request(`https://veza.test/v1/uploads/${id}/parts/${n}`, {
    method: "PUT",
    headers: { ...user.headers, "content-type": "application/octet-stream", ...(length !== undefined ? { "content-length": String(length) } : {}) },
    body,
  });
}

export const putPart = (user: SignedInUser, id: string, n: number, body: Uint8Array | ReadableStream, contentLength?: number) =>
  send(partRequest(user, id, n, body, contentLength));

/** Part `n` (1-based) of `bytes` cut in parts of `partSize`. */
export const slice = (bytes: Uint8Array, partSize: number, n: number) => bytes.subarray((n - 1) * partSize, Math.min(bytes.length, n * partSize));

/** Sends every part of `bytes`, in order; fails the test on any refusal. */
export async function putAllParts(user: SignedInUser, id: string, bytes: Uint8Array, partSize: number) {
  const total = Math.ceil(bytes.length / partSize);
  for (let n = 1; n <= total; n++) {
    const res = await putPart(user, id, n, slice(bytes, partSize, n));
    if (res.status !== 200) throw new Error(`part ${n}: ${res.status} ${res.text}`);
  }
}

/** create → every part → complete, for files that should go through. */
export async function uploadFile(user: SignedInUser, bytes: Uint8Array, declared: Declared = {}) {
  const created = await startUpload(user, bytes, { part_size: PART, ...declared });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${created.text}`);
  await putAllParts(user, created.body.id, bytes, created.body.part_size);
  const completed = await call("POST", `/v1/uploads/${created.body.id}/complete`, { headers: user.headers });
  return { upload: created.body, completed };
}

/**
 * A body that sends `bytes` bytes of `source` and then breaks, as a client whose connection
 * dropped mid-part.
 */
export function brokenBody(source: Uint8Array, bytes: number): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!sent) {
        sent = true;
        controller.enqueue(source.slice(0, bytes));
        return;
      }
      controller.error(new Error("connection reset by peer"));
    },
  });
}

/** A body that ends cleanly but early: `bytes` bytes of `source`, then done. */
export function shortBody(source: Uint8Array, bytes: number): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(source.slice(0, bytes));
      controller.close();
    },
  });
}
