import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { signedIn } from "../../lib/openapi";
import { jsonDoc as json, problemDoc as problem } from "../../lib/problem";
import { JobParamsSchema, JobRunSchema, OperationsHealthSchema } from "./schemas";

const security: Array<Record<string, string[]>> = signedIn;

const problems = {
  401: problem("The access token sent is invalid, expired or revoked (or none was sent)"),
  403: problem("Not an admin, or a banned account"),
  404: problem("No job of that name"),
  422: problem("The request is not valid; `errors` lists each field"),
  500: problem("The job failed; the failure is recorded (GET /v1/admin/health) and logged"),
};

export const runJobRoute = createRoute({
  method: "post",
  path: "/v1/admin/jobs/{name}/run",
  tags: ["Operations"],
  summary: "Run a cron job now",
  description:
    "Admins only. Runs one of the cron jobs (the retention jobs, partitions, views, ...) immediately with the current clock, exactly as its Cron Trigger would: one bounded run (a large backlog needs several runs), idempotent. The run is recorded in job_runs and audited as admin.job_run.",
  security,
  middleware: [requireAuth("admin")] as const,
  request: { params: JobParamsSchema },
  responses: { 200: json("The finished run and its counts", JobRunSchema), ...problems },
});

export const healthRoute = createRoute({
  method: "get",
  path: "/v1/admin/health",
  tags: ["Operations"],
  summary: "Operational health",
  description:
    "Admins only. Database latency (this request's round trip), the work waiting behind each queue, every job's last run with its counts and its failures over 24 h, the requests the Worker answered (count, p50/p95/p99 latency, server error rate over the last 5 minutes, hour and day; the worst routes of the hour), and the alerts raised: database latency > 500 ms, job error rate > 1 % over 24 h, a job whose last run failed (each logged with the marker `ALERT` when this route reports it), and the request alerts of the spec — p95 latency > 500 ms or server errors (5xx) > 1 % of requests over the last 5 minutes, judged every minute once there are at least 100 requests in them, logged once when they start (`ALERT`, `alert: veza.alert.p95_latency` / `veza.alert.error_rate`) and once when they resolve (`RESOLVED`). One database round trip besides the access token check, in parallel with one call to the RequestMetrics object.",
  security,
  middleware: [requireAuth("admin")] as const,
  responses: { 200: json("The platform's operational state", OperationsHealthSchema), 401: problems[401], 403: problems[403] },
});
