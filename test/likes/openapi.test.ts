import { describe, expect, it } from "vitest";
import { comments } from "../../src/domains/comments";
import { history } from "../../src/domains/history";
import { likes } from "../../src/domains/likes";

type Operation = { parameters?: { name: string; in: string; schema?: Record<string, unknown> }[]; responses: Record<string, { content?: Record<string, unknown> }> };

function operationsOf(router: typeof likes) {
  const doc = router.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "Veza API", version: "1" } });
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Operation>).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
  );
}

describe("the listening routes in the API description", () => {
  it("documents every operation of likes, comments and history, each with its 401/422 problems", () => {
    const operations = [likes, comments, history].flatMap(operationsOf);
    expect(operations.map((o) => o.name).sort()).toEqual(
      [
        "PUT /v1/tracks/{id}/like",
        "DELETE /v1/tracks/{id}/like",
        "GET /v1/me/likes",
        "GET /v1/me/likes/contains",
        "POST /v1/tracks/{id}/comments",
        "GET /v1/tracks/{id}/comments",
        "GET /v1/comments/{id}/replies",
        "PATCH /v1/comments/{id}",
        "DELETE /v1/comments/{id}",
        "GET /v1/me/history",
        "DELETE /v1/me/history",
        "DELETE /v1/me/history/{id}",
      ].sort(),
    );
    for (const { name, op } of operations) {
      expect(op.responses["401"]?.content, name).toHaveProperty(["application/problem+json"]);
      if (name !== "DELETE /v1/me/history") expect(op.responses["422"]?.content, name).toHaveProperty(["application/problem+json"]);
    }
    const contains = operations.find((o) => o.name === "GET /v1/me/likes/contains")!.op;
    expect(contains.parameters).toEqual([expect.objectContaining({ name: "track_ids", in: "query", schema: expect.objectContaining({ type: "string" }) })]);
    const list = operations.find((o) => o.name === "GET /v1/tracks/{id}/comments")!.op;
    expect(list.parameters!.map((p) => p.name).sort()).toEqual(["at", "cursor", "id", "limit", "span", "timed"]);
  });
});
