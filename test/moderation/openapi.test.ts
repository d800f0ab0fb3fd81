import { describe, expect, it } from "vitest";
import { api } from "../helpers/auth";

describe("moderation in the OpenAPI document", () => {
  it("publishes every route, signed-in only, with its problem responses", async () => {
    const doc = (await api("GET", "/openapi.json")).body;
    const routes: Array<[string, string, string[]]> = [
      ["/v1/reports", "post", ["201", "401", "403", "404", "409", "422", "429"]],
      ["/v1/moderation/reports", "get", ["200", "401", "403", "422"]],
      ["/v1/moderation/reports/{id}", "patch", ["200", "401", "403", "404", "409", "422"]],
      ["/v1/moderation/actions", "post", ["201", "401", "403", "404", "409", "422"]],
      ["/v1/moderation/actions/{id}/reverse", "post", ["200", "401", "403", "404", "409", "422"]],
      ["/v1/moderation/users/{id}/actions", "get", ["200", "401", "403", "422"]],
      ["/v1/moderation/appeals", "get", ["200", "401", "403", "422"]],
      ["/v1/moderation/appeals/{id}/decision", "post", ["200", "401", "403", "404", "409", "422"]],
      ["/v1/me/appeals", "get", ["200", "401", "403", "422"]],
      ["/v1/me/appeals", "post", ["200", "401", "403", "404", "409", "422", "429"]],
      ["/v1/admin/users/{id}/suspend", "post", ["201", "401", "403", "404", "409", "422"]],
      ["/v1/admin/users/{id}/ban", "post", ["201", "401", "403", "404", "409", "422"]],
      ["/v1/admin/users/{id}/unban", "post", ["200", "401", "403", "404", "409", "422"]],
    ];
    for (const [path, method, statuses] of routes) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(Object.keys(op.responses), `${method} ${path}`).toEqual(statuses);
      expect(op.security).toEqual([{ bearerAuth: [] }]);
    }
  });
});
