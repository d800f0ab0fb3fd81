import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { backendExecutor } from "../scripts/database";
import { createPgliteBackend } from "../scripts/dev-db/backends";
import { startDevDatabaseServer, type DevDatabaseServer } from "../scripts/dev-db/server";
import { migrate } from "../scripts/migrations";
import { seed } from "../scripts/seed";

export const root = new URL("../", import.meta.url).pathname;

/** One line of the report: what was measured, the figure, and the budget it answers to. */
export interface Row {
  area: string;
  metric: string;
  /** A figure, or a composite one already formatted (e.g. "p50 / p95 / p99"). */
  value: number | string;
  unit?: string;
  budget?: string;
  ok?: boolean;
}

export function printTable(rows: Row[]): void {
  const cells = rows.map((r) => [r.area, r.metric, typeof r.value === "string" ? r.value : `${Number.isInteger(r.value) ? r.value : r.value.toFixed(2)} ${r.unit ?? ""}`.trim(), r.budget ?? "", r.ok === undefined ? "" : r.ok ? "ok" : "OVER"]);
  const head = ["area", "metric", "value", "budget", ""];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((s, i) => s.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const c of cells) console.log(line(c));
}

export const median = (xs: number[]) => percentile(xs, 50);
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** The production bundle, built by `wrangler deploy --dry-run` exactly as a deploy would build it. */
export async function buildWorker(): Promise<{ dir: string; script: string; wranglerGzipKiB: number; gzipBytes: number }> {
  const dir = await mkdtemp(join(tmpdir(), "veza-build-"));
  const { stdout } = await promisify(execFile)(join(root, "scripts/wrangler.sh"), ["deploy", "--dry-run", "--outdir", dir], {
    cwd: root,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    maxBuffer: 16 * 1024 * 1024,
  });
  const m = /gzip:\s*([\d.]+)\s*KiB/.exec(stdout);
  const script = join(dir, "index.js");
  return { dir, script, wranglerGzipKiB: m ? Number(m[1]) : NaN, gzipBytes: gzipSync(await readFile(script)).length };
}

/**
 * Parse + global-scope time of the built Worker, as Cloudflare's startup limit counts it, in V8 in a
 * fresh process (workerd's own timers do not advance during synchronous work, so it cannot time
 * itself). `cloudflare:workers`, the bundle's only external import, is replaced by a stub.
 */
export async function measureStartup(script: string): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), "veza-startup-"));
  const stub = join(dir, "cloudflare-workers.mjs");
  await writeFile(stub, "export class DurableObject { constructor(ctx, env) { this.ctx = ctx; this.env = env; } }\nexport class WorkerEntrypoint {}\nexport const env = {};\n");
  const bundle = join(dir, "worker.mjs");
  // Node cannot import a .wasm file as a compiled module, as workerd does: compile it here the same
  // way (hoisted, like the import it replaces), so its cost stays in the figure.
  const wasm: string[] = [];
  const source = (await readFile(script, "utf8"))
    .replaceAll('"cloudflare:workers"', JSON.stringify(stub))
    .replace(/import\s*([\w$]+)\s*from\s*"\.\/([\w.-]+\.wasm)";?/g, (_, name: string, file: string) => {
      wasm.push(`const ${name} = new WebAssembly.Module(__readWasm(${JSON.stringify(join(dirname(script), file))}));`);
      return "";
    });
  await writeFile(bundle, `import { readFileSync as __readWasm } from "node:fs";\n${wasm.join("\n")}\n${source}`);
  const probe = `const t0 = performance.now(); await import(${JSON.stringify(bundle)}); console.log(performance.now() - t0);`;
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", probe]);
  return Number(stdout.trim());
}

/** A migrated, seeded in-memory database behind the dev server, as `npm run dev` runs it. */
export async function startBenchDatabase(): Promise<DevDatabaseServer> {
  const backend = await createPgliteBackend();
  const db = backendExecutor(backend);
  await migrate(db);
  await seed(db);
  return startDevDatabaseServer(backend, { log: false });
}

/** What a suite adds to the Worker: bindings (e.g. Stripe's keys) and a handler of its outbound fetches (providers faked at the HTTP boundary). */
export interface WorkerExtras {
  bindings?: Record<string, string>;
  outbound?: (request: Request) => Promise<Response>;
}

