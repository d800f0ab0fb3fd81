import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { expectSignedInOnly, send, type Route } from "../helpers/authorisation";
import { sql } from "../helpers/db";
import { block, LICENSE, listed } from "./fixtures";

/** Every signed-in route of the domain, against ada's product and licence. */
function routes(productId: string, licenseId: string): Route[] {
  return [
    ["POST", "/v1/products", { name: "X", description: "Y", category: "sample", price: "1.00" }],
    ["PATCH", `/v1/products/${productId}`, { name: "Taken over" }],
    ["DELETE", `/v1/products/${productId}`],
    ["POST", `/v1/products/${productId}/licenses`, LICENSE],
    ["PATCH", `/v1/products/${productId}/licenses/${licenseId}`, { price: "0.01" }],
    ["DELETE", `/v1/products/${productId}/licenses/${licenseId}`],
    ["PUT", `/v1/products/${productId}/favorite`],
    ["DELETE", `/v1/products/${productId}/favorite`],
    ["GET", "/v1/me/products"],
    ["GET", "/v1/me/favorites"],
    ["PUT", `/v1/products/${productId}/suspension`, { reason: "r" }],
    ["DELETE", `/v1/products/${productId}/suspension`],
  ];
}

describe("who may write", () => {
  it("refuses every signed-in route anonymously (401), to a banned account (403) and to a deleted one (401)", async () => {
    const ada = await signedInUser();
    const { product, license } = await listed(ada);
    await expectSignedInOnly(routes(product.id, license.id));
    const [row] = await sql.query("SELECT name, deleted_at, favorite_count, status FROM products WHERE id = $1", [product.id]);
    expect(row).toEqual({ name: product.name, deleted_at: null, favorite_count: 0, status: "active" });
  });

  it("refuses another user's changes to my product and its licences (403), and a non-moderator's suspension (403)", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const { product, license } = await listed(ada);
    const owned = routes(product.id, license.id).filter(([method, path]) => path.startsWith(`/v1/products/${product.id}`) && !path.endsWith("/favorite"));
    for (const route of owned) expect((await send(bob, route)).status, `${route[0]} ${route[1]}`).toBe(403);
    const [row] = await sql.query("SELECT p.name, p.deleted_at, p.status, l.price, l.deleted_at AS license_deleted FROM products p JOIN product_licenses l ON l.product_id = p.id WHERE p.id = $1", [product.id]);
    expect(row).toEqual({ name: product.name, deleted_at: null, status: "active", price: "29.99", license_deleted: null });
  });

  it("answers 404 to every write on a product hidden from the caller (a block, or an unpublished product)", async () => {
    const ada = await signedInUser();
    const eve = await signedInUser();
    const { product, license } = await listed(ada);
    await block(ada, eve);
    for (const route of routes(product.id, license.id).slice(1, 8)) {
      if (route[0] === "DELETE" && route[1].endsWith("/favorite")) continue; // dropping a favourite needs no access
      expect((await send(eve, route)).status, `${route[0]} ${route[1]}`).toBe(404);
    }
    const res = await api("DELETE", `/v1/products/${product.id}/favorite`, { headers: eve.headers });
    expect(res.status).toBe(404); // eve never had it
  });
});
