import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { makeProduct, paidSale, type PaidSale } from "../sellers/fixtures";

const review = (who: SignedInUser, productId: string, body: object) => api("POST", `/v1/products/${productId}/reviews`, { headers: who.headers, body });
const stats = async (productId: string) =>
  (await sql.query(`SELECT review_count, average_rating::text AS average_rating FROM products WHERE id = $1`, [productId]))[0];

/** A seller with a product, and a buyer who paid for it. */
async function purchase(status: "paid" | "processing" | "completed" | "pending" = "paid") {
  const seller = await signedInUser();
  const buyer = await signedInUser();
  const product = await makeProduct(seller.id);
  const sale = await paidSale({ buyerId: buyer.id, product, status });
  return { seller, buyer, product, sale };
}

describe("POST /v1/products/:id/reviews", () => {
  it("a review without a purchase is refused", async () => {
    const { product } = await purchase();
    const stranger = await signedInUser();
    const res = await review(stranger, product.id, { order_item_id: crypto.randomUUID(), rating: 5, content: "Wonderful beat, really." });
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/verified purchase/);
    expect(await stats(product.id)).toEqual({ review_count: 0, average_rating: "0.00" });
    expect(await sql.query(`SELECT 1 FROM product_reviews WHERE product_id = $1`, [product.id])).toHaveLength(0);
  });

  it("refuses another user's order item", async () => {
    const { product, sale } = await purchase();
    const other = await signedInUser();
    const res = await review(other, product.id, { order_item_id: sale.orderItemId, rating: 4 });
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/not one of your purchases/);
  });

  it("refuses an order item for another product", async () => {
    const { buyer, seller, sale } = await purchase();
    const otherProduct = await makeProduct(seller.id);
    const res = await review(buyer, otherProduct.id, { order_item_id: sale.orderItemId, rating: 4 });
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/another product/);
  });

  it("refuses a revoked (refunded) item and an unpaid order", async () => {
    const { buyer, product, sale } = await purchase();
    await sql.query(`UPDATE order_items SET revoked_at = now() WHERE id = $1`, [sale.orderItemId]);
    const revoked = await review(buyer, product.id, { order_item_id: sale.orderItemId, rating: 4 });
    expect(revoked.status).toBe(403);
    expect(revoked.body.detail).toMatch(/refunded or cancelled/);

    const unpaid = await purchase("pending");
    const res = await review(unpaid.buyer, unpaid.product.id, { order_item_id: unpaid.sale.orderItemId, rating: 4 });
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/not paid/);
  });

  it("accepts a verified purchase once; a second review of the same item is 409", async () => {
    for (const status of ["paid", "processing", "completed"] as const) {
      const { buyer, product, sale } = await purchase(status);
      const first = await review(buyer, product.id, { order_item_id: sale.orderItemId, rating: 4, title: "Nice", content: "Punchy drums, clean mix." });
      expect(first.status, status).toBe(201);
      expect(first.body).toMatchObject({
        product_id: product.id,
        rating: 4,
        title: "Nice",
        content: "Punchy drums, clean mix.",
        is_verified_purchase: true,
        seller_response: null,
        reviewer: { id: buyer.id, username: buyer.username },
      });
      const second = await review(buyer, product.id, { order_item_id: sale.orderItemId, rating: 1 });
      expect(second.status).toBe(409);
      expect(await stats(product.id)).toEqual({ review_count: 1, average_rating: "4.00" });
    }
  });

  it("checks the rating and length bounds (422), before the database's CHECKs", async () => {
    const { buyer, product, sale } = await purchase();
    const bad = [
      { rating: 0 },
      { rating: 6 },
      { rating: 4.5 },
      { rating: 3, content: "too short" },
      { rating: 3, content: "x".repeat(2001) },
      { rating: 3, title: "t".repeat(256) },
    ];
    for (const body of bad) {
      const res = await review(buyer, product.id, { order_item_id: sale.orderItemId, ...body });
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(422);
    }
    expect((await review(buyer, product.id, { order_item_id: "nope", rating: 3 })).status).toBe(422);
    const edge = await review(buyer, product.id, { order_item_id: sale.orderItemId, rating: 1, content: "x".repeat(10) });
    expect(edge.status).toBe(201);
    const long = await purchase();
    expect((await review(long.buyer, long.product.id, { order_item_id: long.sale.orderItemId, rating: 5, content: "y".repeat(2000) })).status).toBe(201);
  });

  it("is 404 for a deleted product or one whose seller is banned", async () => {
    const { buyer, product, sale, seller } = await purchase();
    await sql.query(`UPDATE users SET is_banned = true WHERE id = $1`, [seller.id]);
    expect((await review(buyer, product.id, { order_item_id: sale.orderItemId, rating: 5 })).status).toBe(404);
    expect((await review(buyer, crypto.randomUUID(), { order_item_id: sale.orderItemId, rating: 5 })).status).toBe(404);
  });

  it("notifies the seller of a new review", async () => {
    const { buyer, seller, product, sale } = await purchase();
    const res = await review(buyer, product.id, { order_item_id: sale.orderItemId, rating: 5, content: "Best pack this year." });
    const rows = await sql.query(`SELECT type, actor_id, entity_type, entity_id, data FROM notifications WHERE user_id = $1`, [seller.id]);
    expect(rows).toEqual([
      { type: "comment", actor_id: buyer.id, entity_type: "product_review", entity_id: res.body.id, data: { product_id: product.id, rating: 5 } },
    ]);
  });
});

