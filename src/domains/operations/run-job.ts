import type { Env } from "../../env";
import type { AuditOrigin } from "../../lib/audit";
import { ApiError, notFound } from "../../lib/errors";
import type { Logger } from "../../lib/logger";
import { jobs, runJob } from "../../jobs/schedule";
import type { JobRun } from "./schemas";

/** Runs job `name` now on behalf of admin `actorId`; a failure is recorded and answered as a 500 problem. */
export async function runJobNow(env: Env, log: Logger, name: string, actorId: string, origin: AuditOrigin): Promise<JobRun> {
  if (!Object.hasOwn(jobs, name)) throw notFound("Job");
  const started = new Date();
  let counts: Record<string, number>;
  try {
    counts = await runJob(name, env, started, log, { trigger: "manual", actorId, origin });
  } catch {
    throw new ApiError("internal", `The job ${name} failed; see its last run in GET /v1/admin/health.`);
  }
  const finished = new Date();
  return {
    job: name,
    trigger: "manual",
    status: "succeeded",
    counts,
    started_at: started.toISOString(),
    finished_at: finished.toISOString(),
    duration_ms: finished.getTime() - started.getTime(),
  };
}
