import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("the OAuth routes in the OpenAPI document", () => {
  it("are published with their parameters and responses", { timeout: 30_000 }, async () => {
    const res = await exports.default.fetch("http://veza.test/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown>; parameters?: { name: string }[] }>>; components: { schemas: Record<string, unknown> } };
    expect(Object.keys(doc.paths["/v1/auth/oauth/{provider}/start"]!)).toEqual(["get"]);
    expect(doc.paths["/v1/auth/oauth/{provider}/start"]!.get!.parameters!.map((p) => p.name)).toEqual(
      expect.arrayContaining(["provider", "redirect_to", "data_processing_consent", "marketing_consent"]),
    );
    expect(Object.keys(doc.paths["/v1/auth/oauth/{provider}/callback"]!.get!.responses)).toEqual(expect.arrayContaining(["200", "302", "401", "409", "422"]));
    expect(Object.keys(doc.paths["/v1/me/oauth/{provider}/link"]!.post!.responses)).toEqual(expect.arrayContaining(["200", "403", "409", "422", "429"]));
    expect(Object.keys(doc.paths["/v1/auth/oauth/second-factor"]!.post!.responses)).toEqual(expect.arrayContaining(["200", "401", "403", "422", "429"]));
    expect(doc.paths["/v1/me/oauth"]!.get).toBeDefined();
    expect(Object.keys(doc.paths["/v1/me/oauth/{provider}"]!.delete!.responses)).toEqual(expect.arrayContaining(["204", "404", "409"]));
    for (const name of ["OAuthCallbackResult", "OAuthAuthorization", "OAuthLinkRequest", "OAuthSecondFactorRequest", "LinkedIdentity", "LinkedIdentities"]) expect(doc.components.schemas[name]).toBeDefined();
  });
});
