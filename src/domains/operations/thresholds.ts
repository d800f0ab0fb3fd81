/**
 * The alert thresholds of the ER document (er-diagram v0.3, "Alertes": latency P95 > 500 ms,
 * errors > 1 % of requests), shared by the health route and the RequestMetrics object.
 */
export const LATENCY_ALERT_MS = 500;
export const ERROR_RATE_ALERT = 0.01;

/**
 * Request alerts judge the five most recent minutes (the current one included) and only with at
 * least this many requests in them (one every 3 s): below that, a couple of slow or failed requests
 * at 3 am would be "5 %" or "1 %" without saying anything about the platform.
 */
export const ALERT_WINDOW_MINUTES = 5;
export const ALERT_MIN_REQUESTS = 100;
/** A firing request alert resolves after this many evaluations in a row (one a minute) under its threshold: no flapping. */
export const ALERT_CLEAR_EVALUATIONS = 2;
