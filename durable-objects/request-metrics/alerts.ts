import { errorRate, percentile, type RequestCounts } from "../../src/lib/request-metrics/histogram";
import { ALERT_CLEAR_EVALUATIONS, ALERT_MIN_REQUESTS, ALERT_WINDOW_MINUTES, ERROR_RATE_ALERT, LATENCY_ALERT_MS } from "../../src/domains/operations/thresholds";
import { REQUEST_ALERTS, type RequestAlertName } from "./protocol";
import type { AlertRow, MetricsStorage } from "./storage";

interface Rule {
  threshold: number;
  value: (window: RequestCounts) => number;
  describe: (value: number, window: RequestCounts) => string;
}

const pct = (rate: number) => `${(rate * 100).toFixed(2)} %`;

/** The spec's two request alerts: p95 latency > 500 ms, server errors > 1 % of requests. */
export const RULES: Record<RequestAlertName, Rule> = {
  request_latency_p95: {
    threshold: LATENCY_ALERT_MS,
    value: (w) => percentile(w, 0.95) ?? 0,
    describe: (v, w) => `p95 latency ${v} ms (threshold ${LATENCY_ALERT_MS} ms) over the last ${ALERT_WINDOW_MINUTES} minutes, ${w.requests} requests`,
  },
  request_error_rate: {
    threshold: ERROR_RATE_ALERT,
    value: errorRate,
    describe: (v, w) => `${pct(v)} of requests failed (threshold ${pct(ERROR_RATE_ALERT)}) over the last ${ALERT_WINDOW_MINUTES} minutes: ${w.server_errors} of ${w.requests}`,
  },
};

/** One JSON line, like src/lib/logger.ts writes: log-based alerting matches `alert` (the marker) and `state`. */
function logLine(level: "error" | "info", msg: string, fields: Record<string, unknown>): void {
  const line = JSON.stringify({ level, msg, time: new Date().toISOString(), component: "request-metrics", ...fields });
  if (level === "error") console.error(line);
  else console.log(line);
}

/**
 * Judges the window against each rule and logs only the changes: one `ALERT` line (console.error)
 * when a condition starts, one `RESOLVED` line when it has been clear for ALERT_CLEAR_EVALUATIONS
 * evaluations in a row. A window under ALERT_MIN_REQUESTS requests breaches nothing (and so lets a
 * firing alert resolve: with that little traffic there is nothing left to alert about).
 */
export function evaluateAlerts(store: MetricsStorage, window: RequestCounts, now: number): void {
  const firing = new Map(store.alerts().map((a) => [a.name, a]));
  for (const [name, rule] of Object.entries(RULES) as Array<[RequestAlertName, Rule]>) {
    const value = rule.value(window);
    const breached = window.requests >= ALERT_MIN_REQUESTS && value > rule.threshold;
    const state = firing.get(name);
    const figures = { value, threshold: rule.threshold, requests: window.requests, server_errors: window.server_errors, window_minutes: ALERT_WINDOW_MINUTES };
    if (breached) {
      if (!state) logLine("error", `ALERT ${REQUEST_ALERTS[name]}: ${rule.describe(value, window)}`, { alert: REQUEST_ALERTS[name], state: "firing", ...figures });
      store.saveAlert({ name, since: state?.since ?? now, value, clear_evaluations: 0 });
    } else if (state) {
      resolveOrWait(store, state, rule, value, window, now, figures);
    }
  }
}

function resolveOrWait(store: MetricsStorage, state: AlertRow, rule: Rule, value: number, window: RequestCounts, now: number, figures: Record<string, unknown>): void {
  const clear = state.clear_evaluations + 1;
  if (clear < ALERT_CLEAR_EVALUATIONS) return store.saveAlert({ ...state, clear_evaluations: clear });
  store.deleteAlert(state.name);
  logLine("info", `RESOLVED ${REQUEST_ALERTS[state.name]}: ${rule.describe(value, window)}`, {
    alert: REQUEST_ALERTS[state.name],
    state: "resolved",
    ...figures,
    firing_since: new Date(state.since).toISOString(),
    firing_seconds: Math.round((now - state.since) / 1000),
  });
}
