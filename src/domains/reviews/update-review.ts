import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { forbidden, notFound } from "../../lib/errors";
import { productShown, reviewJson, toReview } from "./review-view";
import type { Review, UpdateReviewInput } from "./schemas";

type ChangedRow = { found: boolean; mine: boolean; review: unknown };

/** A live review on a product still shown, with its author: what edits and deletes look at. */
const target = (reviewId: string) => sql`
  SELECT r.id, r.user_id FROM product_reviews r JOIN products p ON p.id = r.product_id
   WHERE r.id = ${reviewId}::uuid AND r.deleted_at IS NULL AND ${productShown("p")}`;

function settle(row: ChangedRow, verb: string): void {
  if (!row.found) throw notFound("This review");
  if (!row.mine) throw forbidden(`Only its author may ${verb} a review.`);
}

/**
 * PATCH /v1/reviews/:id, one statement: the author changes the rating, title and/or content
 * (null clears title or content); the product's stats follow by trigger when the rating moves.
 */
export async function updateReview(db: Database, reviewId: string, userId: string, input: UpdateReviewInput): Promise<Review> {
  const { rows } = await db.execute<ChangedRow>(sql`
    WITH target AS (${target(reviewId)}), changed AS (
      UPDATE product_reviews r
         SET rating = COALESCE(${input.rating ?? null}::int, r.rating),
             title = ${input.title !== undefined ? sql`${input.title}::varchar` : sql`r.title`},
             content = ${input.content !== undefined ? sql`${input.content}::text` : sql`r.content`}
        FROM target t WHERE r.id = t.id AND t.user_id = ${userId}::uuid
      RETURNING r.*
    )
    SELECT EXISTS (SELECT 1 FROM target) AS found, EXISTS (SELECT 1 FROM target WHERE user_id = ${userId}::uuid) AS mine,
           (SELECT ${reviewJson("r")} FROM changed r) AS review`);
  const row = rows[0]!;
  if (row.review) return toReview(row.review);
  settle(row, "edit");
  throw notFound("This review");
}

/** DELETE /v1/reviews/:id, one statement: a soft delete by its author; the stats drop it by trigger. */
export async function deleteReview(db: Database, reviewId: string, userId: string): Promise<void> {
  const { rows } = await db.execute<ChangedRow>(sql`
    WITH target AS (${target(reviewId)}), changed AS (
      UPDATE product_reviews r SET deleted_at = now()
        FROM target t WHERE r.id = t.id AND t.user_id = ${userId}::uuid
      RETURNING r.id
    )
    SELECT EXISTS (SELECT 1 FROM target) AS found, EXISTS (SELECT 1 FROM target WHERE user_id = ${userId}::uuid) AS mine,
           (SELECT to_json(c.id) FROM changed c) AS review`);
  const row = rows[0]!;
  if (!row.review) settle(row, "delete");
}
