import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { expectSignedInOnly } from "../helpers/authorisation";
import { sql } from "../helpers/db";
import { makeProduct, paidSale } from "../sellers/fixtures";

describe("who may write reviews", () => {
  it("refuses every write anonymously (401), to a banned account (403) and to a deleted one (401), changing nothing", async () => {
    const seller = await signedInUser();
    const buyer = await signedInUser();
    const product = await makeProduct(seller.id);
    const sale = await paidSale({ buyerId: buyer.id, product });
    const created = await api("POST", `/v1/products/${product.id}/reviews`, { headers: buyer.headers, body: { order_item_id: sale.orderItemId, rating: 4 } });
    const id = created.body.id as string;
    await expectSignedInOnly([
      ["POST", `/v1/products/${product.id}/reviews`, { order_item_id: sale.orderItemId, rating: 1 }],
      ["PATCH", `/v1/reviews/${id}`, { rating: 1 }],
      ["DELETE", `/v1/reviews/${id}`],
      ["PUT", `/v1/reviews/${id}/response`, { content: "hi" }],
    ]);
    const [row] = await sql.query(`SELECT rating, deleted_at, seller_response FROM product_reviews WHERE id = $1`, [id]);
    expect(row).toEqual({ rating: 4, deleted_at: null, seller_response: null });
  });

  it("a banned buyer cannot review even their own purchase; a deleted seller's product is gone", async () => {
    const seller = await signedInUser();
    const buyer = await signedInUser();
    const product = await makeProduct(seller.id);
    const sale = await paidSale({ buyerId: buyer.id, product });
    await sql.query(`UPDATE users SET deleted_at = now() WHERE id = $1`, [seller.id]);
    const res = await api("POST", `/v1/products/${product.id}/reviews`, { headers: buyer.headers, body: { order_item_id: sale.orderItemId, rating: 4 } });
    expect(res.status).toBe(404);
  });

  it("the public list answers 401/403 to a bad token rather than pretending to be anonymous", async () => {
    const seller = await signedInUser();
    const product = await makeProduct(seller.id);
    const res = await api("GET", `/v1/products/${product.id}/reviews`, { headers: { Authorization: "Bearer not-a-token" } });
    expect(res.status).toBe(401);
  });
});
