import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import type { QueueMessage } from "../../src/env";
import { runJob } from "../../src/jobs/schedule";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { createUser, MISSING, sql } from "../helpers/db";
import { capturingQueue } from "../helpers/queues";
import { withRoundTrips } from "../helpers/round-trips";
import { banUser, insertPlays, makeTrack } from "./fixtures";

const DAY_MS = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** POST /v1/me/reports with a capturing queue: the response and what was queued. */
async function ask(user: SignedInUser | null, body: unknown) {
  const jobs = capturingQueue();
  const res = await api("POST", "/v1/me/reports", { body, headers: user?.headers ?? {}, bindings: { JOBS_QUEUE: jobs.queue } });
  return { res, sent: jobs.sent };
}

/** Delivers queued messages to the Worker's queue consumer; resolves to the acked ids. */
async function consume(bodies: QueueMessage[], options: { attempts?: number; bindings?: Partial<Cloudflare.Env> } = {}) {
  const batch = createMessageBatch<QueueMessage>(
    "veza-jobs",
    bodies.map((body, i) => ({ id: `r${i}-${crypto.randomUUID()}`, timestamp: new Date(), attempts: options.attempts ?? 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, { ...env, ...options.bindings }, ctx);
  return (await getQueueResult(batch, ctx)).explicitAcks;
}

async function download(url: string) {
  const res = await worker.fetch(new Request(`https://veza.test${url}`), env, createExecutionContext());
  return { status: res.status, type: res.headers.get("content-type"), disposition: res.headers.get("content-disposition"), text: await res.text() };
}

/** A creator with two played tracks (one titled like a spreadsheet formula), aggregated. */
async function creatorWithPlays() {
  const creator = await signedInUser();
  const listener = await createUser();
  const first = await makeTrack(creator.id, { title: "First, \"quoted\"" });
  const second = await makeTrack(creator.id, { title: "=HYPERLINK(1)" });
  const today = dayOf(Date.now());
  await insertPlays([
    { track: first, user: listener.id, at: `${today}T00:10:00Z`, seconds: 100, completion: 50, source: "search", device: "web" },
    { track: first, user: null, at: `${today}T00:20:00Z`, seconds: 60, completion: 30 },
    { track: second, user: listener.id, at: `${today}T00:30:00Z`, seconds: 30, completion: 15, source: "album", device: "mobile" },
  ]);
  await runJob("aggregate-analytics", env, new Date());
  return { creator, listener, first, second, today };
}

describe("reports", () => {
  it("are queued, generated into R2, listed and downloaded through a signed link, as CSV or JSON", async () => {
    const { creator, listener, first, second, today } = await creatorWithPlays();
    const period = { period_start: dayOf(Date.now() - 6 * DAY_MS), period_end: today };
    const { res, sent } = await ask(creator, { report_type: "catalog_overview", ...period });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ report_type: "catalog_overview", format: "csv", status: "pending", download_url: null, params: {} });
    expect(sent).toEqual([{ type: "analytics.report", reportId: res.body.id }]);

    expect(await consume(sent)).toHaveLength(1);
    const done = await api("GET", `/v1/me/reports/${res.body.id}`, { headers: creator.headers });
    expect(done.body).toMatchObject({ status: "completed", error_message: null });
    expect(done.body.download_url).toMatch(new RegExp(`^/v1/reports/${res.body.id}/download\\?exp=\\d+&sig=`));
    const file = await download(done.body.download_url);
    expect(file.status).toBe(200);
    expect(file.type).toContain("text/csv");
    expect(file.disposition).toContain(`veza-catalog-overview-${period.period_start}-${today}.csv`);
    const lines = file.text.trimEnd().split("\r\n");
    expect(lines[0]).toBe("track_id,title,plays,unique_listeners,listen_seconds,avg_completion,source_playlist,source_album,source_search,source_direct,source_unknown,device_mobile,device_desktop,device_web,device_unknown");
    expect(lines.slice(1)).toEqual([
      `${first},"First, ""quoted""",2,1,160,40,0,0,1,0,1,0,0,1,1`,
      `${second},'=HYPERLINK(1),1,1,30,15,0,1,0,0,0,1,0,0,0`,
    ]);
    expect(file.text).not.toContain(listener.id);
    expect(done.body.file_size).toBe(new TextEncoder().encode(file.text).byteLength);

    // JSON, one track, daily lines
    const json = await ask(creator, { report_type: "track_performance", format: "json", ...period, params: { track_ids: [second] } });
    expect(json.res.status).toBe(202);
    await consume(json.sent);
    const report = await api("GET", `/v1/me/reports/${json.res.body.id}`, { headers: creator.headers });
    const body = JSON.parse((await download(report.body.download_url)).text);
    expect(body.report).toMatchObject({ id: json.res.body.id, report_type: "track_performance", period_start: period.period_start, period_end: today });
    expect(body.lines).toEqual([expect.objectContaining({ day: today, track_id: second, title: "=HYPERLINK(1)", plays: 1, unique_listeners: 1, listen_seconds: 30 })]);
    expect(JSON.stringify(body)).not.toContain(listener.id);

    const list = await api("GET", "/v1/me/reports?limit=1", { headers: creator.headers });
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([json.res.body.id]);
    const next = await api("GET", `/v1/me/reports?limit=1&cursor=${list.body.next_cursor}`, { headers: creator.headers });
    expect(next.body.items.map((r: { id: string }) => r.id)).toEqual([res.body.id]);
    expect(next.body.next_cursor).toBeNull();
  });

  it("only name and show their owner's reports and tracks", async () => {
    const { creator, first } = await creatorWithPlays();
    const other = await signedInUser();
    const period = { period_start: dayOf(Date.now()), period_end: dayOf(Date.now()) };
    expect((await ask(other, { report_type: "track_performance", ...period, params: { track_ids: [first] } })).res.status).toBe(404);
    expect((await ask(creator, { report_type: "track_performance", ...period, params: { track_ids: [first, MISSING] } })).res.status).toBe(404);
    expect((await ask(null, { report_type: "track_performance", ...period })).res.status).toBe(401);

    const { res, sent } = await ask(creator, { report_type: "track_performance", ...period });
    await consume(sent);
    expect((await api("GET", `/v1/me/reports/${res.body.id}`, { headers: other.headers })).status).toBe(404);
    expect((await api("DELETE", `/v1/me/reports/${res.body.id}`, { headers: other.headers })).status).toBe(404);
    expect((await api("GET", "/v1/me/reports", { headers: other.headers })).body.items).toEqual([]);

    // A link is for one report only, and cannot be forged.
    const url = (await api("GET", `/v1/me/reports/${res.body.id}`, { headers: creator.headers })).body.download_url as string;
    const forged = url.replace(/sig=.{4}/, "sig=AAAA");
    expect((await download(forged)).status).toBe(403);
    const { res: another, sent: more } = await ask(creator, { report_type: "track_performance", ...period });
    await consume(more);
    expect((await download(url.replace(res.body.id, another.body.id))).status).toBe(403);
    expect((await download(`/v1/reports/${res.body.id}/download`)).status).toBe(401);

    // Deleted: gone from the list, its link and its file.
    expect((await api("DELETE", `/v1/me/reports/${res.body.id}`, { headers: creator.headers })).status).toBe(204);
    expect((await api("GET", `/v1/me/reports/${res.body.id}`, { headers: creator.headers })).status).toBe(404);
    expect((await download(url)).status).toBe(404);
    expect(await env.MEDIA.head(`reports/${creator.id}/${res.body.id}.csv`)).toBeNull();

    // A banned owner's links stop working; the banned account cannot ask.
    const anotherUrl = (await api("GET", `/v1/me/reports/${another.body.id}`, { headers: creator.headers })).body.download_url as string;
    await banUser(creator.id);
    expect((await download(anotherUrl)).status).toBe(404);
    expect((await ask(creator, { report_type: "track_performance", ...period })).res.status).toBe(403);
  });

  it("are retried when generation fails, and marked failed on the last attempt", async () => {
    const { creator } = await creatorWithPlays();
    const { res, sent } = await ask(creator, { report_type: "catalog_overview", period_start: dayOf(Date.now()), period_end: dayOf(Date.now()) });
    const brokenBucket = { put: async () => { throw new Error("R2 down"); } } as unknown as R2Bucket;
    expect(await consume(sent, { bindings: { MEDIA: brokenBucket } })).toEqual([]);
    expect((await api("GET", `/v1/me/reports/${res.body.id}`, { headers: creator.headers })).body).toMatchObject({ status: "processing" });
    expect(await consume(sent, { attempts: 3, bindings: { MEDIA: brokenBucket } })).toHaveLength(1);
    const failed = await api("GET", `/v1/me/reports/${res.body.id}`, { headers: creator.headers });
    expect(failed.body).toMatchObject({ status: "failed", download_url: null });
    expect(failed.body.error_message).toMatch(/could not be generated/);
    // A message for a report already settled (or deleted) is acknowledged without work.
    expect(await consume(sent)).toHaveLength(1);
    expect((await api("GET", `/v1/me/reports/${res.body.id}`, { headers: creator.headers })).body.status).toBe("failed");
  });

  it("lose their file once expired (the hourly expire-reports job)", async () => {
    const { creator } = await creatorWithPlays();
    const { res, sent } = await ask(creator, { report_type: "catalog_overview", period_start: dayOf(Date.now()), period_end: dayOf(Date.now()) });
    await consume(sent);
    const url = (await api("GET", `/v1/me/reports/${res.body.id}`, { headers: creator.headers })).body.download_url as string;
    const key = `reports/${creator.id}/${res.body.id}.csv`;
    expect(await env.MEDIA.head(key)).not.toBeNull();
    await sql.query("UPDATE reports SET expires_at = now() - interval '1 minute' WHERE id = $1", [res.body.id]);
    // Past expires_at it is no longer downloadable, even before the job runs.
    expect((await download(url)).status).toBe(404);
    const counts = await runJob("expire-reports", env, new Date());
    expect(counts.expired).toBeGreaterThanOrEqual(1);
    expect(await env.MEDIA.head(key)).toBeNull();
    const report = await api("GET", `/v1/me/reports/${res.body.id}`, { headers: creator.headers });
    expect(report.body).toMatchObject({ status: "expired", download_url: null });
    expect((await sql.query("SELECT status FROM reports WHERE id = $1", [res.body.id]))[0]).toEqual({ status: "expired" });
  });

  it("validates the request with 422, answers 503 when the queue is down, and writes in one round trip", async () => {
    const { creator } = await creatorWithPlays();
    const bad = [
      { report_type: "sales", period_start: "2026-01-01", period_end: "2026-01-02" },
      { report_type: "track_performance", period_start: "2026-01-02", period_end: "2026-01-01" },
      { report_type: "track_performance", period_start: "2024-01-01", period_end: "2025-06-01" },
      { report_type: "track_performance", period_start: "2026-01-01", period_end: "2026-01-02", format: "pdf" },
      { report_type: "track_performance", period_start: "2026-01-01", period_end: "2026-01-02", params: { track_ids: ["x"] } },
      { report_type: "track_performance", period_start: "2026-01-01", period_end: "2026-01-02", params: { user_ids: [] } },
    ];
    for (const body of bad) expect((await ask(creator, body)).res.status, JSON.stringify(body)).toBe(422);

    const failing = { async send() { throw new Error("down"); } } as unknown as Queue<QueueMessage>;
    const down = await api("POST", "/v1/me/reports", { body: { report_type: "catalog_overview", period_start: "2026-01-01", period_end: "2026-01-02" }, headers: creator.headers, bindings: { JOBS_QUEUE: failing } });
    expect(down.status).toBe(503);
    expect((await api("GET", "/v1/me/reports", { headers: creator.headers })).body.items).toEqual([]);

    expect((await api("GET", "/v1/me", { headers: creator.headers })).status).toBe(200);
    const jobs = capturingQueue();
    const request = new Request("https://veza.test/v1/me/reports", {
      method: "POST",
      headers: { ...creator.headers, "content-type": "application/json" },
      body: JSON.stringify({ report_type: "catalog_overview", period_start: "2026-01-01", period_end: "2026-01-02" }),
    });
    const { response, roundTrips } = await withRoundTrips(request, { JOBS_QUEUE: jobs.queue });
    expect(response.status).toBe(202);
    expect(roundTrips).toBe(1);
    for (const path of ["/v1/me/reports", `/v1/me/reports/${((await response.json()) as { id: string }).id}`]) {
      const read = await withRoundTrips(new Request(`https://veza.test${path}`, { headers: creator.headers }));
      expect(read.response.status).toBe(200);
      expect(read.roundTrips).toBe(1);
    }
  });
});
