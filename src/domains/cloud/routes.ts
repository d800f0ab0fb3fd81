import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { signedIn, jsonBody } from "../../lib/openapi";
import { jsonDoc as json, problemDoc as problem } from "../../lib/problem";
import { rateLimit } from "../../lib/rate-limit";
import {
  BackupJobListSchema,
  BackupJobSchema,
  CloudAccountListSchema,
  CloudAccountSchema,
  ConnectAccountSchema,
  CreateJobSchema,
  IdParamSchema,
  OperationsQuerySchema,
  SyncOperationListSchema,
  UpdateAccountSchema,
  UpdateJobSchema,
} from "./schemas";

const accountTags = ["Cloud storage"];

const p = {
  401: problem("Not signed in, or the access token is invalid, expired, revoked or of a deleted account"),
  403: problem("The account is banned"),
  404: problem("No such cloud account or backup job of yours"),
  409: problem("Conflict: the account is already connected, or a run is queued or running, or the account is paused"),
  422: problem("Invalid input (`errors` lists each field), or `cloud_connection_failed`: the connection test failed (`detail` and `reason` say why); nothing was saved"),
  429: problem("Too many of these in a minute: wait (Retry-After)"),
  503: problem("The run could not be queued"),
};
const base = { 401: p[401], 403: p[403], 422: p[422] };

const PASSWORD = "The app password is stored encrypted (AES-256-GCM) and never returned, logged or exported.";

export const connectAccountRoute = createRoute({
  method: "post",
  path: "/v1/me/cloud-accounts",
  tags: accountTags,
  summary: "Connect a WebDAV or Nextcloud account",
  description: `Tests the connection first (PROPFIND on the WebDAV root, reading the quota when the server reports it): a failure answers 422 \`cloud_connection_failed\` with the reason (wrong username or app password, no WebDAV endpoint at that URL, unreachable server, TLS, timeout) and saves nothing. ${PASSWORD} One database round trip.`,
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "cloud-accounts")] as const,
  request: { body: jsonBody(ConnectAccountSchema) },
  responses: { 201: json("The connected account (status active)", CloudAccountSchema), ...base, 409: p[409], 429: p[429] },
});

export const listAccountsRoute = createRoute({
  method: "get",
  path: "/v1/me/cloud-accounts",
  tags: accountTags,
  summary: "My cloud accounts",
  description: "Oldest first. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  responses: { 200: json("My accounts", CloudAccountListSchema), 401: p[401], 403: p[403] },
});

export const getAccountRoute = createRoute({
  method: "get",
  path: "/v1/me/cloud-accounts/{id}",
  tags: accountTags,
  summary: "One of my cloud accounts",
  description: "404 for an account that is not mine. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: IdParamSchema },
  responses: { 200: json("The account", CloudAccountSchema), ...base, 404: p[404] },
});

export const updateAccountRoute = createRoute({
  method: "patch",
  path: "/v1/me/cloud-accounts/{id}",
  tags: accountTags,
  summary: "Change, pause or resume a cloud account",
  description: `A new server URL, username or app password — or status active, to resume a paused account — is tested first: a failed test answers 422 \`cloud_connection_failed\` and changes nothing (two round trips). display_name, or status disabled (pauses its backups): one round trip. ${PASSWORD}`,
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "cloud-accounts")] as const,
  request: { params: IdParamSchema, body: jsonBody(UpdateAccountSchema) },
  responses: { 200: json("The account as changed", CloudAccountSchema), ...base, 404: p[404], 409: p[409], 429: p[429] },
});

export const testAccountRoute = createRoute({
  method: "post",
  path: "/v1/me/cloud-accounts/{id}/test",
  tags: accountTags,
  summary: "Test a cloud account's connection again",
  description: "Answers 200 either way with the outcome recorded: status active (and the quota) or error with last_error. A paused account stays paused. Two round trips.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "cloud-test")] as const,
  request: { params: IdParamSchema },
  responses: { 200: json("The account with the test's outcome", CloudAccountSchema), ...base, 404: p[404], 429: p[429] },
});

