import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { notFound } from "../../lib/errors";
import { blockHides } from "../blocks/either-blocked";
import { preciseIso } from "../tracks/track-view";
import { productShown, reviewJson, toReview } from "./review-view";

type PageRow = { review_count: number; average_rating: string; review: unknown; cursor_at: string | null; review_id: string | null };

/**
 * GET /v1/products/:id/reviews: newest first, keyset on (created_at, id) over
 * idx_product_reviews_product_id_created_at, optionally one rating; one round trip. Reviews by deleted
 * or banned accounts, and by anyone with a block either way with the viewer, are left out inside the
 * scan (pages never come back short). The product's own stats come with the page.
 */
export async function listReviews(
  db: Database,
  productId: string,
  viewerId: string | null,
  query: { limit: number; cursor?: string; rating?: number },
) {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const { rows } = await db.execute<PageRow>(sql`
    WITH product AS (SELECT p.id, p.review_count, p.average_rating FROM products p WHERE p.id = ${productId}::uuid AND ${productShown("p")})
    SELECT pr.review_count, pr.average_rating::text AS average_rating, x.review, x.cursor_at, x.review_id
      FROM product pr LEFT JOIN LATERAL (
        SELECT r.id AS review_id, r.created_at, ${preciseIso("r.created_at")} AS cursor_at, ${reviewJson("r")} AS review
          FROM product_reviews r
          JOIN users u ON u.id = r.user_id AND u.deleted_at IS NULL AND NOT u.is_banned
         WHERE r.product_id = pr.id AND r.deleted_at IS NULL
           AND NOT ${blockHides(viewerId, sql`r.user_id`)}
           ${query.rating ? sql`AND r.rating = ${query.rating}` : sql``}
           ${after ? sql`AND (r.created_at, r.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
         ORDER BY r.created_at DESC, r.id DESC LIMIT ${query.limit + 1}
      ) x ON true
     ORDER BY x.created_at DESC, x.review_id DESC`);
  if (rows.length === 0) throw notFound("This product");
  const found = rows.filter((r) => r.review_id !== null);
  const page = found.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => toReview(r.review)),
    next_cursor: found.length > query.limit && last ? encodeCursor(last.cursor_at!, last.review_id!) : null,
    review_count: Number(rows[0]!.review_count),
    average_rating: rows[0]!.average_rating,
  };
}
