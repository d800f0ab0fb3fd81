import { createRoute, z } from "@hono/zod-openapi";
import { createExecutionContext, runDurableObjectAlarm, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RequestMetrics } from "../../durable-objects/request-metrics";
import { createApp } from "../../src/app";
import { LATENCY_BOUNDS_MS } from "../../src/lib/request-metrics/histogram";
import { createRouter } from "../../src/lib/router";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { unique } from "../helpers/db";

// Routes of the test's own on the real app: the requests cross the real middleware and onError.
// Slow requests land in the (600, 800] ms bucket, whose percentile is the slowest request's time.
const SLOW_MS = 650;
const isSlow = (ms: number) => ms >= SLOW_MS && ms < 5000;
const probe = createRouter()
  .openapi(createRoute({ method: "get", path: "/probe/ok", responses: { 200: { description: "ok" } } }), (c) => c.json({ ok: true }))
  .openapi(createRoute({ method: "get", path: "/probe/slow", responses: { 200: { description: "late" } } }), async (c) => {
    await new Promise((resolve) => setTimeout(resolve, SLOW_MS));
    return c.json({ ok: true });
  })
  .openapi(createRoute({ method: "get", path: "/probe/crash", responses: { 200: { description: "never" } } }), () => {
    throw new Error("boom");
  })
  .openapi(
    createRoute({ method: "get", path: "/probe/items/{id}", request: { params: z.object({ id: z.uuid() }) }, responses: { 200: { description: "ok" } } }),
    (c) => c.json({ id: c.req.valid("param").id }),
  );
const app = createApp((root) => root.route("/", probe));

/** A namespace whose every name is one object of this test's own. */
function ownObject() {
  const id = env.REQUEST_METRICS.idFromName(`test-${unique()}`);
  return { id, namespace: { idFromName: () => id, get: () => env.REQUEST_METRICS.get(id) } as unknown as DurableObjectNamespace<RequestMetrics> };
}

/**
 * A RequestMetrics object of this test's own, addressed the way the Worker addresses the
 * platform's one, so other tests' traffic does not reach it; with every request flushed at once.
 * The isolate's counts are shared by all its requests (those of earlier tests through the Worker
 * too): whatever they hold is sent elsewhere first.
 */
async function scopedMetrics() {
  const { id, namespace } = ownObject();
  const bindings = { ...env, REQUEST_METRICS: namespace, REQUEST_METRICS_FLUSH_MS: "0" };
  const stub = env.REQUEST_METRICS.get(id);
  /**
   * Sends `count` requests to `path`, 50 at a time (more would queue behind each other and time
   * that), and waits for their answers and their flushes.
   */
  async function hit(path: string, count = 1, headers: Record<string, string> = {}, overrides: Partial<Cloudflare.Env> = {}) {
    const statuses: number[] = [];
    for (let sent = 0; sent < count; sent += 50) {
      const ctxs = Array.from({ length: Math.min(50, count - sent) }, () => createExecutionContext());
      const responses = await Promise.all(ctxs.map((ctx) => app.fetch(new Request(`https://veza.test${path}`, { headers }), { ...bindings, ...overrides }, ctx)));
      await Promise.all(responses.map((r) => r.arrayBuffer()));
      await Promise.all(ctxs.map((ctx) => waitOnExecutionContext(ctx)));
      statuses.push(...responses.map((r) => r.status));
    }
    return statuses;
  }
  async function health(who: SignedInUser) {
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request("https://veza.test/v1/admin/health", { headers: who.headers }), bindings, ctx);
    const body = (await res.json()) as any;
    await waitOnExecutionContext(ctx);
    expect(res.status, JSON.stringify(body)).toBe(200);
    return body;
  }
  await hit("/probe/ok", 1, {}, { REQUEST_METRICS: ownObject().namespace });
  return { stub, hit, health, alarm: () => runDurableObjectAlarm(stub) };
}

/** The JSON lines the Worker and the object printed (console spied in this isolate, where both run). */
let printed: Array<{ method: string; line: Record<string, any> }> = [];
beforeEach(() => {
  printed = [];
  for (const method of ["log", "info", "warn", "error"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      try {
        printed.push({ method, line: JSON.parse(String(args[0])) });
      } catch {
        // not one of our JSON lines
      }
    });
  }
});
afterEach(() => vi.restoreAllMocks());

const alertLines = (marker: string, state: "firing" | "resolved") => printed.filter((p) => p.line.alert === marker && p.line.state === state);

