import { describe, expect, it } from "vitest";
import { tracks } from "../../src/domains/tracks";

describe("the tracks routes in the API description", () => {
  it("documents every operation, with its problem responses and the bytes the media routes answer", () => {
    const doc = tracks.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "Veza API", version: "1" } });
    const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>).map(([method, op]) => ({ path, method, op })),
    );
    expect(operations.map(({ method, path }) => `${method.toUpperCase()} ${path}`).sort()).toEqual(
      [
        "DELETE /v1/tracks/{id}",
        "GET /v1/tracks/{id}",
        "GET /v1/tracks/{id}/cover/{fileId}",
        "GET /v1/tracks/{id}/download",
        "GET /v1/tracks/{id}/hls/master.m3u8",
        "GET /v1/tracks/{id}/hls/{run}/{rendition}/index.m3u8",
        "GET /v1/tracks/{id}/hls/{run}/{rendition}/{segment}",
        "GET /v1/tracks/{id}/status",
        "GET /v1/tracks/{id}/stream",
        "GET /v1/users/{username}/tracks",
        "PATCH /v1/tracks/{id}",
        "POST /v1/tracks",
        "POST /v1/tracks/{id}/plays",
        "POST /v1/tracks/{id}/reprocess",
      ].sort(),
    );
    for (const { path, method, op } of operations) {
      expect(op.responses["422"]?.content, `${method} ${path}`).toHaveProperty(["application/problem+json"]);
    }
    const segment = (doc.paths!["/v1/tracks/{id}/hls/{run}/{rendition}/{segment}"] as { get: { responses: Record<string, { content?: object }> } }).get;
    expect(Object.keys(segment.responses)).toEqual(expect.arrayContaining(["200", "206", "416"]));
    expect(segment.responses["200"]!.content).toHaveProperty(["audio/mpeg"]);
  });
});
