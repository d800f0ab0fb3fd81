import { describe, expect, it } from "vitest";
import { runJob } from "../../src/jobs/schedule";
import { signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { capturingQueue, consume } from "../gdpr/helpers";
import { accountAndJob, call, connect, env } from "./fixtures";

describe("backup jobs", () => {
  it("creates a job with defaults, an on-demand one without next_run_at, and a scheduled one with it", async () => {
    const ada = await signedInUser();
    const { body: account } = await connect(ada);
    const plain = await call("POST", "/v1/me/backup-jobs", { headers: ada.headers, body: { cloud_account_id: account.id } });
    expect(plain.status).toBe(201);
    expect(plain.body).toMatchObject({
      cloud_account_id: account.id, include_tracks: true, include_projects: true, include_data_export: true, remote_path: "/Veza",
      schedule: null, timezone: "UTC", enabled: true, next_run_at: null, status: "pending", run_count: 0, files_total: 0,
    });
    const before = Date.now();
    const nightly = await call("POST", "/v1/me/backup-jobs", {
      headers: ada.headers,
      body: { cloud_account_id: account.id, schedule: "30 3 * * *", timezone: "Europe/Paris", remote_path: "/Backups//Veza/" },
    });
    expect(nightly.status).toBe(201);
    expect(nightly.body.remote_path).toBe("/Backups/Veza");
    const next = new Date(nightly.body.next_run_at);
    expect(next.getTime()).toBeGreaterThan(before);
    expect(next.getTime() - before).toBeLessThanOrEqual(25 * 3600_000);
    // 03:30 in Paris is 02:30 UTC in winter, 01:30 in summer
    expect(next.getUTCMinutes()).toBe(30);
    expect([1, 2]).toContain(next.getUTCHours());
    const list = await call("GET", "/v1/me/backup-jobs", { headers: ada.headers });
    expect(list.body.items.map((j: { id: string }) => j.id)).toEqual([plain.body.id, nightly.body.id]);
  });

  it("refuses invalid schedules, time zones, paths and an empty scope (422)", async () => {
    const ada = await signedInUser();
    const { body: account } = await connect(ada);
    const cases: [Record<string, unknown>, string][] = [
      [{ schedule: "*/5 * * * *" }, "json.schedule"],
      [{ schedule: "0 0 0 * * *" }, "json.schedule"],
      [{ schedule: "61 * * * *" }, "json.schedule"],
      [{ schedule: "@daily", timezone: "Mars/Olympus" }, "json.timezone"],
      [{ remote_path: "Veza" }, "json.remote_path"],
      [{ remote_path: "/a/../b" }, "json.remote_path"],
      [{ include_tracks: false, include_projects: false, include_data_export: false }, "json"],
    ];
    for (const [body, path] of cases) {
      const res = await call("POST", "/v1/me/backup-jobs", { headers: ada.headers, body: { cloud_account_id: account.id, ...body } });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.errors.map((e: { path: string }) => e.path), JSON.stringify(body)).toContain(path);
    }
    expect((await sql.query("SELECT count(*)::int AS n FROM backup_jobs WHERE cloud_account_id = $1", [account.id]))[0]!.n).toBe(0);
  });

  it("updates a job, recomputing next_run_at, and refuses scope changes while a run is queued (409)", async () => {
    const ada = await signedInUser();
    const { job } = await accountAndJob(ada);
    const scheduled = await call("PATCH", `/v1/me/backup-jobs/${job.id}`, { headers: ada.headers, body: { schedule: "@weekly", name: "Weekly" } });
    expect(scheduled.status).toBe(200);
    expect(scheduled.body).toMatchObject({ schedule: "@weekly", name: "Weekly" });
    expect(scheduled.body.next_run_at).toEqual(expect.any(String));
    const off = await call("PATCH", `/v1/me/backup-jobs/${job.id}`, { headers: ada.headers, body: { enabled: false } });
    expect(off.body).toMatchObject({ enabled: false, next_run_at: null });
    const onDemand = await call("PATCH", `/v1/me/backup-jobs/${job.id}`, { headers: ada.headers, body: { enabled: true, schedule: null } });
    expect(onDemand.body).toMatchObject({ enabled: true, schedule: null, next_run_at: null });

    const jobs = capturingQueue();
    expect((await call("POST", `/v1/me/backup-jobs/${job.id}/run`, { headers: ada.headers, bindings: { JOBS_QUEUE: jobs.queue } })).status).toBe(202);
    expect((await call("PATCH", `/v1/me/backup-jobs/${job.id}`, { headers: ada.headers, body: { remote_path: "/Elsewhere" } })).status).toBe(409);
    expect((await call("PATCH", `/v1/me/backup-jobs/${job.id}`, { headers: ada.headers, body: { name: "Still fine" } })).status).toBe(200);
  });

  it("refuses to run a job of a paused account (409)", async () => {
    const ada = await signedInUser();
    const { account, job } = await accountAndJob(ada);
    await call("PATCH", `/v1/me/cloud-accounts/${account.id}`, { headers: ada.headers, body: { status: "disabled" } });
    const jobs = capturingQueue();
    const res = await call("POST", `/v1/me/backup-jobs/${job.id}/run`, { headers: ada.headers, bindings: { JOBS_QUEUE: jobs.queue } });
    expect(res.status).toBe(409);
    expect(jobs.sent).toEqual([]);
  });

  it("answers 503 and marks the run failed when the queue refuses the message", async () => {
    const ada = await signedInUser();
    const { job } = await accountAndJob(ada);
    const down = { async send() { throw new Error("queue down"); }, async sendBatch() { throw new Error("queue down"); } } as unknown as Queue;
    const res = await call("POST", `/v1/me/backup-jobs/${job.id}/run`, { headers: ada.headers, bindings: { JOBS_QUEUE: down } });
    expect(res.status).toBe(503);
    const after = (await call("GET", `/v1/me/backup-jobs/${job.id}`, { headers: ada.headers })).body;
    expect(after).toMatchObject({ status: "failed", error_message: "The run could not be queued; try again." });
  });
});

