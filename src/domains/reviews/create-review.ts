import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { takenDownByModerator } from "../moderation/targets";
import { notifiedJson, notifyInsert } from "../notifications/notify";
import { productShown, reviewJson, toReview } from "./review-view";
import type { CreateReviewInput, Review } from "./schemas";

type CreatedRow = {
  product_found: boolean;
  item_mine: boolean;
  item_for_product: boolean;
  item_live: boolean;
  order_paid: boolean;
  taken_down: boolean;
  review: unknown;
  notifications: unknown;
};

/**
 * POST /v1/products/:id/reviews, one statement: a review only from a verified purchase — the order
 * item is the caller's, is for this product, is not revoked (refunded, cancelled) and its order is
 * paid, processing or completed. One review per order item (uq_product_reviews_order_item): a live
 * one makes a second 409; a review the buyer deleted is written over (the purchase may be reviewed
 * again) — unless a moderator removed it and has not reversed that. The stats (review_count,
 * average_rating) follow by trigger; the seller is notified (type
 * `comment`, entity `product_review`: a review is what buyers say about their product).
 */
export async function createReview(db: Database, productId: string, userId: string, input: CreateReviewInput) {
  const title = input.title ?? null;
  const content = input.content ?? null;
  const { rows } = await db.execute<CreatedRow>(sql`
    WITH product AS (
      SELECT p.id, p.seller_id, p.name FROM products p WHERE p.id = ${productId}::uuid AND ${productShown("p")}
    ), item AS (
      SELECT oi.id, oi.product_id, oi.revoked_at, o.user_id, o.status
        FROM order_items oi JOIN orders o ON o.id = oi.order_id
       WHERE oi.id = ${input.order_item_id}::uuid
    ), purchase AS (
      SELECT i.id, pr.id AS product_id FROM item i JOIN product pr ON pr.id = i.product_id
       WHERE i.user_id = ${userId}::uuid AND i.revoked_at IS NULL AND i.status IN ('paid', 'processing', 'completed')
    ), review AS (
      INSERT INTO product_reviews (product_id, user_id, order_item_id, rating, title, content)
      SELECT pu.product_id, ${userId}::uuid, pu.id, ${input.rating}, ${title}::varchar, ${content}::text FROM purchase pu
      ON CONFLICT (order_item_id) DO UPDATE
        SET rating = EXCLUDED.rating, title = EXCLUDED.title, content = EXCLUDED.content, deleted_at = NULL,
            seller_response = NULL, seller_responded_at = NULL, created_at = now()
        WHERE product_reviews.deleted_at IS NOT NULL AND NOT ${takenDownByModerator("review", sql`product_reviews.id`)}
      RETURNING *
    ), notified AS (${notifyInsert({
      from: sql`review r JOIN product pr ON pr.id = r.product_id`,
      recipient: sql`pr.seller_id`,
      actor: userId,
      type: "comment",
      entity: { type: "product_review", id: sql`r.id` },
      title: sql`pr.name`,
      body: sql`left(COALESCE(r.content, r.title), 280)`,
      data: sql`jsonb_build_object('product_id', pr.id, 'rating', r.rating)`,
    })})
    SELECT EXISTS (SELECT 1 FROM product) AS product_found,
           EXISTS (SELECT 1 FROM item WHERE user_id = ${userId}::uuid) AS item_mine,
           EXISTS (SELECT 1 FROM item WHERE product_id = ${productId}::uuid) AS item_for_product,
           EXISTS (SELECT 1 FROM item WHERE revoked_at IS NULL) AS item_live,
           EXISTS (SELECT 1 FROM item WHERE status IN ('paid', 'processing', 'completed')) AS order_paid,
           EXISTS (SELECT 1 FROM product_reviews pr WHERE pr.order_item_id = ${input.order_item_id}::uuid
                      AND pr.deleted_at IS NOT NULL AND ${takenDownByModerator("review", sql`pr.id`)}) AS taken_down,
           (SELECT ${reviewJson("r")} FROM review r) AS review,
           ${notifiedJson("notified")} AS notifications`);
  const row = rows[0]!;
  if (row.review) return { review: toReview(row.review) as Review, notifications: row.notifications };
  if (!row.product_found) throw notFound("This product");
  const refuse = (why: string) => forbidden(`Only a verified purchase can be reviewed: ${why}`);
  if (!row.item_mine) throw refuse("this order item is not one of your purchases.");
  if (!row.item_for_product) throw refuse("this order item is for another product.");
  if (!row.item_live) throw refuse("this purchase was refunded or cancelled.");
  if (!row.order_paid) throw refuse("this order is not paid.");
  if (row.taken_down) throw forbidden("A moderator removed your review of this purchase: it cannot be posted again unless that action is reversed.");
  throw new ApiError("conflict", "You already reviewed this purchase; edit that review instead.");
}
