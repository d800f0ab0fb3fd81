// Constraints of migrations/0010_cloud.sql (cloud accounts, backup jobs, sync operations), and the
// "copy only what changed" upsert the backup consumer relies on. Every test creates its own rows.
import { describe, it, expect } from "vitest";
import { sql, expectPgError, createUser, createFile, MISSING, uniq, insert, insertId, once } from "../helpers/db";

const HASH_A = "a".repeat(64);
const HASH_B = "b".repeat(64);


const newAccount = (userId: string, o: Record<string, unknown> = {}) =>
  insertId("cloud_accounts", {
    user_id: userId, provider: "nextcloud", server_url: `https://cloud.example.org/remote.php/dav/files/${uniq()}`,
    username: "bob", encrypted_password: "k1:aXY:Y2lwaGVydGV4dA", ...o,
  });
const newJob = (accountId: string, o: Record<string, unknown> = {}) => insertId("backup_jobs", { cloud_account_id: accountId, ...o });
const newSync = (accountId: string, o: Record<string, unknown> = {}) =>
  insertId("sync_operations", {
    cloud_account_id: accountId, source_type: "track", local_key: `originals/${uniq()}.wav`, remote_path: `/Veza/tracks/${uniq()}.wav`,
    content_hash: HASH_A, bytes: 1024, ...o,
  });

/** The consumer's claim: a row back means "copy this file", no row means "unchanged, skip". */
const claim = (accountId: string, remotePath: string, hash: string, jobId: string | null = null) =>
  sql.query(
    `INSERT INTO sync_operations (cloud_account_id, backup_job_id, source_type, local_key, remote_path, content_hash, bytes)
     VALUES ($1, $2, 'track', 'originals/x.wav', $3, $4, 1024)
     ON CONFLICT (cloud_account_id, remote_path) DO UPDATE
       SET content_hash = EXCLUDED.content_hash, bytes = EXCLUDED.bytes, backup_job_id = EXCLUDED.backup_job_id,
           status = 'pending', completed_at = NULL, error_message = NULL
     WHERE sync_operations.content_hash <> EXCLUDED.content_hash OR sync_operations.status <> 'completed'
     RETURNING id`,
    [accountId, jobId, remotePath, hash],
  );
const markCopied = (id: string) => sql.query("UPDATE sync_operations SET status = 'completed', completed_at = now() WHERE id = $1", [id]);

interface Ctx { owner: string; account: string; serverUrl: string; job: string; syncPath: string }
const ctx = once(async (): Promise<Ctx> => {
  const owner = (await createUser()).id;
  const serverUrl = `https://dav.example.net/${uniq()}`;
  const account = await newAccount(owner, { server_url: serverUrl });
  const job = await newJob(account, { schedule: "0 3 * * *" });
  const syncPath = `/Veza/tracks/${uniq()}.wav`;
  await newSync(account, { remote_path: syncPath });
  return { owner, account, serverUrl, job, syncPath };
});

