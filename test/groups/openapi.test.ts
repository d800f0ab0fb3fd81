import { describe, expect, it } from "vitest";
import { groups } from "../../src/domains/groups";

describe("the groups routes in the API description", () => {
  it("documents every operation with its problem responses and its database round trips", () => {
    const doc = groups.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "Veza API", version: "1" } });
    const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { description?: string; responses: Record<string, { content?: Record<string, unknown> }> }>).map(([method, op]) => ({ path, method, op })),
    );
    expect(operations.map(({ method, path }) => `${method.toUpperCase()} ${path}`).sort()).toEqual(
      [
        "POST /v1/groups",
        "GET /v1/groups",
        "GET /v1/me/groups",
        "GET /v1/groups/{slug}",
        "PATCH /v1/groups/{slug}",
        "DELETE /v1/groups/{slug}",
        "GET /v1/groups/{slug}/avatar/{fileId}",
        "GET /v1/groups/{slug}/banner/{fileId}",
        "POST /v1/groups/{slug}/join",
        "DELETE /v1/groups/{slug}/membership",
        "POST /v1/groups/{slug}/transfer",
        "GET /v1/groups/{slug}/members",
        "GET /v1/groups/{slug}/requests",
        "POST /v1/groups/{slug}/requests/{username}/approve",
        "POST /v1/groups/{slug}/requests/{username}/reject",
        "PATCH /v1/groups/{slug}/members/{username}",
        "DELETE /v1/groups/{slug}/members/{username}",
        "POST /v1/groups/{slug}/bans/{username}",
        "DELETE /v1/groups/{slug}/bans/{username}",
      ].sort(),
    );
    for (const { path, method, op } of operations) {
      expect(op.responses["422"]?.content, `${method} ${path}`).toHaveProperty(["application/problem+json"]);
      expect(op.description, `${method} ${path}`).toMatch(/round trip/);
    }
  });
});
