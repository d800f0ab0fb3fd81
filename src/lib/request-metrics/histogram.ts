/**
 * Request latency as a fixed histogram: the same bucket bounds in every isolate and in the
 * RequestMetrics object, so histograms add up (per minute, per route, per window) and any
 * percentile can be read from the sum. A percentile is the upper bound of the bucket it falls in
 * (capped by the slowest request seen), so it errs on the slow side by at most one step (a third
 * at most from 10 ms up).
 *
 * 500 ms is a bound on purpose: "p95 > 500 ms" (the alert of the ER document) is then decided
 * exactly — the estimate exceeds 500 only if more than 5 % of the requests really took longer.
 */

/** Upper bounds (ms, inclusive) of the buckets: a 1-1.2-1.5-2-2.5-3-4-5-6-8 series per decade; the last one is open. */
export const LATENCY_BOUNDS_MS = [
  1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 120, 150, 200, 250, 300, 400, 500, 600, 800, 1000, 1200, 1500, 2000,
  2500, 3000, 4000, 5000, 6000, 8000, 10_000, 15_000, 20_000, 30_000, 60_000, Number.POSITIVE_INFINITY,
] as const;

export const BUCKETS = LATENCY_BOUNDS_MS.length;

/** The bucket of a latency: the first whose bound is at least `ms` (a binary search, 6 steps). */
export function bucketOf(ms: number): number {
  let lo = 0;
  let hi = BUCKETS - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ms <= LATENCY_BOUNDS_MS[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Counts of one set of requests: how many, how many failed, and how long they took. */
export interface RequestCounts {
  requests: number;
  /** Answered 5xx: the server's failures, what the error-rate alert counts. */
  server_errors: number;
  /** Answered 4xx: the client's mistakes (validation, auth, not found, rate limits); shown, never alerted on. */
  client_errors: number;
  /** The slowest request (ms). */
  max_ms: number;
  /** Requests per bucket of LATENCY_BOUNDS_MS (dense, BUCKETS long). */
  histogram: number[];
}

export const emptyCounts = (): RequestCounts => ({ requests: 0, server_errors: 0, client_errors: 0, max_ms: 0, histogram: new Array<number>(BUCKETS).fill(0) });

/** Adds `from` into `into` (in place); a histogram of another length is refused. */
export function addCounts(into: RequestCounts, from: RequestCounts): RequestCounts {
  if (from.histogram.length !== BUCKETS) throw new RangeError(`A latency histogram has ${BUCKETS} buckets, not ${from.histogram.length}.`);
  into.requests += from.requests;
  into.server_errors += from.server_errors;
  into.client_errors += from.client_errors;
  into.max_ms = Math.max(into.max_ms, from.max_ms);
  for (let i = 0; i < BUCKETS; i++) into.histogram[i]! += from.histogram[i]!;
  return into;
}

/** The `q` quantile (0 < q ≤ 1) in ms, as the upper bound of its bucket capped by the slowest request; null without requests. */
export function percentile(counts: RequestCounts, q: number): number | null {
  if (counts.requests <= 0) return null;
  const rank = Math.max(1, Math.ceil(q * counts.requests));
  let seen = 0;
  for (let i = 0; i < BUCKETS; i++) {
    seen += counts.histogram[i]!;
    if (seen >= rank) return Math.min(LATENCY_BOUNDS_MS[i]!, counts.max_ms);
  }
  return counts.max_ms;
}

/** The share of requests answered 5xx (0 without requests). */
export const errorRate = (counts: RequestCounts) => (counts.requests > 0 ? counts.server_errors / counts.requests : 0);