type Case = [name: string, run: (c: Ctx) => Promise<unknown>, code: string, constraint: string];
const cases: Case[] = [
  // cloud_accounts
  ["rejects a provider of 'dropbox'", (c) => newAccount(c.owner, { provider: "dropbox" }), "23514", "chk_cloud_accounts_provider_valid"],
  ["rejects an account status of 'broken'", (c) => newAccount(c.owner, { status: "broken" }), "23514", "chk_cloud_accounts_status_valid"],
  ["rejects a server URL that is not http(s)", (c) => newAccount(c.owner, { server_url: "ftp://dav.example.net" }), "23514", "chk_cloud_accounts_server_url_format"],
  ["rejects an empty encrypted password", (c) => newAccount(c.owner, { encrypted_password: "" }), "23514", "chk_cloud_accounts_encrypted_password_not_empty"],
  ["rejects a missing encrypted password", (c) => newAccount(c.owner, { encrypted_password: null }), "23502", ""],
  ["rejects an active account whose connection was never tested", (c) => newAccount(c.owner, { status: "active" }), "23514", "chk_cloud_accounts_active_tested"],
  ["rejects a negative quota", (c) => newAccount(c.owner, { quota_used_bytes: -1 }), "23514", "chk_cloud_accounts_quota_non_negative"],
  ["rejects connecting the same remote account twice", (c) => newAccount(c.owner, { server_url: c.serverUrl }), "23505", "uq_cloud_accounts_user_server_username"],
  ["rejects an account of an unknown user", () => newAccount(MISSING), "23503", "fk_cloud_accounts_users"],
  // backup_jobs
  ["rejects a job status of 'paused'", (c) => newJob(c.account, { status: "paused" }), "23514", "chk_backup_jobs_status_valid"],
  ["rejects a progress of 101 %", (c) => newJob(c.account, { progress_percent: 101 }), "23514", "chk_backup_jobs_progress_range"],
  ["rejects a job that copies nothing", (c) =>
    newJob(c.account, { include_tracks: false, include_projects: false, include_data_export: false }), "23514", "chk_backup_jobs_scope_not_empty"],
  ["rejects a relative remote path", (c) => newJob(c.account, { remote_path: "Veza" }), "23514", "chk_backup_jobs_remote_path_absolute"],
  ["rejects a blank schedule", (c) => newJob(c.account, { schedule: "   " }), "23514", "chk_backup_jobs_schedule_not_blank"],
  ["rejects a next run for an on-demand job", (c) => newJob(c.account, { next_run_at: new Date().toISOString() }), "23514", "chk_backup_jobs_next_run_scheduled"],
  ["rejects a negative file count", (c) => newJob(c.account, { files_total: -1 }), "23514", "chk_backup_jobs_counters_non_negative"],
  ["rejects more files done than in total", (c) => newJob(c.account, { files_total: 1, files_copied: 1, files_skipped: 1 }), "23514", "chk_backup_jobs_files_done_within_total"],
  ["rejects more bytes copied than in total", (c) => newJob(c.account, { bytes_total: 10, bytes_copied: 11 }), "23514", "chk_backup_jobs_bytes_within_total"],
  ["rejects a job on an unknown account", () => newJob(MISSING), "23503", "fk_backup_jobs_cloud_accounts"],
  // sync_operations
  ["rejects a source type of 'video'", (c) => newSync(c.account, { source_type: "video" }), "23514", "chk_sync_operations_source_type_valid"],
  ["rejects a sync status of 'done'", (c) => newSync(c.account, { status: "done" }), "23514", "chk_sync_operations_status_valid"],
  ["rejects a hash that is not lower-case SHA-256 hex", (c) => newSync(c.account, { content_hash: "A".repeat(64) }), "23514", "chk_sync_operations_content_hash_format"],
  ["rejects a hash of the wrong length", (c) => newSync(c.account, { content_hash: "abc" }), "23514", "chk_sync_operations_content_hash_format"],
  ["rejects a negative size", (c) => newSync(c.account, { bytes: -1 }), "23514", "chk_sync_operations_bytes_non_negative"],
  ["rejects a relative remote file path", (c) => newSync(c.account, { remote_path: "tracks/a.wav" }), "23514", "chk_sync_operations_remote_path_absolute"],
  ["rejects run number 0", (c) => newSync(c.account, { run_number: 0 }), "23514", "chk_sync_operations_run_number_positive"],
  ["rejects a negative attempt count", (c) => newSync(c.account, { attempt_count: -1 }), "23514", "chk_sync_operations_attempt_count_non_negative"],
  ["rejects a completed copy without completed_at", (c) => newSync(c.account, { status: "completed" }), "23514", "chk_sync_operations_completed_at_set"],
  ["rejects two records of the same remote path", (c) => newSync(c.account, { remote_path: c.syncPath, content_hash: HASH_B }), "23505", "uq_sync_operations_account_remote_path"],
  ["rejects a record of an unknown account", () => newSync(MISSING), "23503", "fk_sync_operations_cloud_accounts"],
  ["rejects a record of an unknown job", (c) => newSync(c.account, { backup_job_id: MISSING }), "23503", "fk_sync_operations_backup_jobs"],
  ["rejects a record of an unknown file", (c) => newSync(c.account, { file_id: MISSING }), "23503", "fk_sync_operations_files"],
];

