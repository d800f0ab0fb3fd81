import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { forbidden, notFound } from "../../lib/errors";
import { productVisibleTo } from "./product-view";

/**
 * DELETE /v1/products/:id, one statement: a soft delete by its seller. The row stays (order items
 * point at it, RESTRICT: 7-year records), so buyers keep reading it from their orders while it
 * leaves the catalogue, the storefront, favourites and search (trg_products_search_index_update).
 * Its slug stays taken. 404 when you cannot see it, 403 when it is not yours.
 */
export async function deleteProduct(db: Database, productId: string, userId: string): Promise<void> {
  const { rows } = await db.execute<{ found: boolean; deleted: boolean }>(sql`
    WITH target AS (
      SELECT p.id, p.seller_id FROM products p WHERE p.id = ${productId}::uuid AND ${productVisibleTo(userId)}
    ), deleted AS (
      UPDATE products p SET deleted_at = now() FROM target t
       WHERE p.id = t.id AND t.seller_id = ${userId}::uuid AND p.deleted_at IS NULL
      RETURNING p.id
    )
    SELECT EXISTS (SELECT 1 FROM target) AS found, EXISTS (SELECT 1 FROM deleted) AS deleted`);
  const row = rows[0]!;
  if (!row.found) throw notFound("This product");
  if (!row.deleted) throw forbidden("Only its seller may delete a product.");
}
