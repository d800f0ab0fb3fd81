import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { licenseJson, licenseOpen, productVisibleTo, toLicense } from "./product-view";
import { sellerWrite } from "./product-rules";
import type { CreateLicenseInput, License, UpdateLicenseInput } from "./schemas";

/**
 * Licences (spec §10.2) of a seller's product. A licence that holds sold units (sold_count > 0:
 * paid orders and checkouts in progress) keeps what its buyers were sold: its terms, usage rights
 * and exclusivity are frozen, and its distribution limit may only go down (not below the units
 * sold: the CHECK) — raising it would dilute a scarcity buyers paid for. usage_rights in particular
 * are not copied into order items, so changing them would rewrite every past sale. Name, description,
 * price (each order keeps the price it paid) and is_active stay editable; to sell other terms, add a
 * licence. Removing a licence is soft (order items keep pointing at it).
 *
 * An active product that is not free keeps at least one open licence: withdrawing or removing the
 * last one is 409 (take the product off sale first), so "active" always means "can be bought".
 */

type WriteRow = { found: boolean; mine: boolean | null; frozen: boolean | null; last: boolean | null; license: unknown };

const NOT_YOURS = "Only the product's seller may change its licences.";

/** The product's seller is `userId` and they may see it. */
const productOf = (productId: string, userId: string) =>
  sql`SELECT p.id, p.seller_id FROM products p WHERE p.id = ${productId}::uuid AND ${productVisibleTo(userId)}`;

/** POST /v1/products/:id/licenses, one statement. An exclusive licence gets distribution_limit 1. */
export async function createLicense(db: Database, productId: string, userId: string, input: CreateLicenseInput): Promise<License> {
  const limit = input.is_exclusive ? 1 : (input.distribution_limit ?? null);
  const { rows } = await sellerWrite(() =>
    db.execute<WriteRow>(sql`
      WITH target AS (${productOf(productId, userId)}), created AS (
        INSERT INTO product_licenses (product_id, name, description, price, terms, usage_rights, is_exclusive, distribution_limit)
        SELECT t.id, ${input.name}, ${input.description ?? null}, ${input.price}::numeric, ${input.terms},
               ${input.usage_rights ? JSON.stringify(input.usage_rights) : null}::jsonb, ${input.is_exclusive ?? false}, ${limit}::int
          FROM target t WHERE t.seller_id = ${userId}::uuid
        RETURNING *
      )
      SELECT EXISTS (SELECT 1 FROM target) AS found, EXISTS (SELECT 1 FROM target WHERE seller_id = ${userId}::uuid) AS mine,
             (SELECT ${licenseJson("l", "p")} FROM created l JOIN products p ON p.id = l.product_id) AS license`),
  );
  const row = rows[0]!;
  if (row.license) return toLicense(row.license);
  if (!row.found) throw notFound("This product");
  throw forbidden(NOT_YOURS);
}

/**
 * The licence `licenseId` of `productId` (live), with its product's seller and whether some *other*
 * licence of the product is open, and whether the change would leave an active, non-free product
 * with nothing to sell (`leavesNothing` says whether this write closes the licence).
 */
function licenseTarget(productId: string, licenseId: string, userId: string, closes: SQL): SQL {
  return sql`SELECT l.*, p.seller_id,
           (p.status = 'active' AND p.pricing_model <> 'free' AND ${closes}
            AND NOT EXISTS (SELECT 1 FROM product_licenses ol WHERE ol.product_id = p.id AND ol.id <> l.id AND ${licenseOpen("ol")})) AS last
      FROM product_licenses l JOIN products p ON p.id = l.product_id
     WHERE l.id = ${licenseId}::uuid AND l.product_id = ${productId}::uuid AND l.deleted_at IS NULL AND ${productVisibleTo(userId)}`;
}

function answer(row: WriteRow): License {
  if (row.license) return toLicense(row.license);
  if (!row.found) throw notFound("This licence");
  if (!row.mine) throw forbidden(NOT_YOURS);
  if (row.last) throw new ApiError("conflict", "This is the last licence on sale of an active product: take the product off sale (status inactive) first.");
  if (row.frozen) {
    throw new ApiError("conflict", "Units of this licence are sold: its terms, usage rights and exclusivity are what buyers got, and its limit can only go down. Add a new licence instead.");
  }
  throw new ApiError("conflict", "The licence changed while the request ran; retry.");
}

