import { DurableObject } from "cloudflare:workers";
import { ALERT_MIN_REQUESTS, ALERT_WINDOW_MINUTES } from "../src/domains/operations/thresholds";
import type { Env } from "../src/env";
import { errorRate, percentile, type RequestCounts } from "../src/lib/request-metrics/histogram";
import { evaluateAlerts, RULES } from "./request-metrics/alerts";
import { MetricsBatchSchema, REQUEST_ALERTS, type MetricsBatch, type RequestsSummary, type RouteFigures, type WindowFigures } from "./request-metrics/protocol";
import { MetricsStorage, MINUTES_KEPT, ROUTE_MINUTES_KEPT } from "./request-metrics/storage";

/** The alarm judges the alerts this often while there is traffic or a firing alert. */
export const EVALUATION_INTERVAL_MS = 60_000;
/** Routes the health answer lists: the last hour's worst (server errors first, then p95). */
const ROUTES_SHOWN = 10;
/** A batch minute this far ahead of the object's clock is refused (isolate clocks agree to the second). */
const FUTURE_MINUTES_ACCEPTED = 2;

const minuteOf = (ms: number) => Math.floor(ms / 60_000);

/**
 * One object for the whole platform (`idFromName("global")`): the request counts every isolate
 * flushes (src/lib/request-metrics), per minute in SQLite for a day (per route for an hour), and
 * the request alerts of the ER document, judged by an alarm every minute while there is traffic.
 * At most one batch per isolate every 10 s reaches it, so one object carries the load.
 */
export class RequestMetrics extends DurableObject<Env> {
  private readonly store: MetricsStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new MetricsStorage(ctx.storage.sql);
  }

  /** RPC: an isolate's counts since its last flush. Minutes out of the retention (or ahead of the clock) are ignored. */
  async record(batch: MetricsBatch): Promise<void> {
    const parsed = MetricsBatchSchema.safeParse(batch);
    if (!parsed.success) throw new TypeError(`Not a metrics batch: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    const { series } = parsed.data;
    const current = minuteOf(Date.now());
    this.store.add(series.filter((s) => s.minute > current - MINUTES_KEPT && s.minute <= current + FUTURE_MINUTES_ACCEPTED));
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + EVALUATION_INTERVAL_MS);
  }

  /** RPC: the figures of the last 5 minutes, hour and day, the worst routes of the hour, and the firing alerts. */
  async summary(): Promise<RequestsSummary> {
    const current = minuteOf(Date.now());
    return {
      last_5_minutes: figures(this.store.total(current - ALERT_WINDOW_MINUTES + 1)),
      last_hour: figures(this.store.total(current - 59)),
      last_24_hours: figures(this.store.total(current - MINUTES_KEPT + 1)),
      routes: this.store
        .routes(current - ROUTE_MINUTES_KEPT + 1)
        .map((r): RouteFigures => ({ method: r.method, route: r.route, requests: r.requests, server_errors: r.server_errors, error_rate: errorRate(r), p95_ms: percentile(r, 0.95) }))
        .sort((a, b) => b.server_errors - a.server_errors || (b.p95_ms ?? 0) - (a.p95_ms ?? 0) || b.requests - a.requests)
        .slice(0, ROUTES_SHOWN),
      alerts: this.store.alerts().map((a) => ({ name: a.name, marker: REQUEST_ALERTS[a.name], since: new Date(a.since).toISOString(), value: a.value, threshold: RULES[a.name].threshold })),
      min_requests_for_alerts: ALERT_MIN_REQUESTS,
    };
  }

  /**
   * Every minute: forget what is past its retention and judge the alerts on the last minutes. The
   * alarm sleeps once there is no traffic and nothing firing; the next batch wakes it.
   */
  override async alarm(): Promise<void> {
    const now = Date.now();
    const current = minuteOf(now);
    this.store.prune(current);
    const window = this.store.total(current - ALERT_WINDOW_MINUTES + 1);
    evaluateAlerts(this.store, window, now);
    if (window.requests > 0 || this.store.alerts().length) await this.ctx.storage.setAlarm(now + EVALUATION_INTERVAL_MS);
  }
}

function figures(counts: RequestCounts): WindowFigures {
  return {
    requests: counts.requests,
    server_errors: counts.server_errors,
    client_errors: counts.client_errors,
    error_rate: errorRate(counts),
    p50_ms: percentile(counts, 0.5),
    p95_ms: percentile(counts, 0.95),
    p99_ms: percentile(counts, 0.99),
    max_ms: counts.requests ? counts.max_ms : null,
  };
}
