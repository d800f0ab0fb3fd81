import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { notFound } from "../../lib/errors";
import { productVisibleTo } from "./product-view";

type FavoriteRow = { id: string | null; favorite_count: number | null; had: boolean };
export type FavoriteState = { favorited: boolean; favorite_count: number };

/**
 * PUT /v1/products/:id/favorite, one statement: idempotent (ON CONFLICT DO NOTHING) on a product
 * you may see (404 otherwise). favorite_count is kept by trg_product_favorites_count; the answer is
 * the snapshot's count plus the row inserted here.
 */
export async function favoriteProduct(db: Database, productId: string, userId: string): Promise<FavoriteState> {
  const { rows } = await db.execute<FavoriteRow>(sql`
    WITH target AS (
      SELECT p.id, p.favorite_count FROM products p WHERE p.id = ${productId}::uuid AND ${productVisibleTo(userId)}
    ), added AS (
      INSERT INTO product_favorites (user_id, product_id) SELECT ${userId}::uuid, t.id FROM target t
      ON CONFLICT (user_id, product_id) DO NOTHING
      RETURNING 1
    )
    SELECT t.id, t.favorite_count + (SELECT count(*) FROM added)::int AS favorite_count, false AS had
      FROM (SELECT 1) AS one LEFT JOIN target t ON true`);
  const row = rows[0]!;
  if (!row.id) throw notFound("This product");
  return { favorited: true, favorite_count: Number(row.favorite_count) };
}

/**
 * DELETE /v1/products/:id/favorite, one statement; idempotent. Works on a product that has since
 * become hidden from you when you had favourited it (you can still tidy your list); 404 when you
 * can neither see it nor had it.
 */
export async function unfavoriteProduct(db: Database, productId: string, userId: string): Promise<FavoriteState> {
  const { rows } = await db.execute<FavoriteRow>(sql`
    WITH removed AS (
      DELETE FROM product_favorites f WHERE f.product_id = ${productId}::uuid AND f.user_id = ${userId}::uuid RETURNING 1
    ), target AS (
      SELECT p.id, p.favorite_count FROM products p WHERE p.id = ${productId}::uuid
    )
    SELECT t.id, GREATEST(t.favorite_count - (SELECT count(*) FROM removed)::int, 0) AS favorite_count,
           EXISTS (SELECT 1 FROM removed) OR EXISTS (SELECT 1 FROM products p WHERE p.id = ${productId}::uuid AND ${productVisibleTo(userId)}) AS had
      FROM (SELECT 1) AS one LEFT JOIN target t ON true`);
  const row = rows[0]!;
  if (!row.id || !row.had) throw notFound("This product");
  return { favorited: false, favorite_count: Number(row.favorite_count) };
}
