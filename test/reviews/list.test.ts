import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { banUser, softDeleteUser } from "../tracks/fixtures";
import { makeProduct, paidSale } from "../sellers/fixtures";

/** A product with one review per rating given, oldest first (distinct created_at). */
async function reviewed(ratings: number[]) {
  const seller = await signedInUser();
  const product = await makeProduct(seller.id);
  const reviewers = [];
  for (const [i, rating] of ratings.entries()) {
    const buyer = await signedInUser();
    const sale = await paidSale({ buyerId: buyer.id, product });
    const res = await api("POST", `/v1/products/${product.id}/reviews`, { headers: buyer.headers, body: { order_item_id: sale.orderItemId, rating } });
    expect(res.status).toBe(201);
    await sql.query(`UPDATE product_reviews SET created_at = now() - make_interval(mins => $2) WHERE id = $1`, [res.body.id, ratings.length - i]);
    reviewers.push({ buyer, reviewId: res.body.id as string });
  }
  return { seller, product, reviewers };
}

describe("GET /v1/products/:id/reviews", () => {
  it("lists newest first by cursor, anonymously, with the product's stats", async () => {
    const { product, reviewers } = await reviewed([5, 4, 3, 2, 1]);
    const first = await api("GET", `/v1/products/${product.id}/reviews?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items.map((r: any) => r.id)).toEqual([reviewers[4]!.reviewId, reviewers[3]!.reviewId]);
    expect(first.body).toMatchObject({ review_count: 5, average_rating: "3.00" });
    const second = await api("GET", `/v1/products/${product.id}/reviews?limit=2&cursor=${first.body.next_cursor}`);
    const third = await api("GET", `/v1/products/${product.id}/reviews?limit=2&cursor=${second.body.next_cursor}`);
    expect([...second.body.items, ...third.body.items].map((r: any) => r.rating)).toEqual([3, 4, 5]);
    expect(third.body.next_cursor).toBeNull();
    expect((await api("GET", `/v1/products/${product.id}/reviews?cursor=bogus`)).status).toBe(422);
  });

  it("filters by rating", async () => {
    const { product } = await reviewed([5, 1, 5, 3]);
    const res = await api("GET", `/v1/products/${product.id}/reviews?rating=5`);
    expect(res.body.items.map((r: any) => r.rating)).toEqual([5, 5]);
    expect((await api("GET", `/v1/products/${product.id}/reviews?rating=6`)).status).toBe(422);
  });

  it("hides reviews by banned, deleted and blocked reviewers, and deleted reviews", async () => {
    const { product, reviewers } = await reviewed([5, 4, 3, 2, 1]);
    const viewer = await signedInUser();
    await banUser(reviewers[0]!.buyer.id);
    await softDeleteUser(reviewers[1]!.buyer.id);
    await sql.query(`INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)`, [reviewers[2]!.buyer.id, viewer.id]);
    await api("DELETE", `/v1/reviews/${reviewers[3]!.reviewId}`, { headers: reviewers[3]!.buyer.headers });

    const seen = await api("GET", `/v1/products/${product.id}/reviews`, { headers: viewer.headers });
    expect(seen.body.items.map((r: any) => r.id)).toEqual([reviewers[4]!.reviewId]);
    const anonymous = await api("GET", `/v1/products/${product.id}/reviews`);
    expect(anonymous.body.items.map((r: any) => r.id)).toEqual([reviewers[4]!.reviewId, reviewers[2]!.reviewId]);
  });

  it("is 404 for a missing or deleted product, or one whose seller is deleted", async () => {
    const seller = await signedInUser();
    const deleted = await makeProduct(seller.id, { deleted: true });
    expect((await api("GET", `/v1/products/${deleted.id}/reviews`)).status).toBe(404);
    expect((await api("GET", `/v1/products/${crypto.randomUUID()}/reviews`)).status).toBe(404);
    const { product, seller: gone } = await reviewed([4]);
    await softDeleteUser(gone.id);
    expect((await api("GET", `/v1/products/${product.id}/reviews`)).status).toBe(404);
  });
});
