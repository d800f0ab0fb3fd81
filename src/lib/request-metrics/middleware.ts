import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { AppEnv, Env } from "../../env";
import { createLogger } from "../logger";
import { RequestAccumulator } from "./accumulator";

/** An isolate sends its counts to the RequestMetrics object at most this often (REQUEST_METRICS_FLUSH_MS overrides). */
export const FLUSH_INTERVAL_MS = 10_000;
/** A flush still "in flight" after this long is taken for lost (its invocation ended), so flushing resumes. */
const FLUSH_STALE_MS = 30_000;
/** The name of the one RequestMetrics object. */
export const REQUEST_METRICS_OBJECT = "global";
export const UNMATCHED_ROUTE = "(unmatched)";

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const log = createLogger({ component: "request-metrics" });

/** This isolate's counts: module state, shared by every request the isolate serves. */
const accumulator = new RequestAccumulator();

export const requestMetricsOf = (env: Env) => env.REQUEST_METRICS.get(env.REQUEST_METRICS.idFromName(REQUEST_METRICS_OBJECT));

/**
 * Times every request and counts its status class (5xx: a server error; 4xx: the client's) per
 * route pattern, in this isolate's memory; at most every FLUSH_INTERVAL_MS, a request hands the
 * counts to the RequestMetrics object in `waitUntil`, after its answer. Nothing is awaited but
 * the request itself, and nothing here can fail it: a flush that fails is logged and its counts
 * kept for the next one (up to MAX_HELD_MINUTES, then dropped with a log line).
 *
 * An isolate holds at most one interval of counts between its requests: an isolate that goes
 * quiet sends them with its next request, or loses them if it is evicted first. The time is the
 * request's wall time as the Workers clock sees it (it moves across I/O, not during pure CPU
 * work), which is what a client waits for on anything that touches the database or R2.
 */
export const requestMetrics: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = Date.now();
  let threw = false;
  try {
    await next();
  } catch (err) {
    threw = true;
    throw err;
  } finally {
    try {
      if (c.env.REQUEST_METRICS) {
        const now = Date.now();
        accumulator.record(METHODS.has(c.req.method) ? c.req.method : "OTHER", routeOf(c), threw ? 500 : c.res.status, now - started, now);
        maybeFlush(c, now);
      }
    } catch (err) {
      log.error("request metrics: recording failed", { error: err instanceof Error ? err.message : String(err) });
    }
  }
};

/** The pattern of the route that answered (`/v1/tracks/:id`), not the path: a bounded set of keys. */
function routeOf(c: Context): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    // middleware is registered for every method ("ALL"); a route's handlers for its own
    if (routes[i]!.method !== "ALL") return routes[i]!.path;
  }
  return UNMATCHED_ROUTE;
}

function maybeFlush(c: Context<AppEnv>, now: number): void {
  const every = flushIntervalOf(c.env);
  if (now - accumulator.lastTakenAt < every) return;
  if (accumulator.flushingSince && now - accumulator.flushingSince < FLUSH_STALE_MS) return;
  const work = flush(c.env, every);
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    // No execution context (a caller outside a request): the promise still runs, unawaited.
  }
}

/**
 * Sends the counts, then what arrived meanwhile if the interval allows (with the default, never
 * within one flush; tests set it to 0 and every request's counts reach the object before the
 * requests' `waitUntil` settles).
 */
async function flush(env: Env, every: number): Promise<void> {
  const since = (accumulator.flushingSince = Date.now());
  try {
    for (let round = 0; round < 100; round++) {
      const batch = accumulator.take(Date.now());
      if (!batch) return;
      try {
        await requestMetricsOf(env).record(batch);
      } catch (err) {
        const dropped = accumulator.restore(batch, Date.now());
        log.error("request metrics: flush failed", { error: err instanceof Error ? err.message : String(err), kept_series: accumulator.size, dropped_requests: dropped });
        return;
      }
      if (Date.now() - accumulator.lastTakenAt < every) return;
    }
  } finally {
    if (accumulator.flushingSince === since) accumulator.flushingSince = 0;
  }
}

function flushIntervalOf(env: Env): number {
  const ms = env.REQUEST_METRICS_FLUSH_MS === undefined ? NaN : Number(env.REQUEST_METRICS_FLUSH_MS);
  return Number.isFinite(ms) && ms >= 0 ? ms : FLUSH_INTERVAL_MS;
}
