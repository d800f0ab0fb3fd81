// The auth routes are published in the OpenAPI document, with their bodies, errors and security.
import { describe, expect, it } from "vitest";
import { api } from "../helpers/auth";

describe("the auth routes in /openapi.json", () => {
  it("documents every auth and session operation", async () => {
    const { body: doc } = await api("GET", "/openapi.json");
    const operations: [string, string, boolean][] = [
      ["/v1/auth/register", "post", false],
      ["/v1/auth/login", "post", false],
      ["/v1/auth/refresh", "post", false],
      ["/v1/auth/logout", "post", true],
      ["/v1/auth/logout-all", "post", true],
      ["/v1/me/sessions", "get", true],
      ["/v1/me/sessions/{id}", "delete", true],
      ["/v1/me/password", "put", true],
    ];
    for (const [path, method, secured] of operations) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(Object.keys(op.responses).some((s) => s.startsWith("4")), `${method} ${path} errors`).toBe(true);
      expect(op.security, `${method} ${path} security`).toEqual(secured ? [{ bearerAuth: [] }] : undefined);
    }
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.paths["/v1/auth/register"].post.requestBody.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/RegisterRequest" });
    expect(doc.components.schemas.RegisterRequest.required).toEqual(expect.arrayContaining(["email", "username", "password", "data_processing_consent"]));
  });
});
