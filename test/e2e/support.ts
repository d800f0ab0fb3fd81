/**
 * What e2e tests set up through the API when it is not the thing under test: accounts, a signed-in
 * page, and processed tracks made of a generated WAV (uploaded, queued and encoded by the real
 * platform, exactly as the web app's upload screen does it).
 */
import { createHash } from "node:crypto";
import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";
import { wavBytes } from "../../scripts/demo-audio";
import { baseUrl, unique } from "./browser";

export const PASSWORD = "a long enough passphrase";

export interface Session {
  accessToken: string;
  refreshToken: string;
  sessionId: string;
  expiresIn: number;
}

export interface TestUser {
  id: string;
  username: string;
  email: string;
  password: string;
  session: Session;
  token: string;
}

/** A JSON call to the platform's API; anything but a 2xx throws with the problem's body. */
export async function apiJson<T>(path: string, init: Omit<RequestInit, "body"> & { token?: string; body?: unknown } = {}): Promise<T> {
  const { token, body, headers, ...rest } = init;
  const res = await fetch(`${baseUrl()}${path}`, {
    ...rest,
    body: body === undefined ? undefined : body instanceof Uint8Array ? (body as Uint8Array<ArrayBuffer>) : JSON.stringify(body),
    headers: {
      ...(body instanceof Uint8Array ? { "content-type": "application/octet-stream" } : body === undefined ? {} : { "content-type": "application/json" }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(headers as Record<string, string> | undefined),
    },
  });
  if (!res.ok) throw new Error(`${rest.method ?? "GET"} ${path}: ${res.status} ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** A new account, signed up through the API (the sign-up screen has its own test). */
export async function registerUser(prefix = "e2e"): Promise<TestUser> {
  const username = unique(prefix);
  const email = `${username}@example.com`;
  const signedUp = await apiJson<{ user: { id: string }; session: Session }>("/v1/auth/register", {
    method: "POST",
    body: { email, username, password: PASSWORD, data_processing_consent: true },
  });
  return { id: signedUp.user.id, username, email, password: PASSWORD, session: signedUp.session, token: signedUp.session.accessToken };
}

/**
 * Opens the app in `page` signed in as `user`: the session goes where the app keeps it
 * (localStorage "veza.auth", web/src/api.ts) before any of the app's scripts run.
 */
export async function signIn(page: Page, user: TestUser, path = "/"): Promise<void> {
  const stored = {
    accessToken: user.session.accessToken,
    refreshToken: user.session.refreshToken,
    sessionId: user.session.sessionId,
    expiresAt: Date.now() + user.session.expiresIn * 1000,
  };
  await page.addInitScript((value) => {
    if (!localStorage.getItem("veza.auth")) localStorage.setItem("veza.auth", value);
  }, JSON.stringify(stored));
  await page.goto(path);
}

/**
 * Fills a field and checks that it holds the whole value before the test goes on. Once, on a
 * machine loaded on purpose, a filled field held only the start of the value (never reproduced in
 * 50 targeted tries since); this fills again when that happens, and says so in the log.
 */
export async function fillExactly(field: Locator, value: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await field.fill(value);
    const held = await field.inputValue();
    if (held === value) return;
    if (attempt === 3) throw new Error(`the field holds "${held}" after filling "${value}" three times`);
    console.warn(`[e2e] the field held "${held}" after filling "${value}"; filling again`);
  }
}

/** A stereo 44.1 kHz 16-bit WAV of `seconds` of a soft chord (never silence: loudness must be measurable). */
export function toneWav(seconds: number, frequency = 220): Uint8Array {
  const rate = 44_100;
  const frames = Math.round(seconds * rate);
  const samples = new Float32Array(frames * 2);
  for (let i = 0; i < frames; i++) {
    const t = i / rate;
    const v = 0.2 * Math.sin(2 * Math.PI * frequency * t) + 0.1 * Math.sin(2 * Math.PI * frequency * 1.5 * t) * (0.5 + 0.5 * Math.sin(2 * Math.PI * 0.5 * t));
    samples[i * 2] = v;
    samples[i * 2 + 1] = v * 0.9;
  }
  return wavBytes(samples, 2, rate);
}

/** Uploads a file through the resumable upload API; answers the stored file's id. */
export async function uploadFile(token: string, filename: string, bytes: Uint8Array, mimeType = "audio/wav"): Promise<string> {
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const upload = await apiJson<{ id: string; part_size: number; total_parts: number }>("/v1/uploads", {
    method: "POST",
    token,
    body: { filename, size: bytes.length, mime_type: mimeType, sha256 },
  });
  for (let n = 1; n <= upload.total_parts; n++) {
    await apiJson(`/v1/uploads/${upload.id}/parts/${n}`, { method: "PUT", token, body: bytes.subarray((n - 1) * upload.part_size, n * upload.part_size) });
  }
  return (await apiJson<{ id: string }>(`/v1/uploads/${upload.id}/complete`, { method: "POST", token })).id;
}

export interface ReadyTrack {
  id: string;
  title: string;
  duration_ms: number;
}

/** Waits until the media queue has processed the track (status `ready`); fails on `failed`. */
export async function waitUntilReady(token: string, trackId: string, timeoutMs = 90_000): Promise<ReadyTrack> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const track = await apiJson<ReadyTrack & { status: string; processing: { error: string | null } }>(`/v1/tracks/${trackId}`, { token });
    if (track.status === "ready") return track;
    expect(track.status, track.processing.error ?? "").not.toBe("failed");
    if (Date.now() > deadline) throw new Error(`track ${trackId} still ${track.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** A public track of `seconds` of generated audio by `user`, processed and ready to play. */
export async function readyTrack(user: TestUser, title = `Tone ${unique("t")}`, seconds = 20): Promise<ReadyTrack> {
  const fileId = await uploadFile(user.token, `${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.wav`, toneWav(seconds, 180 + Math.floor(Math.random() * 200)));
  const created = await apiJson<{ id: string }>("/v1/tracks", {
    method: "POST",
    token: user.token,
    body: { file_id: fileId, title, visibility: "public" },
  });
  return waitUntilReady(user.token, created.id);
}
