import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

type Operation = { security?: unknown[]; parameters?: Array<{ name: string; in: string }>; responses: Record<string, unknown> };

describe("the money path in the API description", () => {
  it("documents every route of the cart, checkout, orders and downloads, signed in except the signed download link", async () => {
    const doc = (await (await exports.default.fetch("http://veza.test/openapi.json")).json()) as { paths: Record<string, Record<string, Operation>> };
    const signedIn: Array<[string, string]> = [
      ["get", "/v1/me/cart"],
      ["post", "/v1/me/cart/items"],
      ["delete", "/v1/me/cart/items/{productId}"],
      ["delete", "/v1/me/cart"],
      ["put", "/v1/me/cart/discount"],
      ["delete", "/v1/me/cart/discount"],
      ["post", "/v1/me/discount-codes"],
      ["get", "/v1/me/discount-codes"],
      ["patch", "/v1/me/discount-codes/{id}"],
      ["post", "/v1/me/checkout"],
      ["get", "/v1/me/orders"],
      ["get", "/v1/me/orders/{idOrNumber}"],
      ["post", "/v1/me/orders/{id}/cancel"],
      ["get", "/v1/me/purchases"],
      ["get", "/v1/me/sales"],
      ["post", "/v1/me/purchases/{orderItemId}/downloads"],
    ];
    for (const [method, path] of signedIn) {
      const operation = doc.paths[path]?.[method];
      expect(operation, `${method} ${path}`).toBeDefined();
      expect(operation!.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
      expect(operation!.responses["401"], `${method} ${path}`).toBeDefined();
    }
    expect(doc.paths["/v1/me/checkout"]!.post!.parameters).toContainEqual(expect.objectContaining({ name: "idempotency-key", in: "header" }));
    const download = doc.paths["/v1/downloads/{orderItemId}/{fileId}"]!.get!;
    expect(download.security).toBeUndefined();
    expect(Object.keys(download.responses)).toEqual(expect.arrayContaining(["200", "206", "403", "410"]));
  });
});
