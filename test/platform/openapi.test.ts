import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("the API description", () => {
  it("serves an OpenAPI 3.1 document generated from the route schemas", async () => {
    const res = await exports.default.fetch("http://veza.test/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; info: { title: string }; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBe("Veza API");
    expect(doc.paths["/health"]).toBeDefined();
    expect(doc.components.schemas.Health).toBeDefined();
    expect(doc.components.schemas.Problem).toMatchObject({ type: "object", required: expect.arrayContaining(["type", "title", "status", "detail", "code", "requestId"]) });
  });

  it("serves an interactive reference page at /docs that loads the document", async () => {
    const res = await exports.default.fetch("http://veza.test/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain("/openapi.json");
    expect(html).toContain("Veza API reference");
  });
});
