import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { withRoundTrips } from "../helpers/round-trips";

describe("GET /health", () => {
  it("reports the database reachable and the applied schema version", async () => {
    const res = await exports.default.fetch("http://veza.test/health");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; database: { ok: boolean; schemaVersion: string } };
    expect(body.status).toBe("ok");
    expect(body.database.ok).toBe(true);
    expect(body.database.schemaVersion).toMatch(/^\d{4}$/);
  });

  it("costs exactly one database round trip", async () => {
    const { response, roundTrips } = await withRoundTrips(new Request("http://veza.test/health"));
    expect(response.status).toBe(200);
    expect(roundTrips).toBe(1);
  });

  it("answers 503 when the database cannot be reached", async () => {
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request("http://veza.test/health"),
      { ...env, DATABASE_URL: "postgres://veza:veza@127.0.0.1:1/veza" },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: "unavailable", database: { ok: false } });
  });
});
