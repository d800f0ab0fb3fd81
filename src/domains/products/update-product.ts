import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { hasOpenLicense, productJson, productVisibleTo, toProduct } from "./product-view";
import { fileChecks, filesOk, sellerWrite, throwFileError, uuidArray, varcharArray, type FileCheckRow } from "./product-rules";
import type { Product, UpdateProductInput } from "./schemas";

type UpdatedRow = FileCheckRow & {
  found: boolean;
  mine: boolean | null;
  status: string | null;
  transition_ok: boolean | null;
  sellable_ok: boolean | null;
  exclusive_sold: boolean | null;
  product: unknown;
};

/** The SET list of a patch: only the fields it names. */
function assignments(id: string, input: UpdateProductInput): SQL[] {
  const set: SQL[] = [];
  const plain = ["name", "slug", "description", "category", "currency", "musical_key", "genre", "license_type", "demo_url"] as const;
  for (const column of plain) if (input[column] !== undefined) set.push(sql`${sql.identifier(column)} = ${input[column]}`);
  if (input.bpm !== undefined) set.push(sql`bpm = ${input.bpm}::int`);
  if (input.tags !== undefined) set.push(sql`tags = ${varcharArray(input.tags)}`);
  if (input.formats !== undefined) set.push(sql`formats = ${varcharArray(input.formats)}`);
  if (input.preview_file_id !== undefined) set.push(sql`preview_file_id = ${input.preview_file_id}::uuid`);
  if (input.download_file_ids !== undefined) set.push(sql`download_file_ids = ${uuidArray(input.download_file_ids)}`);
  if (input.image_file_ids !== undefined) {
    const first = input.image_file_ids[0];
    set.push(sql`image_file_ids = ${uuidArray(input.image_file_ids)}`, sql`thumbnail_url = ${first ? `/v1/products/${id}/images/${first}` : null}`);
  }
  const model = input.pricing_model;
  if (model !== undefined) set.push(sql`pricing_model = ${model}`);
  // A free product costs 0 unless the patch says otherwise (then the CHECK answers); only pwyw has a floor.
  if (input.price !== undefined) set.push(sql`price = ${input.price}::numeric`);
  else if (model === "free") set.push(sql`price = 0`);
  if (input.minimum_price !== undefined || (model !== undefined && model !== "pwyw")) {
    set.push(sql`minimum_price = CASE WHEN COALESCE(${model ?? null}::text, p.pricing_model) = 'pwyw' THEN ${input.minimum_price ?? null}::numeric END`);
  }
  if (input.status !== undefined) set.push(sql`status = ${input.status}`);
  return set;
}

/**
 * PATCH /v1/products/:id, one statement: the seller edits any field and moves the status between
 * draft → active ⇄ inactive. Publishing (active) needs an open licence unless the product is free,
 * and is refused while an exclusive licence of it is held (sold_out: the exclusive buyer's rights; a
 * refund releases it, and the seller may then put the product back on sale);
 * a suspension is the moderators' (403). The same rule holds when an active product's pricing
 * changes. A product you cannot see is 404; another's is 403. Broken CHECKs are field errors.
 */
export async function updateProduct(db: Database, productId: string, userId: string, input: UpdateProductInput): Promise<Product> {
  const status = input.status ?? null;
  const model = input.pricing_model ?? null;
  const sellableRuleApplies = input.status !== undefined || input.pricing_model !== undefined;
  const { rows } = await sellerWrite(() =>
    db.execute<UpdatedRow>(sql`
      WITH target AS (
        SELECT p.id, p.seller_id, p.status, p.pricing_model FROM products p WHERE p.id = ${productId}::uuid AND ${productVisibleTo(userId)}
      ), checks AS (
        SELECT ${fileChecks(userId, { preview: input.preview_file_id, downloads: input.download_file_ids, images: input.image_file_ids })}
      ), state AS (
        SELECT t.id, t.status, t.seller_id = ${userId}::uuid AS mine,
               CASE ${status}::text WHEN 'active' THEN t.status IN ('draft', 'inactive', 'active', 'sold_out')
                                    WHEN 'inactive' THEN t.status IN ('active', 'inactive', 'sold_out')
                                    ELSE true END AS transition_ok,
               EXISTS (SELECT 1 FROM product_licenses xl WHERE xl.product_id = t.id AND xl.is_exclusive AND xl.sold_count > 0) AS exclusive_sold,
               (NOT ${sellableRuleApplies} OR COALESCE(${status}::text, t.status) <> 'active'
                OR COALESCE(${model}::text, t.pricing_model) = 'free' OR ${hasOpenLicense("t")}) AS sellable_ok
          FROM target t
      ), updated AS (
        UPDATE products p SET ${sql.join(assignments(productId, input), sql`, `)}
          FROM state s, checks c
         WHERE p.id = s.id AND s.mine AND s.transition_ok AND s.sellable_ok
           AND NOT (${status}::text = 'active' AND s.exclusive_sold) AND ${filesOk}
        RETURNING p.*
      )
      SELECT EXISTS (SELECT 1 FROM target) AS found, s.mine, s.status, s.transition_ok, s.sellable_ok, s.exclusive_sold,
             c.preview_ok, c.downloads_ok, c.images_ok, (SELECT ${productJson(userId)} FROM updated p) AS product
        FROM checks c LEFT JOIN state s ON true`),
  );
  const row = rows[0]!;
  if (row.product) return toProduct(row.product);
  if (!row.found) throw notFound("This product");
  if (!row.mine) throw forbidden("Only its seller may edit a product.");
  if (row.status === "suspended" && status) throw forbidden("A moderator suspended this product; only a moderator can lift the suspension.");
  if (status === "active" && row.exclusive_sold) {
    throw new ApiError("conflict", "An exclusive licence of this product was sold: it cannot go on sale again.");
  }
  if (!row.transition_ok) throw new ApiError("conflict", "A draft is not published: publish it (status active) before taking it off sale.");
  if (!row.sellable_ok) {
    throw new ApiError("conflict", "An active product needs an available licence (or pricing_model free): add a licence first.", {
      errors: [{ path: "json.status", message: "needs an available licence unless the product is free" }],
    });
  }
  throwFileError(row);
  throw new ApiError("conflict", "The product changed while the request ran; retry.");
}