/** The built Worker in workerd, bound like production except for the local database URL. */
export function workerInWorkerd(script: string, databaseUrl: string, source?: string, extras: WorkerExtras = {}): Miniflare {
  return new Miniflare(convertV4MiniflareOptions({
    // The Worker's JSON request logs would drown the report.
    handleRuntimeStdio: (stdout: NodeJS.ReadableStream, stderr: NodeJS.ReadableStream) => {
      stdout.resume();
      stderr.resume();
    },
    workers: [
      {
        name: "veza",
        ...(source
          ? { modules: true, script: source }
          : {
              modulesRoot: dirname(script),
              // The bundle, and the media codecs' .wasm files next to it, imported as compiled modules.
              modules: [
                { type: "ESModule" as const, path: script },
                ...readdirSync(dirname(script))
                  .filter((file) => file.endsWith(".wasm"))
                  .map((file) => ({ type: "CompiledWasm" as const, path: join(dirname(script), file) })),
              ],
            }),
        compatibilityDate: "2026-08-01",
        compatibilityFlags: ["nodejs_compat"],
        bindings: {
          DATABASE_URL: databaseUrl,
          ENVIRONMENT: "production",
          CORS_ORIGINS: "",
          APP_URL: "https://veza.bench",
          MAIL_PROVIDER: "dev",
          MAIL_FROM: "Veza (bench) <no-reply@veza.bench>",
          JWT_SECRET: "bench-only-jwt-secret-0123456789abcdefghij",
          ENCRYPTION_KEY: "YmVuY2gtb25seS1lbmNyeXB0aW9uLWtleS0zMi1ieXQ=",
          CERTIFICATE_SIGNING_KEY: '{"crv":"Ed25519","d":"E-YE3CXeII_SMnSL_z9NaP4YHCjzoQ_rC1_i6PS0a5o","x":"kD1m_iGrkstTs5pifFB8cuaTXAzFgZtJ8zcptSN9QsM","kty":"OKP","kid":"bench-only"}',
          ...extras.bindings,
        },
        ...(extras.outbound ? { outboundService: extras.outbound as never } : {}),
        r2Buckets: ["MEDIA"],
        ratelimits: {
          POSTING_LIMITER: { namespace_id: "1001", simple: { limit: 20, period: 60 } },
          ACTIONS_LIMITER: { namespace_id: "1002", simple: { limit: 120, period: 60 } },
        },
        queueProducers: { MEDIA_QUEUE: "veza-media", JOBS_QUEUE: "veza-jobs" },
        durableObjects: {
          CHAT_ROOM: { className: "ChatRoom", useSQLite: true },
          PLAYBACK_QUEUE: { className: "PlaybackQueue", useSQLite: true },
          USER_INBOX: { className: "UserInbox", useSQLite: true },
        },
      },
    ],
  }));
}

/** Round trips and statements the dev database server saw for requests tagged with `tag`. */
export async function roundTripsFor(server: DevDatabaseServer, tag: string): Promise<{ requests: number; queries: number }> {
  return (await (await fetch(`${server.url}/stats?tag=${tag}`)).json()) as { requests: number; queries: number };
}

export const taggedUrl = (server: DevDatabaseServer, tag: string) => `postgres://${tag}:x@127.0.0.1:${server.port}/veza`;

/** A JSON request's init, as a signed-in user when given a token. */
export const jsonInit = (method: string, body: unknown, token?: string): RequestInit => ({
  method,
  headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
  body: JSON.stringify(body),
});

/** Calls the Worker of `mf` for setting a bench up: the JSON answer, or an error naming the failure. */
export function setupCaller(mf: Miniflare) {
  return async (path: string, init: RequestInit = {}) => {
    const res = (await mf.dispatchFetch(`https://veza.bench${path}`, init as never)) as unknown as Response;
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, any>;
  };
}

/**
 * Counts the database round trips of one call, on a Worker of its own whose database URL carries
 * `tag` (the dev server counts by it), and adds the row for `area` with its budget. A signed-in
 * call is measured after one warm-up request, so the auth state is cached as on a warm isolate.
 * Answers the call's JSON body; an error status throws.
 */
export function roundTripMeter(args: { script: string; server: DevDatabaseServer; area: string; rows: Row[]; extras?: WorkerExtras }) {
  return async (tag: string, label: string, budget: number, path: string, init: RequestInit = {}): Promise<Record<string, any>> => {
    const mf = workerInWorkerd(args.script, taggedUrl(args.server, tag), undefined, args.extras);
    let body: Record<string, any>;
    let warm = 0;
    try {
      const authorization = new Headers(init.headers).get("authorization");
      if (authorization) {
        await ((await mf.dispatchFetch("https://veza.bench/v1/me", { headers: { authorization } })) as unknown as Response).arrayBuffer();
        warm = (await roundTripsFor(args.server, tag)).requests;
      }
      const res = (await mf.dispatchFetch(`https://veza.bench${path}`, init as never)) as unknown as Response;
      if (res.status >= 400) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      body = (await res.json()) as Record<string, any>;
    } finally {
      await mf.dispose();
    }
    const requests = (await roundTripsFor(args.server, tag)).requests - warm;
    args.rows.push({ area: args.area, metric: label, value: requests, unit: "round trips", budget: `≤ ${budget}`, ok: requests <= budget });
    return body;
  };
}