export const deleteAccountRoute = createRoute({
  method: "delete",
  path: "/v1/me/cloud-accounts/{id}",
  tags: accountTags,
  summary: "Disconnect a cloud account",
  description: "Deletes the account and its credential for good, with its backup jobs and sync records. Files already copied stay on the server. One round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: IdParamSchema },
  responses: { 204: { description: "Disconnected" }, ...base, 404: p[404] },
});

const jobTags = ["Backups"];

const WHAT =
  "A run copies, under remote_path, my track originals (tracks/), my project files (projects/: my other live uploaded files — not track originals, derived media or profile pictures) and a JSON export of my data (data-export.json), each only when its SHA-256 differs from its last completed copy.";

export const createJobRoute = createRoute({
  method: "post",
  path: "/v1/me/backup-jobs",
  tags: jobTags,
  summary: "Create a backup job",
  description: `${WHAT} schedule: NULL (on demand), five cron fields or a shorthand in \`timezone\`, at most hourly; next_run_at is set from it. One round trip.`,
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "backup-jobs")] as const,
  request: { body: jsonBody(CreateJobSchema) },
  responses: { 201: json("The job", BackupJobSchema), ...base, 404: p[404], 429: p[429] },
});

export const listJobsRoute = createRoute({
  method: "get",
  path: "/v1/me/backup-jobs",
  tags: jobTags,
  summary: "My backup jobs",
  description: "Oldest first, each with the state of its current or last run. One round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  responses: { 200: json("My jobs", BackupJobListSchema), 401: p[401], 403: p[403] },
});

export const getJobRoute = createRoute({
  method: "get",
  path: "/v1/me/backup-jobs/{id}",
  tags: jobTags,
  summary: "A backup job and its run",
  description: "status, progress_percent, files and bytes counts, error_message, last_success_at, next_run_at. One round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: IdParamSchema },
  responses: { 200: json("The job", BackupJobSchema), ...base, 404: p[404] },
});

export const updateJobRoute = createRoute({
  method: "patch",
  path: "/v1/me/backup-jobs/{id}",
  tags: jobTags,
  summary: "Change a backup job",
  description: "What it copies and where cannot change while a run is queued or running (409). A new schedule, timezone or enabled recomputes next_run_at (two round trips); anything else, one.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "backup-jobs")] as const,
  request: { params: IdParamSchema, body: jsonBody(UpdateJobSchema) },
  responses: { 200: json("The job as changed", BackupJobSchema), ...base, 404: p[404], 409: p[409], 429: p[429] },
});

export const deleteJobRoute = createRoute({
  method: "delete",
  path: "/v1/me/backup-jobs/{id}",
  tags: jobTags,
  summary: "Delete a backup job",
  description: "A run in progress stops. The sync records stay with the account (so another job to the same folder does not copy unchanged files again). One round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: IdParamSchema },
  responses: { 204: { description: "Deleted" }, ...base, 404: p[404] },
});

export const runJobRoute = createRoute({
  method: "post",
  path: "/v1/me/backup-jobs/{id}/run",
  tags: jobTags,
  summary: "Run a backup now",
  description: "Queues a run (status queued, counters reset); a queue consumer copies the files, writing progress as it goes. 409 while a run is queued or running, or when the account is paused. One round trip, then the queue send.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "backup-run")] as const,
  request: { params: IdParamSchema },
  responses: { 202: json("The job, queued", BackupJobSchema), ...base, 404: p[404], 409: p[409], 429: p[429], 503: p[503] },
});

export const listOperationsRoute = createRoute({
  method: "get",
  path: "/v1/me/backup-jobs/{id}/operations",
  tags: jobTags,
  summary: "The files a backup job copied",
  description: "One record per remote file this job last wrote: its hash, size, status, attempts and error. Newest first, by cursor; `status` narrows it. One round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: IdParamSchema, query: OperationsQuerySchema },
  responses: { 200: json("A page of operations", SyncOperationListSchema), ...base, 404: p[404] },
});
