import { describe, expect, it } from "vitest";
import { rooms } from "../../src/domains/rooms";

describe("the rooms routes in the API description", () => {
  it("documents every operation with its problem responses and its database round trips", () => {
    const doc = rooms.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "Veza API", version: "1" } });
    const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { description?: string; responses: Record<string, { content?: Record<string, unknown> }> }>).map(([method, op]) => ({ path, method, op })),
    );
    expect(operations.map(({ method, path }) => `${method.toUpperCase()} ${path}`).sort()).toEqual(
      [
        "POST /v1/rooms",
        "GET /v1/rooms",
        "GET /v1/me/rooms",
        "GET /v1/rooms/{id}",
        "GET /v1/rooms/by-code/{code}",
        "PATCH /v1/rooms/{id}",
        "POST /v1/rooms/{id}/archive",
        "POST /v1/rooms/{id}/unarchive",
        "DELETE /v1/rooms/{id}",
        "POST /v1/rooms/{id}/join",
        "POST /v1/rooms/{id}/leave",
        "POST /v1/rooms/{id}/transfer",
        "PUT /v1/rooms/{id}/read",
        "PATCH /v1/rooms/{id}/members/me",
        "GET /v1/rooms/{id}/members",
        "PATCH /v1/rooms/{id}/members/{userId}",
        "POST /v1/rooms/{id}/members/{userId}/mute",
        "POST /v1/rooms/{id}/members/{userId}/unmute",
        "DELETE /v1/rooms/{id}/members/{userId}",
        "POST /v1/rooms/{id}/members/{userId}/ban",
        "DELETE /v1/rooms/{id}/bans/{userId}",
        "POST /v1/rooms/{id}/invites",
        "GET /v1/me/room-invites",
        "POST /v1/me/room-invites/{inviteId}/accept",
        "POST /v1/me/room-invites/{inviteId}/decline",
        "DELETE /v1/rooms/{id}/invites/{inviteId}",
      ].sort(),
    );
    for (const { path, method, op } of operations) {
      expect(op.responses["422"]?.content, `${method} ${path}`).toHaveProperty(["application/problem+json"]);
      expect(op.description, `${method} ${path}`).toMatch(/round trip/);
    }
  });
});
