import { describe, expect, it } from "vitest";
import { api } from "../helpers/auth";

describe("products in the OpenAPI document", () => {
  it("publishes every route with its schemas, and says who sees a product", async () => {
    const res = await api("GET", "/openapi.json");
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(Object.keys(doc.paths["/v1/products"]).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/v1/products/{id}"]).sort()).toEqual(["delete", "get", "patch"]);
    expect(Object.keys(doc.paths["/v1/products/{id}/licenses"])).toEqual(["post"]);
    expect(Object.keys(doc.paths["/v1/products/{id}/licenses/{licenseId}"]).sort()).toEqual(["delete", "patch"]);
    for (const sub of ["favorite", "suspension"]) expect(Object.keys(doc.paths[`/v1/products/{id}/${sub}`]).sort()).toEqual(["delete", "put"]);
    for (const path of ["/v1/products/{id}/preview", "/v1/products/{id}/images/{fileId}", "/v1/users/{username}/products", "/v1/me/products", "/v1/me/favorites"]) {
      expect(doc.paths[path]?.get, path).toBeDefined();
    }
    expect(doc.paths["/v1/products/{id}"].get.description).toContain("its seller, always");
    expect(doc.paths["/v1/products"].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(["category", "tags", "priceMin", "priceMax", "genre", "bpmMin", "bpmMax", "key", "sort", "cursor", "limit"]),
    );
    for (const schema of ["Product", "ProductSummary", "ProductLicense", "CreateProduct", "UpdateProduct", "CreateLicense", "UpdateLicense"]) {
      expect(doc.components.schemas[schema], schema).toBeDefined();
    }
    // the public shape names the deliverables only as the seller's
    expect(doc.components.schemas.Product.required).not.toContain("download_file_ids");
  });
});
