import type { Env } from "../../env";
import type { MessageContext, MessageHandler } from "../../jobs/queue";
import type { Logger } from "../../lib/logger";
import { clientFor } from "./account-view";
import { BackupMessageSchema, CLOUD_BACKUP, type BackupMessage } from "./backup-message";
import { fileCandidates, stageDataExport, type Candidate } from "./backup-sources";
import { claimOperations, finishRun, planRun, recordResults, startRun, type ClaimedOperation, type OperationResult, type RunEnd, type RunningJob } from "./run-state";
import { nextRunAfter } from "./schedule";
import { stagedExportKey } from "./staging";
import { WebDavClient, WebDavError } from "./webdav";

/**
 * What one invocation of the consumer may do before it hands the rest of the run to a new message:
 * a queue consumer has 15 minutes of wall time, and the jobs queue carries mail that should not
 * wait behind a long backup. Mutable for the tests of continuation.
 */
export const BACKUP_BUDGET = { ms: 60_000, files: 200 };

/** Files claimed (and their outcomes written) together: progress is written once per batch. */
const CLAIM_BATCH = 8;
/** A file whose copy failed this many times in a run (dead invocations included) is given up. */
const MAX_ATTEMPTS = 3;

const CONTENT_TYPES: Record<string, string> = { data_export: "application/json; charset=utf-8" };

type CopyOutcome = { kind: "more" } | RunEnd;

/** The next scheduled run after now, for a scheduled, enabled job. */
const nextRun = (job: RunningJob) => (job.schedule && job.is_enabled ? nextRunAfter(job.schedule, job.schedule_timezone, new Date()) : null);

/** A failure that ends the run, as the job and (for credentials and a missing endpoint) the account record it. */
function stop(err: WebDavError): RunEnd {
  return { kind: "stopped", message: err.message, account: err.kind === "auth" || err.kind === "not_found" };
}

/** One file: its folders on the remote, then the R2 object streamed to it. */
async function copyOne(bucket: R2Bucket, client: WebDavClient, op: ClaimedOperation, known: Set<string>): Promise<OperationResult> {
  const object = await bucket.get(op.local_key);
  if (!object) return { id: op.id, status: "failed", error: "The original is missing from storage." };
  const dir = op.remote_path.slice(0, op.remote_path.lastIndexOf("/"));
  await client.ensureCollection(dir, known);
  const contentType = CONTENT_TYPES[op.source_type] ?? object.httpMetadata?.contentType ?? "application/octet-stream";
  const { etag } = await client.put(op.remote_path, object.body, object.size, contentType);
  return { id: op.id, status: "completed", etag, bytes: object.size };
}

/**
 * Copies the run's pending files, a batch at a time, until none is left ("done"), the budget is
 * spent ("more"), or a failure no later file can escape stops the run (wrong password, no space,
 * server unreachable). A file that fails on its own is recorded failed and the run goes on.
 */
async function copyPending(env: Env, db: MessageContext["db"], log: Logger, client: WebDavClient, job: RunningJob, run: number): Promise<CopyOutcome> {
  const started = Date.now();
  const known = new Set<string>();
  let files = 0;
  for (;;) {
    if (Date.now() - started >= BACKUP_BUDGET.ms || files >= BACKUP_BUDGET.files) return { kind: "more" };
    const claimed = await claimOperations(db, job.id, run, Math.min(CLAIM_BATCH, BACKUP_BUDGET.files - files));
    if (!claimed.length) return { kind: "done" };
    const results: OperationResult[] = [];
    let fatal: WebDavError | null = null;
    for (const op of claimed) {
      if (fatal) {
        results.push({ id: op.id, status: "pending" });
        continue;
      }
      if (op.attempt_count > MAX_ATTEMPTS) {
        results.push({ id: op.id, status: "failed", error: `Gave up after ${MAX_ATTEMPTS} attempts.` });
        continue;
      }
      try {
        results.push(await copyOne(env.MEDIA, client, op, known));
      } catch (err) {
        const error = err instanceof WebDavError ? err : new WebDavError("server", "Reading the original from storage failed.");
        if (!(err instanceof WebDavError)) log.warn("cloud backup: reading an original failed", { jobId: job.id, key: op.local_key, error: String(err) });
        results.push({ id: op.id, status: "failed", error: error.message });
        if (error.stopsRun) fatal = error;
      }
      files++;
    }
    await recordResults(db, job.id, run, results);
    if (fatal) return stop(fatal);
  }
}

/** What the run copies: the job's files, and its data export staged in R2. */
async function candidatesOf(env: Env, db: MessageContext["db"], job: RunningJob): Promise<Candidate[]> {
  const files = await fileCandidates(db, env.MEDIA, job);
  if (job.include_data_export) files.push(await stageDataExport(db, env.MEDIA, job, new Date()));
  return files;
}

/**
 * "cloud.backup": runs (or continues) one run of a backup job. The first invocation checks the
 * connection, lists and hashes what to copy and plans it (sync_operations); every invocation then
 * copies pending files within its budget and, if some are left, queues the same message to
 * continue. At-least-once delivery is safe: a stale message finds no run, a redelivered plan leaves
 * files in flight alone, and a completed file is never copied again in the same run.
 */
export const runBackup: MessageHandler = async (body, { env, db, log }) => {
  const parsed = BackupMessageSchema.safeParse(body);
  if (!parsed.success) throw new Error(`malformed ${CLOUD_BACKUP} message: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`);
  const { jobId, run, continued = false } = parsed.data;
  const job = await startRun(db, jobId, run);
  if (!job) {
    log.info("cloud backup: nothing to do", { jobId, run });
    return;
  }
  const end = await runOrContinue(env, db, log, job, run, continued);
  if (end.kind === "more") {
    const next: BackupMessage = { type: CLOUD_BACKUP, jobId, run, continued: true };
    await env.JOBS_QUEUE.send(next);
    log.info("cloud backup: continues in a new invocation", { jobId, run });
    return;
  }
  const finished = await finishRun(db, job, run, end, nextRun(job));
  await env.MEDIA.delete(stagedExportKey(job.id)).catch(() => undefined);
  log.info("cloud backup finished", { jobId, run, status: finished?.status ?? "(job gone)", ...(end.kind === "done" ? {} : { reason: end.message }) });
};

async function runOrContinue(env: Env, db: MessageContext["db"], log: Logger, job: RunningJob, run: number, continued: boolean): Promise<CopyOutcome> {
  if (job.owner_deleted) return { kind: "cancelled", message: "The account that owns this backup was deleted." };
  if (job.account_status === "disabled") return { kind: "cancelled", message: "The cloud account is paused." };
  const client = await clientFor(job, env.ENCRYPTION_KEY);
  try {
    // Each invocation checks the connection first: a wrong password fails at once, not file by file.
    await client.testRoot();
  } catch (err) {
    if (err instanceof WebDavError) return stop(err);
    throw err;
  }
  if (!continued) await planRun(db, job, run, await candidatesOf(env, db, job));
  return copyPending(env, db, log, client, job, run);
}

