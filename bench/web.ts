import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { buildWeb } from "../scripts/web-build";
import { wavBytes } from "../scripts/demo-audio";
import { percentile, type Row } from "./lib";

/** Issue 11's budget: the app shell's first load, JS + CSS, gzip (hls.js and lazy screens excluded). */
const SHELL_BUDGET_BYTES = 100 * 1024;

const kib = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;

/** The files index.html loads on first load: module scripts, stylesheets and module preloads. */
export function firstLoadFiles(html: string): string[] {
  const files = new Set<string>();
  for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const attr = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
    const url = tag.startsWith("<script") ? attr("src") : /\brel="(stylesheet|modulepreload)"/.test(tag) ? attr("href") : undefined;
    if (url && /\.(m?js|css)(\?|$)/.test(url) && !/^[a-z]+:/i.test(url) && !url.startsWith("//")) files.add(url.replace(/^\//, "").replace(/\?.*$/, ""));
  }
  return [...files];
}

/**
 * `npm run bench -- web`: builds the web app afresh (into a temporary directory) and sums the gzip
 * size (level 9) of what index.html loads before anything else: its module script, its stylesheet
 * and its modulepreloads. Lazily loaded chunks (screens, hls.js) are listed apart, outside the budget.
 * Then, in headless Chromium against the platform started as the e2e tests start it: the track
 * page's first render and the time from pressing play to hearing audio (browserRows).
 */
export async function webBench(): Promise<Row[]> {
  const dir = await mkdtemp(join(tmpdir(), "veza-web-bench-"));
  try {
    await buildWeb(dir);
    const html = await readFile(join(dir, "index.html"), "utf8");
    const shell = firstLoadFiles(html);
    if (!shell.some((f) => f.endsWith(".js"))) throw new Error("index.html loads no script: is the build broken?");
    const gz = async (file: string) => gzipSync(await readFile(join(dir, file)), { level: 9 }).length;

    let js = 0;
    let css = 0;
    for (const file of shell) {
      const size = await gz(file);
      if (file.endsWith(".css")) css += size;
      else js += size;
    }
    const lazy = (await readdir(join(dir, "assets"))).filter((f) => /\.(m?js|css)$/.test(f) && !shell.includes(`assets/${f}`));
    let lazyBytes = 0;
    for (const f of lazy) lazyBytes += await gz(`assets/${f}`);

    const total = js + css;
    return [
      { area: "web", metric: `app shell first load, JS + CSS gzip (${shell.length} files from index.html)`, value: kib(total), unit: "KiB", budget: "≤ 100 KiB", ok: total <= SHELL_BUDGET_BYTES },
      { area: "web", metric: "  of which JS", value: kib(js), unit: "KiB" },
      { area: "web", metric: "  of which CSS", value: kib(css), unit: "KiB" },
      { area: "web", metric: `lazy chunks, loaded on demand (${lazy.length} files; not in the budget)`, value: kib(lazyBytes), unit: "KiB" },
      ...(await browserRows()),
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The track page and the player in a real browser, against the platform as the e2e tests start it

const RUNS = Math.max(1, Number(process.env.VEZA_BENCH_WEB_RUNS) || 10);
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const round1 = (ms: number) => Math.round(ms * 10) / 10;
const spread = (xs: number[]) => `p50 ${round1(percentile(xs, 50))} / p95 ${round1(percentile(xs, 95))} ms`;

/** A 12 s stereo tone (never silence: loudness must be measurable), as a WAV. */
function toneWav(seconds = 12): Uint8Array {
  const rate = 44_100;
  const samples = new Float32Array(Math.round(seconds * rate) * 2);
  for (let i = 0; i < samples.length / 2; i++) {
    const v = 0.25 * Math.sin((2 * Math.PI * 220 * i) / rate) + 0.1 * Math.sin((2 * Math.PI * 330 * i) / rate);
    samples[i * 2] = v;
    samples[i * 2 + 1] = v;
  }
  return wavBytes(samples, 2, rate);
}

async function call<T>(base: string, path: string, init: { method?: string; token?: string; body?: unknown } = {}): Promise<T> {
  const raw = init.body instanceof Uint8Array;
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: {
      ...(init.body === undefined ? {} : { "content-type": raw ? "application/octet-stream" : "application/json" }),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    body: init.body === undefined ? undefined : raw ? (init.body as Uint8Array<ArrayBuffer>) : JSON.stringify(init.body),
  });
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A user and a ready public track of theirs, through the API (as the web app's upload does it). */
async function trackForBench(base: string) {
  const name = `bench_${Date.now().toString(36)}`;
  const { session } = await call<{ session: { accessToken: string; refreshToken: string; sessionId: string; expiresIn: number } }>(base, "/v1/auth/register", {
    body: { email: `${name}@example.com`, username: name, password: "a long enough passphrase", data_processing_consent: true },
  });
  const token = session.accessToken;
  const bytes = toneWav();
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const upload = await call<{ id: string; part_size: number; total_parts: number }>(base, "/v1/uploads", { token, body: { filename: "bench.wav", size: bytes.length, mime_type: "audio/wav", sha256 } });
  for (let n = 1; n <= upload.total_parts; n++) {
    await call(base, `/v1/uploads/${upload.id}/parts/${n}`, { method: "PUT", token, body: bytes.subarray((n - 1) * upload.part_size, n * upload.part_size) });
  }
  const file = await call<{ id: string }>(base, `/v1/uploads/${upload.id}/complete`, { method: "POST", token });
  const track = await call<{ id: string; title: string }>(base, "/v1/tracks", { token, body: { file_id: file.id, title: "Bench tone", visibility: "public" } });
  const deadline = Date.now() + 240_000;
  for (;;) {
    const t = await call<{ status: string }>(base, `/v1/tracks/${track.id}`, { token });
    if (t.status === "ready") break;
    if (t.status === "failed" || Date.now() > deadline) throw new Error(`the bench track is ${t.status}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const stored = JSON.stringify({ accessToken: token, refreshToken: session.refreshToken, sessionId: session.sessionId, expiresAt: Date.now() + session.expiresIn * 1000 });
  return { trackId: track.id, title: track.title, stored, token };
}

/** Empties the user's queue (again when another write — the last page's pause — crossed it). */
async function emptyQueue(base: string, token: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const { version } = await call<{ version: number }>(base, "/v1/me/queue", { token });
    try {
      await call(base, "/v1/me/queue", { method: "PUT", token, body: { version, track_ids: [] } });
      return;
    } catch (err) {
      if (attempt >= 5 || !String(err).includes(": 409 ")) throw err;
    }
  }
}

/**
 * `RUNS` times (after one uncounted warm-up), each in a fresh browser context (nothing cached: a first visit): open /tracks/:id
 * signed in and time `veza:track-rendered` from navigation start (the track page marks it once its
 * waveform is drawn); then press play and time `veza:play-requested` → `veza:audio-playing` (the
 * player's marks: the press, and the <audio> element's first `playing` event — hls.js is fetched,
 * the master playlist, a media playlist and the first segment loaded).
 */
async function browserRows(): Promise<Row[]> {
  if (!existsSync(CHROMIUM)) return [{ area: "web", metric: `track page and playback timings: skipped (no Chromium at ${CHROMIUM})`, value: "–" }];
  const { chromium } = await import("playwright-core");
  // The e2e harness's own starter: scripts/dev.ts in a temporary directory, free ports, no demo media.
  const { default: startPlatform } = await import("../test/e2e/global-setup");
  let base = "";
  const stop = await startPlatform({ provide: (_key: string, value: string) => (base = value) } as unknown as Parameters<typeof startPlatform>[0]);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--autoplay-policy=no-user-gesture-required"] });
  try {
    const { trackId, title, stored, token } = await trackForBench(base);
    const rendered: number[] = [];
    const toAudio: number[] = [];
    let failures = 0;
    // Run 0 warms wrangler dev up (its first requests compile and load modules) and is not counted.
    for (let i = 0; i <= RUNS; ) {
      // An empty queue each time: the press is a real "play now" (queued, then started).
      await emptyQueue(base, token);
      const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 800 } });
      try {
        await context.addInitScript((value) => localStorage.setItem("veza.auth", value), stored);
        const page = await context.newPage();
        await page.goto(`/tracks/${trackId}`);
        const handle = await page.waitForFunction(() => performance.getEntriesByName("veza:track-rendered", "mark")[0]?.startTime, undefined, { timeout: 60_000 });
        const renderedAt = (await handle.jsonValue()) as number;
        await page.getByRole("button", { name: `Play ${title}` }).click();
        const gap = await page.waitForFunction(
          () => {
            const requested = performance.getEntriesByName("veza:play-requested", "mark").at(-1);
            const playing = performance.getEntriesByName("veza:audio-playing", "mark").at(-1);
            return requested && playing ? playing.startTime - requested.startTime : undefined;
          },
          undefined,
          { timeout: 30_000 },
        );
        if (i > 0) {
          rendered.push(renderedAt);
          toAudio.push((await gap.jsonValue()) as number);
        }
        i++;
      } catch (err) {
        // `npm run dev` rebuilds web/ when its sources change, replacing the lazy chunks a page
        // may be about to load: a run caught by that is retried (twice at most).
        const shotPath = join(tmpdir(), `veza-bench-web-${i}.png`);
        await context.pages()[0]?.screenshot({ path: shotPath }).catch(() => undefined);
        if (++failures > 2) throw new Error(`run ${i}: ${err instanceof Error ? err.message : String(err)} (screenshot: ${shotPath})`);
        console.error(`[bench] web: run ${i} failed (${err instanceof Error ? err.message.split("\n")[0] : String(err)}); retrying`);
      } finally {
        await context.close();
      }
    }
    return [
      { area: "web", metric: `track page first render (navigation start → waveform drawn), ${RUNS} fresh visits`, value: spread(rendered) },
      { area: "web", metric: `press play → audio playing (hls.js fetched, first segment), ${RUNS} fresh visits`, value: spread(toAudio) },
    ];
  } finally {
    await browser.close();
    await stop();
  }
}
