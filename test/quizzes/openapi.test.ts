import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

type Operation = { security?: unknown[]; responses: Record<string, unknown> };

describe("quizzes and certificates in the API description", () => {
  it("documents every route: signed in, except certificate verification and the keys", async () => {
    const doc = (await (await exports.default.fetch("http://veza.test/openapi.json")).json()) as { paths: Record<string, Record<string, Operation>> };
    const signedIn: Array<[string, string]> = [
      ["post", "/v1/courses/{id}/quizzes"],
      ["get", "/v1/courses/{id}/quizzes"],
      ["get", "/v1/quizzes/{id}"],
      ["patch", "/v1/quizzes/{id}"],
      ["delete", "/v1/quizzes/{id}"],
      ["post", "/v1/quizzes/{id}/attempts"],
      ["get", "/v1/quizzes/{id}/attempts"],
      ["get", "/v1/quizzes/{id}/stats"],
      ["get", "/v1/me/certificates"],
      ["post", "/v1/certificates/{code}/revoke"],
    ];
    for (const [method, path] of signedIn) {
      const operation = doc.paths[path]?.[method];
      expect(operation, `${method} ${path}`).toBeDefined();
      expect(operation!.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
      expect(operation!.responses["401"], `${method} ${path}`).toBeDefined();
    }
    expect(doc.paths["/v1/quizzes/{id}/attempts"]!.post!.responses["409"]).toBeDefined();
    for (const path of ["/v1/certificates/{code}", "/v1/certificates/keys"]) {
      expect(doc.paths[path]?.get?.security, path).toEqual([]);
    }
  });
});
