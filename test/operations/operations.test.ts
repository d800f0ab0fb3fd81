import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { jobs, runJob } from "../../src/jobs/schedule";
import { api, signedInUser } from "../helpers/auth";
import { send, type Route } from "../helpers/authorisation";
import { sql, unique } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { banUser, softDeleteUser } from "../tracks/fixtures";
import { DAY_MS } from "../gdpr/helpers";

const admin = () => signedInUser({ role: "admin" });
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();

describe("who may use the operations routes", () => {
  const routes: Route[] = [
    ["POST", "/v1/admin/jobs/purge-expired-tokens/run"],
    ["GET", "/v1/admin/health"],
  ];

  it("refuses anonymous callers, users, creators, moderators, and banned or deleted admins", async () => {
    const [user, creator, moderator, banned, deleted] = await Promise.all([
      signedInUser(),
      signedInUser({ role: "creator" }),
      signedInUser({ role: "moderator" }),
      admin(),
      admin(),
    ]);
    await banUser(banned.id);
    await softDeleteUser(deleted.id);
    for (const route of routes) {
      const what = `${route[0]} ${route[1]}`;
      expect((await send(null, route)).status, `anonymous ${what}`).toBe(401);
      for (const who of [user, creator, moderator]) expect((await send(who, route)).status, `${what}`).toBe(403);
      expect((await send(banned, route)).status, `banned ${what}`).toBe(403);
      expect((await send(deleted, route)).status, `deleted ${what}`).toBe(401);
    }
    // Nobody but an admin started a run.
    expect(await sql.query("SELECT count(*)::int AS n FROM job_runs WHERE actor_id = ANY($1::uuid[])", [[user.id, creator.id, moderator.id, banned.id, deleted.id]])).toEqual([{ n: 0 }]);
  });
});

describe("POST /v1/admin/jobs/:name/run", () => {
  it("runs a retention job now, answers its counts, records the run and audits it", async () => {
    const who = await admin();
    const owner = await signedInUser();
    const stale = (await sql.query(
      "INSERT INTO refresh_tokens (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4) RETURNING id",
      [owner.id, `stale-${unique()}`, daysAgo(90), daysAgo(40)],
    ))[0]!.id;

    const res = await api("POST", "/v1/admin/jobs/purge-expired-tokens/run", { headers: who.headers });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ job: "purge-expired-tokens", trigger: "manual", status: "succeeded" });
    expect(Object.keys(res.body.counts).sort()).toEqual(["emailVerificationTokens", "passwordResetTokens", "refreshTokens"]);
    expect(typeof res.body.duration_ms).toBe("number");
    expect(await sql.query("SELECT 1 FROM refresh_tokens WHERE id = $1", [stale])).toEqual([]);
    // The owner's live session is untouched.
    expect(await sql.query("SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1", [owner.id])).toEqual([{ n: 1 }]);

    expect(await sql.query("SELECT job_name, trigger, status, counts, error FROM job_runs WHERE actor_id = $1", [who.id])).toEqual([
      { job_name: "purge-expired-tokens", trigger: "manual", status: "succeeded", counts: res.body.counts, error: null },
    ]);
    expect(await sql.query("SELECT actor_id, severity, metadata->>'job' AS job, metadata->>'status' AS status FROM audit_logs WHERE action = 'admin.job_run' AND user_id = $1", [who.id])).toEqual([
      { actor_id: who.id, severity: "info", job: "purge-expired-tokens", status: "succeeded" },
    ]);
  });

  it("answers 404 for an unknown job and 422 for a malformed name", async () => {
    const who = await admin();
    expect((await api("POST", "/v1/admin/jobs/no-such-job/run", { headers: who.headers })).status).toBe(404);
    expect((await api("POST", "/v1/admin/jobs/toString/run", { headers: who.headers })).status).toBe(422);
    expect((await api("POST", "/v1/admin/jobs/Bad_Name!/run", { headers: who.headers })).status).toBe(422);
    expect(await sql.query("SELECT count(*)::int AS n FROM job_runs WHERE actor_id = $1", [who.id])).toEqual([{ n: 0 }]);
  });

  it("records a failed run (with its error), audits it and answers a 500 problem", async () => {
    const who = await admin();
    // An expired audit month, and an R2 bucket that refuses writes: archive-audit-logs must fail.
    const month = `19${30 + Math.floor(Math.random() * 20)}-${String(1 + Math.floor(Math.random() * 12)).padStart(2, "0")}-01`;
    await sql.query("SELECT ensure_monthly_partition('audit_logs', $1::date)", [month]);
    await sql.query("INSERT INTO audit_logs (action, created_at) VALUES ('test.failing_archive', $1::timestamptz + interval '1 day')", [month]);
    const refusing = { put: async () => { throw new Error("R2 is down"); } } as unknown as R2Bucket;

    const res = await api("POST", "/v1/admin/jobs/archive-audit-logs/run", { headers: who.headers, bindings: { MEDIA: refusing } });

    expect(res.status).toBe(500);
    expect(res.body.detail).toBe("The job archive-audit-logs failed; see its last run in GET /v1/admin/health.");
    expect(await sql.query("SELECT job_name, status, error, counts FROM job_runs WHERE actor_id = $1", [who.id])).toEqual([
      { job_name: "archive-audit-logs", status: "failed", error: "R2 is down", counts: {} },
    ]);
    expect(await sql.query("SELECT severity, metadata->>'status' AS status FROM audit_logs WHERE action = 'admin.job_run' AND user_id = $1", [who.id])).toEqual([
      { severity: "error", status: "failed" },
    ]);
    // Nothing was lost: the month is still there, and a working run archives it.
    expect(await sql.query("SELECT count(*)::int AS n FROM audit_logs WHERE action = 'test.failing_archive' AND created_at >= $1::date AND created_at < $1::date + interval '1 month'", [month])).toEqual([{ n: 1 }]);
    await runJob("archive-audit-logs", env, new Date());
    expect(await sql.query("SELECT to_regclass($1) IS NULL AS gone", [`audit_logs_${month.slice(0, 4)}_${month.slice(5, 7)}`])).toEqual([{ gone: true }]);
  });
});

