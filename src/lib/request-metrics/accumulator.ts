import type { MetricsBatch, Series } from "../../../durable-objects/request-metrics/protocol";
import { addCounts, BUCKETS, bucketOf } from "./histogram";

/** Distinct method + route pairs an isolate keeps apart; the rest share OTHER_ROUTE (the app has ~350 routes). */
export const MAX_ROUTES = 500;
/** Minutes of counts an isolate holds when flushes fail; older ones are dropped (and logged). */
export const MAX_HELD_MINUTES = 10;
export const OTHER_ROUTE = "(other)";

const minuteOf = (ms: number) => Math.floor(ms / 60_000);

/**
 * One isolate's request counts since its last flush, per minute and route: recording is a Map
 * lookup and a few additions (nothing awaits, nothing allocates after a series' first request).
 * Bounded: at most MAX_ROUTES route keys, at most MAX_HELD_MINUTES minutes.
 */
export class RequestAccumulator {
  private series = new Map<string, Series>();
  private readonly routes = new Set<string>();
  /** When the last batch was taken (ms); 0: never, so a new isolate flushes its first request. */
  lastTakenAt = 0;
  /** When the flush in flight started (ms), or 0. */
  flushingSince = 0;

  get size(): number {
    return this.series.size;
  }

  record(method: string, route: string, status: number, ms: number, now: number): void {
    let routeKey = `${method} ${route}`;
    if (!this.routes.has(routeKey)) {
      if (this.routes.size >= MAX_ROUTES) route = OTHER_ROUTE;
      else this.routes.add(routeKey);
      routeKey = `${method} ${route}`;
    }
    const minute = minuteOf(now);
    const key = `${minute} ${routeKey}`;
    let s = this.series.get(key);
    if (!s) {
      s = { minute, method, route, requests: 0, server_errors: 0, client_errors: 0, max_ms: 0, histogram: new Array<number>(BUCKETS).fill(0) };
      this.series.set(key, s);
    }
    s.requests++;
    if (status >= 500) s.server_errors++;
    else if (status >= 400) s.client_errors++;
    if (ms > s.max_ms) s.max_ms = ms;
    s.histogram[bucketOf(ms)]!++;
  }

  /** Everything recorded so far, as one batch; the accumulator starts over. Null when empty. */
  take(now: number): MetricsBatch | null {
    this.lastTakenAt = now;
    if (!this.series.size) return null;
    const batch = { series: [...this.series.values()] };
    this.series = new Map();
    return batch;
  }

  /** Puts back a batch whose flush failed, but for its minutes too old to keep; answers the requests dropped. */
  restore(batch: MetricsBatch, now: number): number {
    const oldest = minuteOf(now) - MAX_HELD_MINUTES;
    let dropped = 0;
    for (const s of batch.series) {
      if (s.minute < oldest) {
        dropped += s.requests;
        continue;
      }
      const key = `${s.minute} ${s.method} ${s.route}`;
      const held = this.series.get(key);
      if (!held) {
        this.series.set(key, s);
        continue;
      }
      addCounts(held, s);
    }
    return dropped;
  }
}
