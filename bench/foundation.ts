import { performance } from "node:perf_hooks";
import { buildWorker, measureStartup, median, percentile, roundTripsFor, startBenchDatabase, taggedUrl, workerInWorkerd, type Row } from "./lib";

/**
 * The foundation's figures: bundle size (gzip, as wrangler reports it for a deploy), startup (what
 * Cloudflare counts: parsing the script and running its global scope), and database round trips
 * for GET /health.
 */
export async function foundationBench(): Promise<Row[]> {
  const rows: Row[] = [];
  const build = await buildWorker();
  rows.push({ area: "bundle", metric: "Worker bundle, gzip (wrangler deploy --dry-run)", value: build.wranglerGzipKiB, unit: "KiB", budget: "< 1024 KiB", ok: build.wranglerGzipKiB < 1024 });

  const server = await startBenchDatabase();
  try {
    const startups: number[] = [];
    for (let i = 0; i < 9; i++) startups.push(await measureStartup(build.script));
    const startup = median(startups);
    rows.push({ area: "startup", metric: "parse + global scope of the deploy bundle (V8, fresh process, median of 9)", value: startup, unit: "ms", budget: "< 50 ms", ok: startup < 50 });

    // Cross-check in workerd itself: a cold isolate's first response, over an empty Worker's.
    const cold = async (source?: string) => {
      const t0 = performance.now();
      const instance = workerInWorkerd(build.script, taggedUrl(server, "startup"), source);
      await instance.ready;
      await (await instance.dispatchFetch("http://veza.local/no-such-route")).arrayBuffer();
      const elapsed = performance.now() - t0;
      await instance.dispose();
      return elapsed;
    };
    const trivial = `import { DurableObject } from "cloudflare:workers";
      export class ChatRoom extends DurableObject {} export class PlaybackQueue extends DurableObject {}
      export default { fetch() { return new Response("ok", { status: 404 }); } };`;
    const ours: number[] = [];
    const empty: number[] = [];
    for (let i = 0; i < 9; i++) {
      empty.push(await cold(trivial));
      ours.push(await cold());
    }
    rows.push({ area: "startup", metric: "workerd: start + first response, over an empty Worker's (median of 9)", value: Math.max(0, median(ours) - median(empty)), unit: "ms" });

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
