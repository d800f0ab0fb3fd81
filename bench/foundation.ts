import { performance } from "node:perf_hooks";
import type { Miniflare } from "miniflare";
import { buildWorker, median, percentile, roundTripsFor, startBenchDatabase, taggedUrl, workerInWorkerd, type Row } from "./lib";

/**
 * The foundation's figures: bundle size (gzip, as wrangler reports it for a deploy), startup
 * (workerd ready-to-first-response for our bundle minus the same for an empty Worker: the cost of
 * loading and evaluating our script), and database round trips for GET /health.
 */
export async function foundationBench(): Promise<Row[]> {
  const rows: Row[] = [];
  const build = await buildWorker();
  rows.push({ area: "bundle", metric: "Worker bundle, gzip (wrangler deploy --dry-run)", value: build.wranglerGzipKiB, unit: "KiB", budget: "< 1024 KiB", ok: build.wranglerGzipKiB < 1024 });

  const server = await startBenchDatabase();
  try {
    // workerd loads and evaluates every module of a Worker when it starts, so the time to `ready`
    // is dominated by script startup; the first response adds routing one request on a cold isolate.
    const coldStart = async (mf: () => Miniflare, path: string) => {
      const t0 = performance.now();
      const instance = mf();
      await instance.ready;
      const ready = performance.now() - t0;
      const res = await instance.dispatchFetch(`http://veza.local${path}`);
      await res.arrayBuffer();
      const first = performance.now() - t0 - ready;
      await instance.dispose();
      return { ready, first };
    };
    // The same bindings (R2, Queue, two SQLite Durable Objects) around a script that does nothing:
    // the difference is the cost of loading and evaluating Veza's bundle.
    const trivial = `import { DurableObject } from "cloudflare:workers";
      export class ChatRoom extends DurableObject {} export class PlaybackQueue extends DurableObject {}
      export default { fetch() { return new Response("ok", { status: 404 }); } };`;
    const empty = () => workerInWorkerd(build.script, taggedUrl(server, "startup"), trivial);
    const ours = () => workerInWorkerd(build.script, taggedUrl(server, "startup"));
    const baseline: { ready: number; first: number }[] = [];
    const veza: { ready: number; first: number }[] = [];
    for (let i = 0; i < 9; i++) {
      baseline.push(await coldStart(empty, "/"));
      veza.push(await coldStart(ours, "/no-such-route"));
    }
    const startup = Math.max(0, median(veza.map((v) => v.ready)) - median(baseline.map((v) => v.ready)));
    const firstRequest = Math.max(0, median(veza.map((v) => v.first)) - median(baseline.map((v) => v.first)));
    rows.push({ area: "startup", metric: "script load + global scope, over an empty Worker with the same bindings (median of 9)", value: startup, unit: "ms", budget: "< 50 ms", ok: startup < 50 });
    rows.push({ area: "startup", metric: "first request on a fresh isolate, over the empty Worker's (median of 9)", value: firstRequest, unit: "ms" });

    const mf = workerInWorkerd(build.script, taggedUrl(server, "health"));
    const latencies: number[] = [];
    const N = 200;
    for (let i = 0; i < N; i++) {
      const t0 = performance.now();
      const res = await mf.dispatchFetch("http://veza.local/health");
      if (res.status !== 200) throw new Error(`/health answered ${res.status}`);
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
    }
    const { requests } = await roundTripsFor(server, "health");
    await mf.dispose();
    rows.push({ area: "database", metric: "round trips for GET /health", value: requests / N, unit: "per call", budget: "1", ok: requests / N <= 1 });
    rows.push({ area: "latency", metric: "GET /health p50 / p99 (workerd + PGlite)", value: median(latencies), unit: `ms (p99 ${percentile(latencies, 99).toFixed(1)} ms)` });
  } finally {
    await server.close();
  }
  return rows;
}
