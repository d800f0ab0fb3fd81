import { createRoute, z } from "@hono/zod-openapi";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { configValue, isEnabled } from "../../src/lib/flags";
import { createRouter } from "../../src/lib/router";
import { readResponse, signedInUser, type SignedInUser } from "../helpers/auth";
import { unique } from "../helpers/db";
import { admin, flagKey } from "./fixtures";

/** A route of another domain asking the helpers, as product code would. */
const probe = createRouter().openapi(
  createRoute({ method: "get", path: "/probe/feature/{key}", request: { params: z.object({ key: z.string() }) }, responses: { 200: { description: "on?" } } }),
  async (c) => c.json({ on: await isEnabled(c, c.req.valid("param").key), setting: (await configValue(c, c.req.valid("param").key)) ?? null }, 200),
);
const app = createApp((root) => root.route("/", probe));

/** A request through the probe app, with its database round trips counted (see test/helpers/round-trips.ts). */
async function call(method: string, path: string, who: SignedInUser | null, body?: unknown) {
  const tag = `rt_${unique()}`;
  const url = new URL(env.DATABASE_URL);
  url.username = tag;
  const ctx = createExecutionContext();
  const init = { method, headers: { ...who?.headers, ...(body !== undefined ? { "content-type": "application/json" } : {}) }, body: body !== undefined ? JSON.stringify(body) : undefined };
  const res = await readResponse(await app.fetch(new Request(`https://veza.test${path}`, init), { ...env, DATABASE_URL: url.toString() }, ctx));
  await waitOnExecutionContext(ctx);
  const stats = (await (await fetch(`http://${url.host}/stats?tag=${tag}`)).json()) as { requests: number };
  return { ...res, roundTrips: stats.requests };
}

describe("isEnabled(c, key) for other code", () => {
  it("answers for the request's user with no database round trip while cached, and follows a change at once", async () => {
    const root = await admin();
    const [ada, bob] = await Promise.all([signedInUser(), signedInUser()]);
    for (const who of [root, ada, bob]) expect((await call("GET", "/v1/me", who)).status).toBe(200); // auth states cached
    const key = flagKey();
    expect((await call("POST", "/v1/admin/flags", root, { key, enabled: true, allowed_user_ids: [ada.id] })).status).toBe(201);

    expect(await call("GET", `/probe/feature/${key}`, ada)).toMatchObject({ status: 200, body: { on: true }, roundTrips: 0 });
    expect(await call("GET", `/probe/feature/${key}`, bob)).toMatchObject({ status: 200, body: { on: false }, roundTrips: 0 });
    expect(await call("GET", `/probe/feature/${key}`, null)).toMatchObject({ status: 200, body: { on: false }, roundTrips: 0 });
    expect(await call("GET", `/probe/feature/${flagKey("unknown")}`, ada)).toMatchObject({ status: 200, body: { on: false }, roundTrips: 0 });

    expect((await call("PATCH", `/v1/admin/flags/${key}`, root, { allowed_user_ids: [bob.id] })).status).toBe(200);
    expect(await call("GET", `/probe/feature/${key}`, ada)).toMatchObject({ body: { on: false }, roundTrips: 0 });
    expect(await call("GET", `/probe/feature/${key}`, bob)).toMatchObject({ body: { on: true }, roundTrips: 0 });
  });

  it("reads any setting, public or not, from the same snapshot (configValue)", async () => {
    const root = await admin();
    const key = flagKey("cfg");
    expect((await call("POST", "/v1/admin/configs", root, { key, value_type: "number", value: 25 })).status).toBe(201);
    expect(await call("GET", `/probe/feature/${key}`, null)).toMatchObject({ body: { on: false, setting: 25 }, roundTrips: 0 });
    expect(await call("GET", "/probe/feature/constructor", null)).toMatchObject({ body: { on: false, setting: null }, roundTrips: 0 });
  });
});
