import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { notFound } from "../../lib/errors";
import { productJson, productVisibleTo, toProduct } from "./product-view";
import type { Product } from "./schemas";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * GET /v1/products/:id (an id or a slug), one statement: the product page — the product, its seller, licences
 * with availability, rating summary and counters, and the viewer's `favorited` / `purchased`.
 * A slug never has a uuid's shape, so the parameter is an id or a slug by its look.
 *
 * The view is counted in the same statement (a data-modifying CTE): no second round trip, and a
 * hidden product (404) is never counted. Views of the seller, and of products not on the catalogue,
 * are not counted. The page shows the count including this view.
 */
export async function getProduct(db: Database, ref: string, viewerId: string | null): Promise<Product> {
  const match = UUID.test(ref) ? sql`p.id = ${ref.toLowerCase()}::uuid` : sql`p.slug = ${ref.toLowerCase()}`;
  const { rows } = await db.execute<{ product: unknown }>(sql`
    WITH target AS (
      SELECT p.id FROM products p WHERE ${match} AND ${productVisibleTo(viewerId)}
    ), viewed AS (
      UPDATE products p SET view_count = p.view_count + 1 FROM target t
       WHERE p.id = t.id AND p.status IN ('active', 'sold_out') AND p.deleted_at IS NULL
         AND p.seller_id IS DISTINCT FROM ${viewerId}::uuid
      RETURNING p.id
    )
    SELECT ${productJson(viewerId, "p", sql`(SELECT count(*)::int FROM viewed)`)} AS product
      FROM products p JOIN target t ON t.id = p.id`);
  if (!rows[0]) throw notFound("This product");
  return toProduct(rows[0].product);
}
