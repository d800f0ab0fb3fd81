import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { Env } from "../../env";
import type { Logger } from "../../lib/logger";
import { requestMetricsOf } from "../../lib/request-metrics/middleware";
import { jobs, schedule } from "../../jobs/schedule";
import { iso } from "../tracks/track-view";
import type { Alert, OperationsHealth, RequestsHealth } from "./schemas";
import { ERROR_RATE_ALERT, LATENCY_ALERT_MS } from "./thresholds";

type LastRun = NonNullable<OperationsHealth["jobs"][number]["last_run"]>;
type JobRow = { name: string; last_run: LastRun | null; runs_24h: number; failures_24h: number };
type Backlog = OperationsHealth["queues"][number];
type HealthRow = { now: string; jobs: JobRow[]; queues: Backlog[] };

/** `{name, queue, waiting, oldest_age_seconds}` of the rows of `from` (a FROM ... WHERE clause), aged by `since`. */
const backlog = (name: string, queue: string, from: string, since: string) =>
  sql.raw(`(SELECT json_build_object('name', '${name}', 'queue', '${queue}', 'waiting', count(*)::int,
             'oldest_age_seconds', floor(extract(epoch FROM now() - min(${since})))::int) ${from})`);

/**
 * Everything in one statement: each job's last run and its last 24 h (job_runs, via the
 * (job_name, started_at) index), and the work the queues still carry, as the database sees it.
 */
function healthQuery(names: string[]) {
  return sql`
    SELECT ${iso("now()")} AS now,
      (SELECT json_agg(json_build_object(
                'name', n.name,
                'last_run', CASE WHEN r.id IS NOT NULL THEN json_build_object(
                   'trigger', r.trigger, 'status', r.status, 'counts', r.counts, 'error', r.error,
                   'started_at', ${iso("r.started_at")}, 'finished_at', ${iso("r.finished_at")}, 'duration_ms', r.duration_ms) END,
                'runs_24h', d.runs, 'failures_24h', d.failures) ORDER BY n.name)
         FROM unnest(${`{${names.join(",")}}`}::text[]) AS n(name)
         LEFT JOIN LATERAL (SELECT * FROM job_runs j WHERE j.job_name = n.name ORDER BY j.started_at DESC LIMIT 1) r ON true
         CROSS JOIN LATERAL (SELECT count(*)::int AS runs, count(*) FILTER (WHERE j.status = 'failed')::int AS failures
                               FROM job_runs j WHERE j.job_name = n.name AND j.started_at > now() - interval '24 hours') d) AS jobs,
      json_build_array(
        ${backlog("tracks_processing", "MEDIA_QUEUE", "FROM tracks WHERE status = 'processing' AND deleted_at IS NULL", "updated_at")},
        ${backlog("uploads_completing", "MEDIA_QUEUE", "FROM file_uploads WHERE status = 'processing'", "updated_at")},
        ${backlog("backups", "JOBS_QUEUE", "FROM backup_jobs WHERE status IN ('pending', 'queued', 'running')", "created_at")},
        ${backlog("data_exports", "JOBS_QUEUE", "FROM users WHERE export_requested_at IS NOT NULL AND exported_at IS NULL", "export_requested_at")}
      ) AS queues`;
}

/** The alerts the figures raise; each is logged with the marker `ALERT` for log-based alerting. */
function alertsOf(latencyMs: number, rows: JobRow[], log: Logger): Alert[] {
  const alerts: Alert[] = [];
  if (latencyMs > LATENCY_ALERT_MS) {
    alerts.push({ name: "database_latency", detail: `The database answered in ${latencyMs} ms.`, value: latencyMs, threshold: LATENCY_ALERT_MS });
  }
  const runs = rows.reduce((n, r) => n + r.runs_24h, 0);
  const failures = rows.reduce((n, r) => n + r.failures_24h, 0);
  if (runs > 0 && failures / runs > ERROR_RATE_ALERT) {
    alerts.push({ name: "job_error_rate", detail: `${failures} of ${runs} job runs failed in the last 24 hours.`, value: failures / runs, threshold: ERROR_RATE_ALERT });
  }
  for (const r of rows) {
    if (r.last_run?.status === "failed") alerts.push({ name: "job_failing", detail: `The last run of ${r.name} failed: ${r.last_run.error}`, value: 1, threshold: 0 });
  }
  for (const a of alerts) log.error(`ALERT ${a.name}: ${a.detail}`, { alert: a.name, value: a.value, threshold: a.threshold });
  return alerts;
}

/** Which Cron Triggers run each job. */
const cronsOf = (name: string) => Object.entries(schedule).filter(([, names]) => names.includes(name)).map(([cron]) => cron);

/** The request figures of the RequestMetrics object; null (and logged) when it cannot be reached. */
async function requestFigures(env: Env, log: Logger): Promise<RequestsHealth | null> {
  try {
    return await requestMetricsOf(env).summary();
  } catch (err) {
    log.warn("health: request metrics unavailable", { error: err instanceof Error ? err.message : String(err) });
    return null;
  }
}

/**
 * The request alerts firing, as health alerts. Not logged again here: the RequestMetrics object
 * logs each once, when it starts (and when it resolves).
 */
const requestAlertsOf = (requests: RequestsHealth | null): Alert[] =>
  (requests?.alerts ?? []).map((a) => ({
    name: a.name,
    detail:
      a.name === "request_latency_p95"
        ? `Requests answered with a p95 latency of ${a.value} ms over the last 5 minutes (since ${a.since}).`
        : `${(a.value * 100).toFixed(2)} % of requests failed over the last 5 minutes (since ${a.since}).`,
    value: a.value,
    threshold: a.threshold,
  }));

/** GET /v1/admin/health: one round trip, timed, alongside one call to the RequestMetrics object. */
export async function operationsHealth(env: Env, db: Database, log: Logger): Promise<OperationsHealth> {
  const names = Object.keys(jobs).sort();
  const timedQuery = async () => {
    const started = Date.now();
    const { rows } = await db.execute<HealthRow>(healthQuery(names));
    return { row: rows[0]!, latencyMs: Date.now() - started };
  };
  const [{ row, latencyMs }, requests] = await Promise.all([timedQuery(), requestFigures(env, log)]);
  const jobRows = row.jobs ?? [];
  const alerts = [...alertsOf(latencyMs, jobRows, log), ...requestAlertsOf(requests)];
  return {
    status: alerts.length ? "degraded" : "ok",
    checked_at: row.now,
    database: { latency_ms: latencyMs, now: row.now },
    queues: row.queues,
    jobs: jobRows.map((j) => ({ name: j.name, crons: cronsOf(j.name), last_run: j.last_run, runs_24h: j.runs_24h, failures_24h: j.failures_24h })),
    requests,
    alerts,
  };
}