describe("GET /v1/admin/health", () => {
  it("reports database latency, queue backlogs and every job's last run, in one round trip", async () => {
    const who = await admin();
    await runJob("purge-deleted-messages", env, new Date());

    const { response, roundTrips } = await withRoundTrips(new Request("https://veza.test/v1/admin/health", { headers: who.headers }));

    expect(response.status).toBe(200);
    expect(roundTrips).toBe(2); // the auth state check, then the health statement
    const body = (await response.json()) as any;
    expect(typeof body.database.latency_ms).toBe("number");
    expect(body.queues.map((q: { name: string }) => q.name)).toEqual(["tracks_processing", "uploads_completing", "backups", "data_exports"]);
    expect(body.jobs.map((j: { name: string }) => j.name)).toEqual(Object.keys(jobs).sort());
    const purge = body.jobs.find((j: { name: string }) => j.name === "purge-deleted-messages");
    expect(purge.crons).toEqual(["30 3 * * *"]);
    expect(purge.last_run).toMatchObject({ trigger: "cron", status: "succeeded", error: null });
    expect(Object.keys(purge.last_run.counts).sort()).toEqual(["directMessages", "messages"]);
    expect(purge.runs_24h).toBeGreaterThanOrEqual(1);
  });

  it("counts the work waiting behind the jobs queue", async () => {
    const who = await admin();
    const before = (await api("GET", "/v1/admin/health", { headers: who.headers })).body.queues.find((q: { name: string }) => q.name === "data_exports").waiting;
    const requester = await signedInUser();
    await sql.query("UPDATE users SET export_requested_at = now() - interval '1 hour' WHERE id = $1", [requester.id]);
    const after = (await api("GET", "/v1/admin/health", { headers: who.headers })).body.queues.find((q: { name: string }) => q.name === "data_exports");
    expect(after.waiting).toBeGreaterThanOrEqual(before + 1);
    expect(after.oldest_age_seconds).toBeGreaterThanOrEqual(3600);
    await sql.query("UPDATE users SET export_requested_at = NULL WHERE id = $1", [requester.id]);
  });

  it("raises (and logs) an alert when a job's last run failed", async () => {
    const who = await admin();
    // A failed run dated after any real one, so it is the job's last run while the test looks.
    const [failed] = await sql.query(
      `INSERT INTO job_runs (job_name, trigger, status, error, started_at, finished_at, duration_ms)
       VALUES ('expire-reports', 'cron', 'failed', 'connection reset', now() + interval '1 day', now() + interval '1 day', 5) RETURNING id`,
    );
    try {
      const res = await api("GET", "/v1/admin/health", { headers: who.headers });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe("degraded");
      expect(res.body.alerts).toContainEqual({
        name: "job_failing",
        detail: "The last run of expire-reports failed: connection reset",
        value: 1,
        threshold: 0,
      });
      const job = res.body.jobs.find((j: { name: string }) => j.name === "expire-reports");
      expect(job.last_run).toMatchObject({ status: "failed", error: "connection reset" });
    } finally {
      await sql.query("DELETE FROM job_runs WHERE id = $1", [failed!.id]);
    }
  });
});