/** PATCH /v1/products/:id/licenses/:licenseId, one statement (the rules are in the file's comment). */
export async function updateLicense(db: Database, productId: string, licenseId: string, userId: string, input: UpdateLicenseInput): Promise<License> {
  const set: SQL[] = [];
  if (input.name !== undefined) set.push(sql`name = ${input.name}`);
  if (input.description !== undefined) set.push(sql`description = ${input.description}`);
  if (input.price !== undefined) set.push(sql`price = ${input.price}::numeric`);
  if (input.terms !== undefined) set.push(sql`terms = ${input.terms}`);
  if (input.usage_rights !== undefined) set.push(sql`usage_rights = ${input.usage_rights === null ? null : JSON.stringify(input.usage_rights)}::jsonb`);
  if (input.is_exclusive !== undefined) set.push(sql`is_exclusive = ${input.is_exclusive}`);
  const limit = input.distribution_limit !== undefined ? input.distribution_limit : input.is_exclusive ? 1 : undefined;
  if (limit !== undefined) set.push(sql`distribution_limit = ${limit}::int`);
  if (input.is_active !== undefined) set.push(sql`is_active = ${input.is_active}`);

  const INF = 2147483647;
  // What sold units freeze: a real change of terms, rights or exclusivity, or a higher (or no) limit.
  const frozenChange = sql`t.sold_count > 0 AND (
       ${input.terms !== undefined ? sql`t.terms IS DISTINCT FROM ${input.terms}` : sql`false`}
    OR ${input.usage_rights !== undefined ? sql`t.usage_rights IS DISTINCT FROM ${input.usage_rights === null ? null : JSON.stringify(input.usage_rights)}::jsonb` : sql`false`}
    OR ${input.is_exclusive !== undefined ? sql`t.is_exclusive IS DISTINCT FROM ${input.is_exclusive}` : sql`false`}
    OR ${limit !== undefined ? sql`COALESCE(${limit}::int, ${INF}) > COALESCE(t.distribution_limit, ${INF})` : sql`false`})`;
  const closes = input.is_active === false ? sql`l.is_active` : sql`false`;
  const { rows } = await sellerWrite(() =>
    db.execute<WriteRow>(sql`
      WITH target AS (${licenseTarget(productId, licenseId, userId, closes)}), updated AS (
        UPDATE product_licenses l SET ${sql.join(set, sql`, `)} FROM target t
         WHERE l.id = t.id AND t.seller_id = ${userId}::uuid AND NOT t.last AND NOT (${frozenChange})
        RETURNING l.*
      )
      SELECT EXISTS (SELECT 1 FROM target) AS found, t.seller_id = ${userId}::uuid AS mine, t.last, (${frozenChange}) AS frozen,
             (SELECT ${licenseJson("l", "p")} FROM updated l JOIN products p ON p.id = l.product_id) AS license
        FROM (SELECT 1) AS one LEFT JOIN target t ON true`),
  );
  return answer(rows[0]!);
}

/** DELETE /v1/products/:id/licenses/:licenseId, one statement: a soft delete (withdrawn from sale too). */
export async function deleteLicense(db: Database, productId: string, licenseId: string, userId: string): Promise<void> {
  const { rows } = await db.execute<WriteRow>(sql`
    WITH target AS (${licenseTarget(productId, licenseId, userId, licenseOpen("l"))}), deleted AS (
      UPDATE product_licenses l SET deleted_at = now(), is_active = false FROM target t
       WHERE l.id = t.id AND t.seller_id = ${userId}::uuid AND NOT t.last
      RETURNING l.id
    )
    SELECT EXISTS (SELECT 1 FROM target) AS found, t.seller_id = ${userId}::uuid AS mine, t.last, false AS frozen,
           (SELECT to_jsonb(d.id) FROM deleted d) AS license
      FROM (SELECT 1) AS one LEFT JOIN target t ON true`);
  const row = rows[0]!;
  if (row.license) return;
  answer(row);
}