describe("the schedule", () => {
  it("queues a due job exactly once and moves next_run_at to its next firing", async () => {
    const ada = await signedInUser();
    const { job } = await accountAndJob(ada, { schedule: "0 * * * *" });
    const { job: paused, account: pausedAccount } = await accountAndJob(await signedInUser(), { schedule: "0 * * * *" });
    await sql.query("UPDATE cloud_accounts SET status = 'disabled' WHERE id = $1", [pausedAccount.id]);
    await sql.query("UPDATE backup_jobs SET next_run_at = now() - interval '1 minute' WHERE id = ANY($1)", [[job.id, paused.id]]);
    const jobs = capturingQueue();
    const bindings = { ...env, JOBS_QUEUE: jobs.queue };
    const now = new Date();
    await runJob("enqueue-backups", bindings, now);
    await runJob("enqueue-backups", bindings, now);
    await runJob("enqueue-backups", bindings, new Date(now.getTime() + 365 * 86_400_000)); // a far-future clock changes nothing
    const mine = jobs.sent.filter((m) => m.jobId === job.id);
    expect(mine).toEqual([{ type: "cloud.backup", jobId: job.id, run: 1 }]);
    expect(jobs.sent.filter((m) => m.jobId === paused.id)).toEqual([]);
    const [row] = await sql.query("SELECT status, run_count, next_run_at FROM backup_jobs WHERE id = $1", [job.id]);
    expect(row).toMatchObject({ status: "queued", run_count: 1 });
    const next = new Date(row!.next_run_at as string);
    expect(next.getTime()).toBeGreaterThan(now.getTime());
    expect(next.getUTCMinutes()).toBe(0);

    // The consumer runs it; the job keeps its next time.
    await consume(mine, { JOBS_QUEUE: jobs.queue });
    const done = (await call("GET", `/v1/me/backup-jobs/${job.id}`, { headers: ada.headers })).body;
    expect(done).toMatchObject({ status: "completed", run_count: 1, next_run_at: next.toISOString() });
    expect(done.last_success_at).toEqual(expect.any(String));
  });

  it("gives up a run stuck for hours so the job can run again", async () => {
    const ada = await signedInUser();
    const { job } = await accountAndJob(ada);
    await sql.query("UPDATE backup_jobs SET status = 'running', run_count = 1 WHERE id = $1", [job.id]);
    await sql.query("ALTER TABLE backup_jobs DISABLE TRIGGER trg_backup_jobs_updated_at");
    try {
      await sql.query("UPDATE backup_jobs SET updated_at = now() - interval '7 hours' WHERE id = $1", [job.id]);
    } finally {
      await sql.query("ALTER TABLE backup_jobs ENABLE TRIGGER trg_backup_jobs_updated_at");
    }
    await runJob("enqueue-backups", { ...env, JOBS_QUEUE: capturingQueue().queue }, new Date());
    const after = (await call("GET", `/v1/me/backup-jobs/${job.id}`, { headers: ada.headers })).body;
    expect(after.status).toBe("failed");
    expect(after.error_message).toContain("stopped making progress");
  });
});