describe("request metrics", () => {
  it("times every request, counts server errors apart from client errors, per route pattern, and health reports them", async () => {
    const metrics = await scopedMetrics();
    const admin = await signedInUser({ role: "admin" });
    expect(await metrics.hit("/probe/ok", 6)).toEqual(Array(6).fill(200));
    expect(await metrics.hit("/probe/slow", 2)).toEqual([200, 200]);
    expect(await metrics.hit("/probe/crash", 2)).toEqual([500, 500]);
    expect(await metrics.hit(`/probe/items/${crypto.randomUUID()}`)).toEqual([200]);
    expect(await metrics.hit("/probe/items/not-a-uuid")).toEqual([422]);
    expect(await metrics.hit("/no/such/path")).toEqual([404]);

    const body = await metrics.health(admin);

    const figures = body.requests.last_5_minutes;
    expect(figures).toMatchObject({ requests: 13, server_errors: 2, client_errors: 2 });
    expect(figures.error_rate).toBeCloseTo(2 / 13, 10);
    // 11 quick requests, then the 2 slow ones: p50 is quick, p95 and p99 are the slow bucket, capped by the slowest.
    expect(figures.p50_ms).toBeLessThan(SLOW_MS / 2);
    expect(isSlow(figures.max_ms), `${figures.max_ms} ms`).toBe(true);
    expect(figures.p95_ms).toBe(figures.max_ms);
    expect(figures.p99_ms).toBe(figures.max_ms);
    expect(body.requests.last_hour).toEqual(figures);
    expect(body.requests.last_24_hours).toEqual(figures);
    // the worst routes first: by server errors, then by p95; patterns, never paths
    expect(body.requests.routes.slice(0, 2)).toEqual([
      { method: "GET", route: "/probe/crash", requests: 2, server_errors: 2, error_rate: 1, p95_ms: expect.any(Number) },
      { method: "GET", route: "/probe/slow", requests: 2, server_errors: 0, error_rate: 0, p95_ms: figures.max_ms },
    ]);
    expect(body.requests.routes).toContainEqual(expect.objectContaining({ route: "/probe/items/:id", requests: 2 }));
    expect(body.requests.routes).toContainEqual(expect.objectContaining({ route: "(unmatched)", requests: 1 }));
    expect(body.requests.routes).toContainEqual(expect.objectContaining({ route: "/probe/ok", requests: 6, p95_ms: expect.any(Number) }));
    // too few requests to judge: nothing fires
    expect(body.requests).toMatchObject({ alerts: [], min_requests_for_alerts: 100 });
    expect(body.alerts.filter((a: { name: string }) => a.name.startsWith("request_"))).toEqual([]);

    // the health request itself was counted after its answer
    expect((await metrics.health(admin)).requests.last_5_minutes.requests).toBe(14);
  });

  it("is part of the Worker's health answer, from the platform's own RequestMetrics object", async () => {
    const res = await api("GET", "/v1/admin/health", { headers: (await signedInUser({ role: "admin" })).headers });
    expect(res.status).toBe(200);
    const window = { requests: expect.any(Number), server_errors: expect.any(Number), client_errors: expect.any(Number), error_rate: expect.any(Number) };
    expect(res.body.requests).toMatchObject({ last_5_minutes: window, last_hour: window, last_24_hours: window, routes: expect.any(Array), alerts: expect.any(Array), min_requests_for_alerts: 100 });
  });

  it("alerts once when p95 > 500 ms and errors > 1 %, shows it in health, and resolves once", async () => {
    const metrics = await scopedMetrics();
    const admin = await signedInUser({ role: "admin" });
    await metrics.hit("/probe/ok", 100);
    await metrics.hit("/probe/slow", 8);
    await metrics.hit("/probe/crash", 3);
    // 111 requests: 8 slow (7 %) -> p95 in the slow bucket; 3 failed (2.7 %)

    expect(await metrics.alarm()).toBe(true);
    const p95 = alertLines("veza.alert.p95_latency", "firing")[0]?.line.value;
    expect(isSlow(p95), `p95 ${p95} ms`).toBe(true);
    expect(alertLines("veza.alert.p95_latency", "firing")).toEqual([
      {
        method: "error",
        line: expect.objectContaining({ level: "error", msg: `ALERT veza.alert.p95_latency: p95 latency ${p95} ms (threshold 500 ms) over the last 5 minutes, 111 requests`, threshold: 500, requests: 111, window_minutes: 5 }),
      },
    ]);
    expect(alertLines("veza.alert.error_rate", "firing")).toEqual([
      { method: "error", line: expect.objectContaining({ value: 3 / 111, threshold: 0.01, requests: 111, server_errors: 3 }) },
    ]);
    // still breached a minute later: no second line
    expect(await metrics.alarm()).toBe(true);
    expect(printed.filter((p) => p.line.alert)).toHaveLength(2);

    const body = await metrics.health(admin);
    expect(body.status).toBe("degraded");
    expect(body.requests.alerts).toEqual([
      { name: "request_error_rate", marker: "veza.alert.error_rate", since: expect.any(String), value: 3 / 111, threshold: 0.01 },
      { name: "request_latency_p95", marker: "veza.alert.p95_latency", since: expect.any(String), value: p95, threshold: 500 },
    ].sort((a, b) => a.name.localeCompare(b.name)));
    expect(body.alerts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "request_latency_p95", value: p95, threshold: 500 }),
        expect.objectContaining({ name: "request_error_rate", value: 3 / 111, threshold: 0.01 }),
      ]),
    );

    // Quick, successful traffic brings both under their thresholds (8 slow and 3 failed of 512).
    await metrics.hit("/probe/ok", 400);
    expect(await metrics.alarm()).toBe(true);
    expect(alertLines("veza.alert.p95_latency", "resolved")).toEqual([]); // clear once: not yet
    expect(await metrics.alarm()).toBe(true);
    expect(await metrics.alarm()).toBe(true);
    for (const marker of ["veza.alert.p95_latency", "veza.alert.error_rate"]) {
      expect(alertLines(marker, "resolved"), marker).toEqual([
        { method: "log", line: expect.objectContaining({ level: "info", msg: expect.stringMatching(/^RESOLVED /), requests: 512, firing_since: expect.any(String) }) },
      ]);
      expect(alertLines(marker, "firing"), marker).toHaveLength(1);
    }
    const after = await metrics.health(admin);
    expect(after.requests.alerts).toEqual([]);
    expect(after.alerts.filter((a: { name: string }) => a.name.startsWith("request_"))).toEqual([]);
  });

  it("does not alert under the minimum request count, however bad the few requests are", async () => {
    const metrics = await scopedMetrics();
    await metrics.hit("/probe/crash", 20);
    await metrics.hit("/probe/slow", 20);
    await metrics.hit("/probe/ok", 59);
    expect(await metrics.alarm()).toBe(true);
    expect(printed.filter((p) => p.line.alert)).toEqual([]);
    // the 100th request makes the window judgeable
    await metrics.hit("/probe/ok");
    await metrics.alarm();
    expect(alertLines("veza.alert.error_rate", "firing")).toHaveLength(1);
    expect(alertLines("veza.alert.p95_latency", "firing")).toHaveLength(1);
  });

  it("never fails a request when the flush fails, and sends the kept counts with the next flush", async () => {
    const metrics = await scopedMetrics();
    const admin = await signedInUser({ role: "admin" });
    const down = { idFromName: () => env.REQUEST_METRICS.idFromName("x"), get: () => ({ record: async () => { throw new Error("metrics object unreachable"); } }) };
    expect(await metrics.hit("/probe/ok", 3, {}, { REQUEST_METRICS: down as unknown as Cloudflare.Env["REQUEST_METRICS"] })).toEqual([200, 200, 200]);
    expect(printed.filter((p) => p.line.msg === "request metrics: flush failed")).not.toEqual([]);
    expect(printed.find((p) => p.line.msg === "request metrics: flush failed")!.line).toMatchObject({ level: "error", error: "metrics object unreachable", dropped_requests: 0 });

    await metrics.hit("/probe/crash");
    expect((await metrics.health(admin)).requests.last_5_minutes).toMatchObject({ requests: 4, server_errors: 1 });
  });

  it("reads p95 exactly at the 500 ms threshold and refuses a malformed batch", async () => {
    const { stub } = await scopedMetrics();
    const minute = Math.floor(Date.now() / 60_000);
    const histogram = LATENCY_BOUNDS_MS.map(() => 0);
    const at500 = LATENCY_BOUNDS_MS.indexOf(500);
    histogram[at500] = 95; // 400 < ms <= 500
    histogram[at500 + 2] = 5; // 600 < ms <= 800
    await stub.record({ series: [{ minute, method: "GET", route: "/x", requests: 100, server_errors: 0, client_errors: 0, max_ms: 700, histogram }] });
    expect((await stub.summary()).last_5_minutes).toMatchObject({ requests: 100, p50_ms: 500, p95_ms: 500, p99_ms: 700, max_ms: 700 });
    await runDurableObjectAlarm(stub);
    expect(printed.filter((p) => p.line.alert)).toEqual([]); // 5 % over 500 ms is not "more than 5 %"

    const refused = (series: Record<string, unknown>) => stub.record({ series: [series] } as never).then(() => "recorded", (err: Error) => err.message);
    expect(await refused({ minute, method: "GET", route: "/x", requests: 1, server_errors: 0, client_errors: 0, max_ms: 1, histogram: [1] })).toMatch(/histogram/);
    expect(await refused({ minute, method: "GET", route: "/x", requests: -1, server_errors: 0, client_errors: 0, max_ms: 1, histogram })).toMatch(/requests/);
    expect((await stub.summary()).last_5_minutes.requests).toBe(100);
  });
});
