import { describe, expect, it } from "vitest";
import { playlists } from "../../src/domains/playlists";

describe("the playlists routes in the API description", () => {
  it("documents every operation with its problem responses and its database round trips", () => {
    const doc = playlists.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "Veza API", version: "1" } });
    const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { description?: string; responses: Record<string, { content?: Record<string, unknown> }> }>).map(([method, op]) => ({ path, method, op })),
    );
    expect(operations.map(({ method, path }) => `${method.toUpperCase()} ${path}`).sort()).toEqual(
      [
        "POST /v1/playlists",
        "GET /v1/playlists/{id}",
        "PATCH /v1/playlists/{id}",
        "DELETE /v1/playlists/{id}",
        "POST /v1/playlists/{id}/duplicate",
        "POST /v1/playlists/{id}/tracks",
        "PATCH /v1/playlists/{id}/tracks/{trackId}",
        "DELETE /v1/playlists/{id}/tracks/{trackId}",
        "GET /v1/playlists/{id}/cover/{fileId}",
        "GET /v1/users/{username}/playlists",
        "GET /v1/me/playlists",
        "GET /v1/me/followed-playlists",
        "PUT /v1/playlists/{id}/follow",
        "DELETE /v1/playlists/{id}/follow",
        "GET /v1/playlists/{id}/collaborators",
        "POST /v1/playlists/{id}/collaborators",
        "PATCH /v1/playlists/{id}/collaborators/{userId}",
        "DELETE /v1/playlists/{id}/collaborators/{userId}",
        "GET /v1/me/playlist-invitations",
        "POST /v1/me/playlist-invitations/{playlistId}/accept",
        "POST /v1/me/playlist-invitations/{playlistId}/decline",
      ].sort(),
    );
    for (const { path, method, op } of operations) {
      expect(op.responses["422"]?.content, `${method} ${path}`).toHaveProperty(["application/problem+json"]);
      expect(op.description, `${method} ${path}`).toMatch(/round trip/);
    }
  });
});
