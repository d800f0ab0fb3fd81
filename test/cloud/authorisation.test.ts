import { describe, expect, it } from "vitest";
import { signedInUser } from "../helpers/auth";
import { expectSignedInOnly, type Route } from "../helpers/authorisation";
import { sql } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { capturingQueue } from "../gdpr/helpers";
import { accountAndJob, call, dav, seenBodies } from "./fixtures";

/** Every route of the domain, against ada's account and job. */
function routes(accountId: string, jobId: string): Route[] {
  return [
    ["POST", "/v1/me/cloud-accounts", { provider: "webdav", server_url: dav.url, username: dav.username, app_password: dav.password }],
    ["GET", "/v1/me/cloud-accounts"],
    ["GET", `/v1/me/cloud-accounts/${accountId}`],
    ["PATCH", `/v1/me/cloud-accounts/${accountId}`, { display_name: "Taken over" }],
    ["POST", `/v1/me/cloud-accounts/${accountId}/test`],
    ["DELETE", `/v1/me/cloud-accounts/${accountId}`],
    ["POST", "/v1/me/backup-jobs", { cloud_account_id: accountId }],
    ["GET", "/v1/me/backup-jobs"],
    ["GET", `/v1/me/backup-jobs/${jobId}`],
    ["PATCH", `/v1/me/backup-jobs/${jobId}`, { name: "Taken over" }],
    ["POST", `/v1/me/backup-jobs/${jobId}/run`],
    ["GET", `/v1/me/backup-jobs/${jobId}/operations`],
    ["DELETE", `/v1/me/backup-jobs/${jobId}`],
  ];
}

async function untouched(accountId: string, jobId: string) {
  const [row] = await sql.query(
    `SELECT a.display_name, a.status, j.name, j.status AS job_status, j.run_count FROM cloud_accounts a JOIN backup_jobs j ON j.cloud_account_id = a.id WHERE a.id = $1 AND j.id = $2`,
    [accountId, jobId],
  );
  expect(row).toEqual({ display_name: "My NAS", status: "active", name: "Nightly", job_status: "pending", run_count: 0 });
}

describe("who may use cloud accounts and backups", () => {
  it("refuses every route anonymously (401), to a banned account (403) and to a deleted one (401)", async () => {
    const ada = await signedInUser();
    const { account, job } = await accountAndJob(ada);
    await expectSignedInOnly(routes(account.id, job.id));
    await untouched(account.id, job.id);
  });

  it("hides my accounts and jobs from another user (404), who can neither change, test, run nor delete them", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const { account, job } = await accountAndJob(ada);
    const jobs = capturingQueue();
    for (const route of routes(account.id, job.id)) {
      const [method, path] = route;
      if (path === "/v1/me/cloud-accounts" || path === "/v1/me/backup-jobs") continue;
      const res = await call(method, path, { headers: bob.headers, body: route[2], bindings: { JOBS_QUEUE: jobs.queue } });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect(jobs.sent).toEqual([]);
    expect((await call("GET", "/v1/me/cloud-accounts", { headers: bob.headers })).body.items).toEqual([]);
    expect((await call("GET", "/v1/me/backup-jobs", { headers: bob.headers })).body.items).toEqual([]);
    await untouched(account.id, job.id);
    for (const text of seenBodies) expect(text).not.toContain(dav.password);
  });
});

describe("database round trips", () => {
  async function roundTrips(headers: Record<string, string>, method: string, path: string, body?: unknown, bindings: Partial<Cloudflare.Env> = {}) {
    expect((await call("GET", "/v1/me", { headers })).status).toBe(200); // warms the auth state cache
    const { response, roundTrips } = await withRoundTrips(
      new Request(`https://veza.test${path}`, { method, headers: { ...headers, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined }),
      bindings,
    );
    const text = await response.text();
    seenBodies.push(text);
    return { status: response.status, roundTrips };
  }

  it("reads take one, writes at most two", async () => {
    const ada = await signedInUser();
    const h = ada.headers;
    const connected = await roundTrips(h, "POST", "/v1/me/cloud-accounts", { provider: "webdav", server_url: dav.url, username: dav.username, app_password: dav.password });
    expect(connected).toEqual({ status: 201, roundTrips: 1 });
    const accountId = (await sql.query("SELECT id FROM cloud_accounts WHERE user_id = $1", [ada.id]))[0]!.id as string;
    expect(await roundTrips(h, "GET", "/v1/me/cloud-accounts")).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(h, "GET", `/v1/me/cloud-accounts/${accountId}`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(h, "PATCH", `/v1/me/cloud-accounts/${accountId}`, { display_name: "NAS" })).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(h, "PATCH", `/v1/me/cloud-accounts/${accountId}`, { app_password: dav.password })).toEqual({ status: 200, roundTrips: 2 });
    expect(await roundTrips(h, "POST", `/v1/me/cloud-accounts/${accountId}/test`)).toEqual({ status: 200, roundTrips: 2 });
    expect(await roundTrips(h, "POST", "/v1/me/backup-jobs", { cloud_account_id: accountId, schedule: "@daily" })).toEqual({ status: 201, roundTrips: 1 });
    const jobId = (await sql.query("SELECT id FROM backup_jobs WHERE cloud_account_id = $1", [accountId]))[0]!.id as string;
    expect(await roundTrips(h, "GET", "/v1/me/backup-jobs")).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(h, "GET", `/v1/me/backup-jobs/${jobId}`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(h, "GET", `/v1/me/backup-jobs/${jobId}/operations`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(h, "PATCH", `/v1/me/backup-jobs/${jobId}`, { name: "N" })).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(h, "PATCH", `/v1/me/backup-jobs/${jobId}`, { schedule: "@weekly" })).toEqual({ status: 200, roundTrips: 2 });
    expect(await roundTrips(h, "POST", `/v1/me/backup-jobs/${jobId}/run`, undefined, { JOBS_QUEUE: capturingQueue().queue })).toEqual({ status: 202, roundTrips: 1 });
    expect(await roundTrips(h, "DELETE", `/v1/me/backup-jobs/${jobId}`)).toEqual({ status: 204, roundTrips: 1 });
    expect(await roundTrips(h, "DELETE", `/v1/me/cloud-accounts/${accountId}`)).toEqual({ status: 204, roundTrips: 1 });
    for (const text of seenBodies) expect(text).not.toContain(dav.password);
  });
});
