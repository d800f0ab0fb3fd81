import { createRoute, z } from "@hono/zod-openapi";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { sql as dsql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { ApiError } from "../../src/lib/errors";
import { createRouter } from "../../src/lib/router";
import { sql, unique } from "../helpers/db";

// A router of the test's own, mounted on the real app so requests cross the real middleware,
// validation hook, database error mapping and onError: the shared error path every domain uses.
const probe = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/probe/items",
      request: {
        body: {
          content: {
            "application/json": {
              schema: z.object({ name: z.string().min(2), count: z.number().int().min(0), tags: z.array(z.string()).max(3).optional() }),
            },
          },
        },
      },
      responses: { 201: { description: "created" } },
    }),
    (c) => c.json(c.req.valid("json"), 201),
  )
  .openapi(createRoute({ method: "post", path: "/probe/users", request: { body: { content: { "application/json": { schema: z.object({ email: z.string() }) } } } }, responses: { 201: { description: "created" } } }), async (c) => {
    const { email } = c.req.valid("json");
    await c.var.db.execute(dsql`INSERT INTO users (email, username) VALUES (${email}, ${`probe_${unique()}`})`);
    return c.body(null, 201);
  })
  .openapi(createRoute({ method: "put", path: "/probe/blob", responses: { 200: { description: "size" } } }), async (c) => {
    return c.json({ size: (await c.req.arrayBuffer()).byteLength });
  })
  .openapi(createRoute({ method: "get", path: "/probe/crash", responses: { 200: { description: "never" } } }), () => {
    throw new Error("secret internal detail: SELECT * FROM users");
  })
  .openapi(createRoute({ method: "get", path: "/probe/forbidden", responses: { 200: { description: "never" } } }), () => {
    throw new ApiError("forbidden", "Only the owner may do this.");
  })
  .openapi(createRoute({ method: "get", path: "/probe/db", responses: { 200: { description: "ok" } } }), async (c) => {
    await c.var.db.execute(dsql`SELECT 1`);
    return c.json({ ok: true });
  });

const app = createApp((root) => root.route("/", probe));

async function call(path: string, init?: RequestInit, overrides: Partial<Cloudflare.Env> = {}) {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(`http://veza.test${path}`, init), { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const postJson = (body: string, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body,
});

async function expectProblem(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, code, type: `https://veza.dev/problems/${code}` });
  expect(typeof body.title).toBe("string");
  expect(typeof body.detail).toBe("string");
  expect(body.requestId).toBe(res.headers.get("x-request-id"));
  expect(JSON.stringify(body)).not.toMatch(/at \w+ \(|SELECT|INSERT|stack/i);
  return body;
}