describe("a review's life: stats follow create, edit and delete", () => {
  it("keeps review_count and average_rating right", async () => {
    const seller = await signedInUser();
    const product = await makeProduct(seller.id);
    const buyers = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
    const sales: PaidSale[] = [];
    for (const b of buyers) sales.push(await paidSale({ buyerId: b.id, product }));
    const ids: string[] = [];
    for (const [i, rating] of [5, 4, 2].entries()) {
      const res = await review(buyers[i]!, product.id, { order_item_id: sales[i]!.orderItemId, rating });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    expect(await stats(product.id)).toEqual({ review_count: 3, average_rating: "3.67" });

    const edited = await api("PATCH", `/v1/reviews/${ids[2]}`, { headers: buyers[2]!.headers, body: { rating: 5, content: "Changed my mind, great." } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ rating: 5, content: "Changed my mind, great.", title: null });
    expect(await stats(product.id)).toEqual({ review_count: 3, average_rating: "4.67" });

    const cleared = await api("PATCH", `/v1/reviews/${ids[2]}`, { headers: buyers[2]!.headers, body: { content: null } });
    expect(cleared.body).toMatchObject({ rating: 5, content: null });

    expect((await api("DELETE", `/v1/reviews/${ids[0]}`, { headers: buyers[0]!.headers })).status).toBe(204);
    expect(await stats(product.id)).toEqual({ review_count: 2, average_rating: "4.50" });
    expect((await api("DELETE", `/v1/reviews/${ids[0]}`, { headers: buyers[0]!.headers })).status).toBe(404);
    expect((await api("PATCH", `/v1/reviews/${ids[0]}`, { headers: buyers[0]!.headers, body: { rating: 1 } })).status).toBe(404);

    // the deleted review's purchase may be reviewed again
    const again = await review(buyers[0]!, product.id, { order_item_id: sales[0]!.orderItemId, rating: 1 });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ rating: 1, content: null, seller_response: null });
    expect(await stats(product.id)).toEqual({ review_count: 3, average_rating: "3.33" });
  });

  it("refuses an empty edit (422) and another user's edit or delete (403)", async () => {
    const seller = await signedInUser();
    const buyer = await signedInUser();
    const other = await signedInUser();
    const product = await makeProduct(seller.id);
    const sale = await paidSale({ buyerId: buyer.id, product });
    const created = await review(buyer, product.id, { order_item_id: sale.orderItemId, rating: 3 });
    expect((await api("PATCH", `/v1/reviews/${created.body.id}`, { headers: buyer.headers, body: {} })).status).toBe(422);
    expect((await api("PATCH", `/v1/reviews/${created.body.id}`, { headers: other.headers, body: { rating: 1 } })).status).toBe(403);
    expect((await api("PATCH", `/v1/reviews/${created.body.id}`, { headers: seller.headers, body: { rating: 1 } })).status).toBe(403);
    expect((await api("DELETE", `/v1/reviews/${created.body.id}`, { headers: other.headers })).status).toBe(403);
    expect(await stats(product.id)).toEqual({ review_count: 1, average_rating: "3.00" });
  });
});

describe("PUT /v1/reviews/:id/response", () => {
  it("lets the product's seller answer once and edit the answer; nobody else", async () => {
    const seller = await signedInUser();
    const buyer = await signedInUser();
    const other = await signedInUser();
    const product = await makeProduct(seller.id);
    const sale = await paidSale({ buyerId: buyer.id, product });
    const created = await review(buyer, product.id, { order_item_id: sale.orderItemId, rating: 2, content: "The kick is too loud." });
    const path = `/v1/reviews/${created.body.id}/response`;

    for (const who of [buyer, other]) {
      const res = await api("PUT", path, { headers: who.headers, body: { content: "Not mine to say" } });
      expect(res.status).toBe(403);
      expect(res.body.detail).toMatch(/seller/);
    }
    const first = await api("PUT", path, { headers: seller.headers, body: { content: "Thanks, v2 fixes it." } });
    expect(first.status).toBe(200);
    expect(first.body.seller_response.content).toBe("Thanks, v2 fixes it.");
    const edited = await api("PUT", path, { headers: seller.headers, body: { content: "Thanks, v2 (out now) fixes it." } });
    expect(edited.body.seller_response).toEqual({ content: "Thanks, v2 (out now) fixes it.", responded_at: first.body.seller_response.responded_at });
    expect((await api("PUT", path, { headers: seller.headers, body: { content: "" } })).status).toBe(422);
    expect((await api("PUT", `/v1/reviews/${crypto.randomUUID()}/response`, { headers: seller.headers, body: { content: "x" } })).status).toBe(404);
    const [row] = await sql.query(`SELECT seller_response FROM product_reviews WHERE id = $1`, [created.body.id]);
    expect(row!.seller_response).toBe("Thanks, v2 (out now) fixes it.");
  });
});