describe("cloud constraints", () => {
  it.each(cases)("%s", async (_name, run, code, constraint) => {
    const c = await ctx();
    await expectPgError(run(c), code, constraint || undefined);
  });

  it("saves an account as pending and lets it become active once tested", async () => {
    const c = await ctx();
    const account = await newAccount(c.owner);
    const [row] = await sql.query(
      "UPDATE cloud_accounts SET status = 'active', last_tested_at = now() WHERE id = $1 RETURNING status", [account]);
    expect(row!.status).toBe("active");
  });

  it("creates an on-demand job copying everything by default", async () => {
    const c = await ctx();
    const row = await insert("backup_jobs", { cloud_account_id: c.account });
    expect(row).toMatchObject({
      status: "pending", progress_percent: 0, schedule: null, next_run_at: null, remote_path: "/Veza",
      include_tracks: true, include_projects: true, include_data_export: true, bytes_copied: "0", run_count: 0,
    });
  });
});

describe("sync operations", () => {
  it("copies a file once, skips it while unchanged, and copies it again when its hash changes", async () => {
    const c = await ctx();
    const path = `/Veza/tracks/${uniq()}.wav`;
    const first = await claim(c.account, path, HASH_A, c.job);
    expect(first).toHaveLength(1);
    await markCopied(first[0]!.id as string);
    expect(await claim(c.account, path, HASH_A, c.job)).toHaveLength(0);
    const changed = await claim(c.account, path, HASH_B, c.job);
    expect(changed).toEqual(first);
    await markCopied(changed[0]!.id as string);
    // back to the first content: the remote holds B, so it is copied again
    expect(await claim(c.account, path, HASH_A, c.job)).toHaveLength(1);
  });

  it("retries a file whose last copy did not complete", async () => {
    const c = await ctx();
    const path = `/Veza/projects/${uniq()}.als`;
    const [row] = await claim(c.account, path, HASH_A);
    await sql.query("UPDATE sync_operations SET status = 'failed', error_message = '507 Insufficient Storage' WHERE id = $1", [row!.id]);
    expect(await claim(c.account, path, HASH_A)).toHaveLength(1);
  });

  it("keeps the record when its job or source file is deleted", async () => {
    const c = await ctx();
    const file = await createFile(c.owner);
    const job = await newJob(c.account);
    const id = await newSync(c.account, { backup_job_id: job, file_id: file.id });
    await sql.query("DELETE FROM backup_jobs WHERE id = $1", [job]);
    await sql.query("DELETE FROM files WHERE id = $1", [file.id]);
    const [row] = await sql.query("SELECT backup_job_id, file_id, content_hash FROM sync_operations WHERE id = $1", [id]);
    expect(row).toEqual({ backup_job_id: null, file_id: null, content_hash: HASH_A });
  });

  it("deletes jobs and records with the account (disconnect)", async () => {
    const owner = (await createUser()).id;
    const account = await newAccount(owner);
    const job = await newJob(account);
    const sync = await newSync(account, { backup_job_id: job });
    await sql.query("DELETE FROM cloud_accounts WHERE id = $1", [account]);
    const [row] = await sql.query(
      `SELECT (SELECT count(*) FROM backup_jobs WHERE id = $1)::int AS jobs, (SELECT count(*) FROM sync_operations WHERE id = $2)::int AS syncs`,
      [job, sync]);
    expect(row).toEqual({ jobs: 0, syncs: 0 });
  });
});

describe("updated_at", () => {
  const bumps: [table: string, make: (c: Ctx) => Promise<string>, set: string][] = [
    ["cloud_accounts", (c) => newAccount(c.owner), "display_name = 'My Nextcloud'"],
    ["backup_jobs", (c) => newJob(c.account), "status = 'queued', queued_at = now()"],
    ["sync_operations", (c) => newSync(c.account), "status = 'in_progress', started_at = now()"],
  ];
  it.each(bumps)("moves on UPDATE of %s", async (table, make, set) => {
    const c = await ctx();
    const id = await make(c);
    const [row] = await sql.query(`UPDATE ${table} SET ${set} WHERE id = $1 RETURNING updated_at > created_at AS moved`, [id]);
    expect(row!.moved).toBe(true);
  });
});