describe("the error path", () => {
  it("answers malformed JSON with 400 malformed_json", async () => {
    await expectProblem(await call("/probe/items", postJson('{"name": "ab",')), 400, "malformed_json");
  });

  it("answers wrong types with 422 and the path of every bad field", async () => {
    const body = await expectProblem(await call("/probe/items", postJson(JSON.stringify({ name: 1, count: -2, tags: ["a", "b", "c", "d"] }))), 422, "validation_failed");
    const paths = (body.errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(["json.count", "json.name", "json.tags"]);
  });

  it("accepts a valid body", async () => {
    const res = await call("/probe/items", postJson(JSON.stringify({ name: "ok", count: 1 })));
    expect(res.status).toBe(201);
  });

  it("answers an unknown route with 404 not_found", async () => {
    await expectProblem(await exports.default.fetch("http://veza.test/v1/nothing-here"), 404, "not_found");
  });

  it("answers a body over the limit with 413 payload_too_large", async () => {
    const huge = JSON.stringify({ name: "x".repeat(1024 * 1024 + 10), count: 1 });
    await expectProblem(await call("/probe/items", postJson(huge)), 413, "payload_too_large");
  });

  it("lets a binary body past the JSON limit (binary routes set their own)", async () => {
    const res = await call("/probe/blob", { method: "PUT", headers: { "content-type": "application/octet-stream" }, body: new Uint8Array(2 * 1024 * 1024) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ size: 2 * 1024 * 1024 });
  });

  it("streams a chunked binary body to the handler, and stops it with 413 past the limit", async () => {
    const chunks = (count: number, size: number) =>
      new ReadableStream<Uint8Array>({
        pull(controller) {
          if (count-- === 0) return controller.close();
          controller.enqueue(new Uint8Array(size));
        },
      });
    const put = (body: ReadableStream<Uint8Array>) =>
      call("/probe/blob", { method: "PUT", headers: { "content-type": "application/octet-stream" }, body, duplex: "half" } as RequestInit);
    const small = await put(chunks(4, 1024 * 1024));
    expect(small.status).toBe(200);
    expect(await small.json()).toEqual({ size: 4 * 1024 * 1024 });
    await expectProblem(await put(chunks(101, 1024 * 1024)), 413, "payload_too_large");
  });

  it("answers a binary body that breaks off with 400, not 500", async () => {
    let sent = false;
    const broken = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return controller.error(new Error("connection reset"));
        sent = true;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const res = await call("/probe/blob", { method: "PUT", headers: { "content-type": "application/octet-stream" }, body: broken, duplex: "half" } as RequestInit);
    await expectProblem(res, 400, "bad_request");
  });

  it("applies the JSON limit to a JSON body sent as text/plain", async () => {
    const res = await call("/probe/blob", { method: "PUT", headers: { "content-type": "text/plain" }, body: "x".repeat(1024 * 1024 + 1) });
    await expectProblem(res, 413, "payload_too_large");
  });

  it("answers a thrown error with 500 and no internals", async () => {
    const body = await expectProblem(await call("/probe/crash"), 500, "internal");
    expect(JSON.stringify(body)).not.toContain("secret internal detail");
  });

  it("maps a domain error to its status", async () => {
    await expectProblem(await call("/probe/forbidden"), 403, "forbidden");
  });

  it("answers a unique violation with 409 naming the field but not the value", async () => {
    const email = `dup_${unique()}@example.com`;
    await sql.query("INSERT INTO users (email, username) VALUES ($1, $2)", [email, `dup_${unique()}`]);
    const body = await expectProblem(await call("/probe/users", postJson(JSON.stringify({ email: email.toUpperCase() }))), 409, "conflict");
    expect(body.errors).toEqual([{ path: "email", message: "is already taken" }]);
    expect(JSON.stringify(body)).not.toContain(email);
  });

  it("answers a CHECK violation with 422", async () => {
    await expectProblem(await call("/probe/users", postJson(JSON.stringify({ email: "not-an-email" }))), 422, "validation_failed");
  });

  it("answers 503 with Retry-After when the database cannot be reached", async () => {
    const res = await call("/probe/db", undefined, { DATABASE_URL: "postgres://veza:veza@127.0.0.1:1/veza" });
    await expectProblem(res, 503, "database_unavailable");
    expect(res.headers.get("retry-after")).toBe("5");
  });

  it("keeps a caller's request id and echoes it", async () => {
    const res = await exports.default.fetch("http://veza.test/nope", { headers: { "X-Request-Id": "trace-abc-123" } });
    expect(res.headers.get("x-request-id")).toBe("trace-abc-123");
    expect(((await res.json()) as { requestId: string }).requestId).toBe("trace-abc-123");
  });
});

describe("CORS", () => {
  it("allows a configured origin and exposes the request id", async () => {
    const res = await exports.default.fetch("http://veza.test/health", { headers: { Origin: "https://app.veza.test" } });
    expect(res.headers.get("access-control-allow-origin")).toBe("https://app.veza.test");
    expect(res.headers.get("access-control-expose-headers")).toContain("X-Request-Id");
  });

  it("does not allow an unknown origin", async () => {
    const res = await exports.default.fetch("http://veza.test/health", { headers: { Origin: "https://evil.example" } });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers a preflight", async () => {
    const res = await exports.default.fetch("http://veza.test/health", {
      method: "OPTIONS",
      headers: { Origin: "https://app.veza.test", "Access-Control-Request-Method": "POST" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
  });
});
