import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { encryptSecret } from "../../src/lib/crypto";
import { BACKUP_BUDGET } from "../../src/domains/cloud/backup-run";
import { signedInUser, type SignedInUser } from "../helpers/auth";
import { insert, sql } from "../helpers/db";
import { capturingQueue, consume } from "../gdpr/helpers";
import { makeFile, makeTrack } from "../tracks/fixtures";
import { accountAndJob, call, dav, env, noise, putsUnder, remoteFile, seenBodies, sha256 } from "./fixtures";

/** Everything the Worker printed during a test (console.* spied in this isolate, where it runs). */
let printed: string[] = [];
beforeEach(() => {
  printed = [];
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(" ")));
  }
});
afterEach(() => vi.restoreAllMocks());

/** Queues a run through the API and consumes its message(s) until the run has none left. */
async function runBackup(who: SignedInUser, jobId: string) {
  const jobs = capturingQueue();
  const queued = await call("POST", `/v1/me/backup-jobs/${jobId}/run`, { headers: who.headers, bindings: { JOBS_QUEUE: jobs.queue } });
  expect(queued.status, queued.text).toBe(202);
  expect(queued.body.status).toBe("queued");
  let deliveries = 0;
  while (jobs.sent.length) {
    const batch = jobs.sent.splice(0);
    const { acked, ids } = await consume(batch, { JOBS_QUEUE: jobs.queue });
    expect(acked).toEqual(ids);
    deliveries += batch.length;
  }
  const job = await call("GET", `/v1/me/backup-jobs/${jobId}`, { headers: who.headers });
  return { job: job.body, deliveries };
}

async function operations(who: SignedInUser, jobId: string) {
  const res = await call("GET", `/v1/me/backup-jobs/${jobId}/operations?limit=100`, { headers: who.headers });
  expect(res.status).toBe(200);
  return res.body.items as { remote_path: string; source_type: string; file_id: string | null; content_hash: string; bytes: number; status: string; run_number: number }[];
}

/** My files of every kind: what a backup must take and what it must leave. */
async function library(ada: SignedInUser) {
  const trackBytes = [noise(150_000, 7), noise(90_001, 8)];
  const tracks = [
    await makeTrack(ada.id, { original: trackBytes[0], originalFilename: "Night Drive (final).wav" }),
    await makeTrack(ada.id, { original: trackBytes[1], originalFilename: "Dawn.wav" }),
  ];
  const projectBytes = noise(40_000, 9);
  const project = await makeFile(ada.id, { bytes: projectBytes, mime: "application/octet-stream", originalFilename: "session: v2/mix?.als" });
  await sql.query("UPDATE files SET file_hash = $2 WHERE id = $1", [project.id, await sha256(projectBytes)]);
  // Not to be copied: a deleted track's original, a deleted file, a conversion's output, a profile picture.
  await makeTrack(ada.id, { original: noise(1000, 10), deleted: true });
  await makeFile(ada.id, { bytes: noise(1000, 11), deleted: true });
  const derived = await makeFile(ada.id, { bytes: noise(1000, 12), mime: "audio/mpeg" });
  await insert("file_conversions", { source_file_id: tracks[0]!.fileId, converted_file_id: derived.id, target_format: "mp3", status: "completed" });
  await insert("files", {
    user_id: ada.id, filename: "a.png", original_filename: "avatar.png", mime_type: "image/png", file_size: 10,
    storage_path: `avatars/${ada.id}/a.png`, url: `/v1/media/avatars/${ada.id}/a.png`,
  });
  return { tracks, trackBytes, project, projectBytes };
}

