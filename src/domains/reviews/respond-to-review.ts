import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { forbidden, notFound } from "../../lib/errors";
import { blockHides } from "../blocks/either-blocked";
import { productShown, reviewJson, toReview } from "./review-view";
import type { Review } from "./schemas";

type RespondedRow = { found: boolean; is_seller: boolean; review: unknown };

/**
 * PUT /v1/reviews/:id/response, one statement: the product's seller answers a review once; putting
 * again edits the answer (responded_at keeps the first answer's time, updated_at moves). Reviews the
 * seller cannot see (a deleted or banned reviewer, a block either way) are 404 like missing ones.
 */
export async function respondToReview(db: Database, reviewId: string, userId: string, content: string): Promise<Review> {
  const { rows } = await db.execute<RespondedRow>(sql`
    WITH target AS (
      SELECT r.id, p.seller_id FROM product_reviews r
        JOIN products p ON p.id = r.product_id
        JOIN users u ON u.id = r.user_id AND u.deleted_at IS NULL AND NOT u.is_banned
       WHERE r.id = ${reviewId}::uuid AND r.deleted_at IS NULL AND ${productShown("p")} AND NOT ${blockHides(userId, sql`r.user_id`)}
    ), changed AS (
      UPDATE product_reviews r SET seller_response = ${content}, seller_responded_at = COALESCE(r.seller_responded_at, now())
        FROM target t WHERE r.id = t.id AND t.seller_id = ${userId}::uuid
      RETURNING r.*
    )
    SELECT EXISTS (SELECT 1 FROM target) AS found, EXISTS (SELECT 1 FROM target WHERE seller_id = ${userId}::uuid) AS is_seller,
           (SELECT ${reviewJson("r")} FROM changed r) AS review`);
  const row = rows[0]!;
  if (row.review) return toReview(row.review);
  if (!row.found) throw notFound("This review");
  if (!row.is_seller) throw forbidden("Only the product's seller may answer its reviews.");
  throw notFound("This review");
}