describe("a backup to a real WebDAV server", () => {
  it("copies my track originals, project files and data export intact, then nothing on a re-run, then only what changed", async () => {
    const ada = await signedInUser();
    const mine = await library(ada);
    const { account, job, remotePath } = await accountAndJob(ada);

    // First run: everything arrives, byte for byte.
    const first = await runBackup(ada, job.id);
    expect(first.job).toMatchObject({ status: "completed", progress_percent: 100, files_total: 4, files_copied: 4, files_skipped: 0, files_failed: 0, run_count: 1, error_message: null });
    expect(first.job.bytes_copied).toBe(first.job.bytes_total);
    expect(first.job.last_success_at).toEqual(expect.any(String));
    const ops = await operations(ada, job.id);
    expect(ops.map((o) => o.remote_path).sort()).toEqual(
      [
        `${remotePath}/data-export.json`,
        `${remotePath}/projects/session_ v2_mix_.als`.replace(".als", ` (${mine.project.id.slice(0, 8)}).als`),
        `${remotePath}/tracks/Dawn (${mine.tracks[1]!.fileId.slice(0, 8)}).wav`,
        `${remotePath}/tracks/Night Drive (final) (${mine.tracks[0]!.fileId.slice(0, 8)}).wav`,
      ].sort(),
    );
    expect(ops.every((o) => o.status === "completed" && o.run_number === 1)).toBe(true);
    const originals = new Map<string | null, Uint8Array>([
      [mine.tracks[0]!.fileId, mine.trackBytes[0]!],
      [mine.tracks[1]!.fileId, mine.trackBytes[1]!],
      [mine.project.id, mine.projectBytes],
    ]);
    for (const op of ops.filter((o) => o.source_type !== "data_export")) {
      const arrived = await remoteFile(op.remote_path);
      expect(arrived, op.remote_path).not.toBeNull();
      expect(await sha256(arrived!)).toBe(await sha256(originals.get(op.file_id)!));
      expect(op.content_hash).toBe(await sha256(originals.get(op.file_id)!));
      expect(op.bytes).toBe(originals.get(op.file_id)!.byteLength);
    }
    const exportOp = ops.find((o) => o.source_type === "data_export")!;
    const exported = await remoteFile(exportOp.remote_path);
    expect(exported!.byteLength).toBe(exportOp.bytes);
    const archive = JSON.parse(new TextDecoder().decode(exported!));
    expect(archive).toMatchObject({ format: "veza-export/1", user_id: ada.id });
    expect(archive.cloud_accounts).toHaveLength(1);
    expect(archive.cloud_accounts[0]).toMatchObject({ id: account.id, username: dav.username });
    expect(archive.cloud_accounts[0]).not.toHaveProperty("encrypted_password");
    expect(archive.tracks.map((t: { id: string }) => t.id)).toEqual(expect.arrayContaining(mine.tracks.map((t) => t.id)));
    const putsAfterFirst = await putsUnder(remotePath);
    expect(putsAfterFirst).toHaveLength(4);
    expect(await env.MEDIA.head(`cloud-backups/${job.id}/data-export.json`)).toBeNull(); // the staged export is gone

    // Second run: nothing changed, nothing is sent.
    const second = await runBackup(ada, job.id);
    expect(second.job).toMatchObject({ status: "completed", progress_percent: 100, files_total: 4, files_copied: 0, files_skipped: 4, files_failed: 0, bytes_total: 0, run_count: 2 });
    expect(await putsUnder(remotePath)).toEqual(putsAfterFirst);
    expect((await operations(ada, job.id)).every((o) => o.run_number === 1)).toBe(true);

    // Third run: a new project file (and so a changed data export) are copied; the rest is skipped.
    const addedBytes = noise(12_345, 13);
    const added = await makeFile(ada.id, { bytes: addedBytes, mime: "application/zip", originalFilename: "stems.zip" });
    const third = await runBackup(ada, job.id);
    expect(third.job).toMatchObject({ status: "completed", files_total: 5, files_copied: 2, files_skipped: 3, files_failed: 0, run_count: 3 });
    const newPuts = (await putsUnder(remotePath)).slice(putsAfterFirst.length).sort();
    expect(newPuts).toEqual([`${remotePath}/data-export.json`, `${remotePath}/projects/stems (${added.id.slice(0, 8)}).zip`].sort());
    expect(await sha256((await remoteFile(`${remotePath}/projects/stems (${added.id.slice(0, 8)}).zip`))!)).toBe(await sha256(addedBytes));

    // The app password was in no response and no log line; the logs did speak.
    expect(printed.some((line) => line.includes("cloud backup finished"))).toBe(true);
    for (const text of [...seenBodies, ...printed]) expect(text).not.toContain(dav.password);
  });

  it("copies a file again when its content changed, and only that file", async () => {
    const ada = await signedInUser();
    const before = noise(30_000, 21);
    const file = await makeFile(ada.id, { bytes: before, originalFilename: "loop.wav" });
    const other = await makeFile(ada.id, { bytes: noise(2000, 22), originalFilename: "other.wav" });
    await sql.query("UPDATE files SET file_hash = $2 WHERE id = $1", [file.id, await sha256(before)]);
    const { job, remotePath } = await accountAndJob(ada, { include_tracks: false, include_data_export: false });
    expect((await runBackup(ada, job.id)).job).toMatchObject({ status: "completed", files_copied: 2 });

    const after = noise(31_000, 23);
    await env.MEDIA.put(file.storage_path, after);
    await sql.query("UPDATE files SET file_hash = $2, file_size = $3 WHERE id = $1", [file.id, await sha256(after), after.byteLength]);
    const count = (await putsUnder(remotePath)).length;
    expect((await runBackup(ada, job.id)).job).toMatchObject({ status: "completed", files_total: 2, files_copied: 1, files_skipped: 1 });
    const path = `${remotePath}/projects/loop (${file.id.slice(0, 8)}).wav`;
    expect((await putsUnder(remotePath)).slice(count)).toEqual([path]);
    expect(await sha256((await remoteFile(path))!)).toBe(await sha256(after));
    expect(await remoteFile(`${remotePath}/projects/other (${other.id.slice(0, 8)}).wav`)).not.toBeNull();
  });

  it("continues a run over several invocations within its budget, copying each file once", async () => {
    const ada = await signedInUser();
    const files = [];
    for (let i = 0; i < 5; i++) files.push(await makeFile(ada.id, { bytes: noise(5000 + i, 30 + i), originalFilename: `part${i}.bin` }));
    const { job, remotePath } = await accountAndJob(ada, { include_tracks: false, include_data_export: false });
    const saved = { ...BACKUP_BUDGET };
    BACKUP_BUDGET.files = 2;
    try {
      const run = await runBackup(ada, job.id);
      expect(run.deliveries).toBe(3);
      expect(run.job).toMatchObject({ status: "completed", files_total: 5, files_copied: 5, files_failed: 0 });
    } finally {
      Object.assign(BACKUP_BUDGET, saved);
    }
    const puts = await putsUnder(remotePath);
    expect(puts).toHaveLength(5);
    expect(new Set(puts).size).toBe(5);
  });

  it("fails the run with a clear message on a wrong password, and puts the account in error", async () => {
    const ada = await signedInUser();
    await makeFile(ada.id, { bytes: noise(1000, 40) });
    const { account, job, remotePath } = await accountAndJob(ada);
    const wrong = `wrong-${crypto.randomUUID()}`;
    await sql.query("UPDATE cloud_accounts SET encrypted_password = $2 WHERE id = $1", [account.id, await encryptSecret(wrong, env.ENCRYPTION_KEY)]);
    const { job: failed } = await runBackup(ada, job.id);
    expect(failed).toMatchObject({ status: "failed", error_message: "The server refused the username or app password.", files_copied: 0 });
    expect(failed.last_success_at).toBeNull();
    const after = await call("GET", `/v1/me/cloud-accounts/${account.id}`, { headers: ada.headers });
    expect(after.body).toMatchObject({ status: "error", last_error: "The server refused the username or app password." });
    expect(await putsUnder(remotePath)).toEqual([]);
    for (const text of [...seenBodies, ...printed]) {
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(dav.password);
    }
  });

  it("refuses a second run while one is queued (409) and ignores a stale message", async () => {
    const ada = await signedInUser();
    const { job } = await accountAndJob(ada, { include_tracks: false, include_projects: false });
    const jobs = capturingQueue();
    expect((await call("POST", `/v1/me/backup-jobs/${job.id}/run`, { headers: ada.headers, bindings: { JOBS_QUEUE: jobs.queue } })).status).toBe(202);
    const again = await call("POST", `/v1/me/backup-jobs/${job.id}/run`, { headers: ada.headers, bindings: { JOBS_QUEUE: jobs.queue } });
    expect(again.status).toBe(409);
    expect(jobs.sent).toHaveLength(1);
    await consume([{ ...jobs.sent[0]!, run: 7 }]); // a message of no current run
    expect((await call("GET", `/v1/me/backup-jobs/${job.id}`, { headers: ada.headers })).body.status).toBe("queued");
    await consume(jobs.sent);
    await consume(jobs.sent); // redelivered after the run ended: nothing happens
    const done = (await call("GET", `/v1/me/backup-jobs/${job.id}`, { headers: ada.headers })).body;
    expect(done).toMatchObject({ status: "completed", run_count: 1, files_total: 1, files_copied: 1 });
  });
});
