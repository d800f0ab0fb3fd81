import { sql, type SQL } from "drizzle-orm";
import { parseJson } from "../../lib/json-value";
import { blockHides } from "../blocks/either-blocked";
import { iso } from "../tracks/track-view";
import type { License, Product, ProductSummary } from "./schemas";

/**
 * How a product is seen, sold and shaped. Every fragment is written over a `products` row under an
 * alias (default `p`) and reads everything else through correlated subqueries, so it fits any FROM:
 * the table, a keyset scan, or the RETURNING of a write in the same statement (one round trip).
 *
 * Listed (browse, storefronts): not deleted, status active or sold_out (sold out: visible, not for
 * sale), and the seller live (neither banned nor deleted). Visible to a viewer: listed and no block
 * either way; the seller also sees their drafts, inactive and suspended products; a buyer still sees
 * a product they hold a live purchase of after it left the catalogue (inactive, sold out, deleted),
 * for their order history — unless a moderator suspended it. A seller's profile being private does
 * not hide their products: a listing is a public offer.
 */

const alias = (a: string) => sql.raw(a);

/** The seller of the product under `a` is neither banned nor deleted. */
export const sellerLive = (a = "p"): SQL =>
  sql`EXISTS (SELECT 1 FROM users su WHERE su.id = ${alias(a)}.seller_id AND su.deleted_at IS NULL AND NOT su.is_banned)`;

/** Not deleted, on sale or sold out: what browse and storefronts list (with `sellerLive`). */
export const productListed = (a = "p"): SQL => sql`${alias(a)}.deleted_at IS NULL AND ${alias(a)}.status IN ('active', 'sold_out')`;

/**
 * The product under `a` can be bought now (the checkout's rule, for cart and orders): active, not
 * deleted, its seller live. A licence must also be `licenseOpen` unless the product is free.
 */
export const productForSale = (a = "p"): SQL =>
  sql`(${alias(a)}.status = 'active' AND ${alias(a)}.deleted_at IS NULL AND ${sellerLive(a)})`;

/** The licence under `l` can still be sold: active, not deleted, units left. Says nothing of its product. */
export const licenseOpen = (l = "l"): SQL =>
  sql`(${alias(l)}.is_active AND ${alias(l)}.deleted_at IS NULL AND (${alias(l)}.distribution_limit IS NULL OR ${alias(l)}.sold_count < ${alias(l)}.distribution_limit))`;

/** The licence under `l` of the product under `a` can be bought now. */
export const licenseAvailable = (l = "l", a = "p"): SQL => sql`(${licenseOpen(l)} AND ${productForSale(a)})`;

/** Some licence of the product under `a` is open. */
export const hasOpenLicense = (a = "p"): SQL =>
  sql`EXISTS (SELECT 1 FROM product_licenses ol WHERE ol.product_id = ${alias(a)}.id AND ${licenseOpen("ol")})`;

/** The product under `a` is for sale and something of it can be bought: free, or an open licence. */
export const productBuyable = (a = "p"): SQL => sql`(${productForSale(a)} AND (${alias(a)}.pricing_model = 'free' OR ${hasOpenLicense(a)}))`;

/** `viewerId` holds a live order item of a paid (processing, completed) order for the product under `a`. */
export const purchasedBy = (viewerId: string | null, a = "p"): SQL =>
  viewerId
    ? sql`EXISTS (SELECT 1 FROM orders bo JOIN order_items boi ON boi.order_id = bo.id
                   WHERE bo.user_id = ${viewerId}::uuid AND bo.status IN ('paid', 'processing', 'completed')
                     AND boi.product_id = ${alias(a)}.id AND boi.revoked_at IS NULL)`
    : sql`false`;

/** The viewer may see the product under `a` (see the file's comment). */
export function productVisibleTo(viewerId: string | null, a = "p"): SQL {
  const p = alias(a);
  const reachable = sql`${sellerLive(a)} AND NOT ${blockHides(viewerId, sql`${p}.seller_id`)}`;
  if (!viewerId) return sql`(${productListed(a)} AND ${reachable})`;
  return sql`((${p}.deleted_at IS NULL AND ${p}.seller_id = ${viewerId}::uuid)
    OR (${productListed(a)} AND ${reachable})
    OR (${p}.status <> 'suspended' AND ${reachable} AND ${purchasedBy(viewerId, a)}))`;
}


/** Paths the JSON hands out (GET them with the product's visibility). */
export const previewPath = (productId: string) => `/v1/products/${productId}/preview`;
export const imagePath = (productId: string, fileId: string) => `/v1/products/${productId}/images/${fileId}`;

/** A live file of the seller's, under alias `f`. */
const sellerFile = (f: string, a: string) => sql.raw(`${f}.user_id = ${a}.seller_id AND ${f}.deleted_at IS NULL`);

/** The licence under `l` (of the product under `a`) as `LicenseSchema`'s jsonb. */
export function licenseJson(l = "l", a = "p"): SQL {
  const x = alias(l);
  return sql`jsonb_build_object(
    'id', ${x}.id, 'product_id', ${x}.product_id, 'name', ${x}.name, 'description', ${x}.description, 'price', ${x}.price::text,
    'terms', ${x}.terms, 'usage_rights', ${x}.usage_rights, 'is_exclusive', ${x}.is_exclusive,
    'distribution_limit', ${x}.distribution_limit, 'sold_count', ${x}.sold_count,
    'remaining', ${x}.distribution_limit - ${x}.sold_count, 'is_active', ${x}.is_active,
    'available', ${licenseAvailable(l, a)},
    'created_at', ${iso(`${l}.created_at`)}, 'updated_at', ${iso(`${l}.updated_at`)})`;
}

/** The summary jsonb (`ProductSummarySchema`) of the product under `a`. Put `productVisibleTo` in the WHERE. */
export function productSummaryJson(a = "p"): SQL {
  const p = alias(a);
  return sql`jsonb_build_object(
    'id', ${p}.id, 'slug', ${p}.slug, 'name', ${p}.name, 'category', ${p}.category,
    'tags', COALESCE(to_jsonb(${p}.tags), '[]'::jsonb), 'price', ${p}.price::text, 'currency', ${p}.currency,
    'pricing_model', ${p}.pricing_model, 'minimum_price', ${p}.minimum_price::text,
    'bpm', ${p}.bpm, 'musical_key', ${p}.musical_key, 'genre', ${p}.genre, 'status', ${p}.status,
    'for_sale', ${productBuyable(a)},
    'thumbnail_url', (SELECT '/v1/products/' || ${p}.id || '/images/' || ti.id
                        FROM unnest(${p}.image_file_ids) WITH ORDINALITY AS tx(file_id, n)
                        JOIN files ti ON ti.id = tx.file_id AND ${sellerFile("ti", a)}
                       ORDER BY tx.n LIMIT 1),
    'preview_url', (SELECT '/v1/products/' || ${p}.id || '/preview' FROM files pf
                     WHERE pf.id = ${p}.preview_file_id AND ${sellerFile("pf", a)} AND pf.mime_type LIKE 'audio/%'),
    'seller', (SELECT jsonb_build_object('id', u.id, 'username', u.username, 'display_name', u.display_name, 'avatar_url', up.avatar_url)
                 FROM users u LEFT JOIN user_profiles up ON up.user_id = u.id WHERE u.id = ${p}.seller_id),
    'favorite_count', ${p}.favorite_count, 'sale_count', ${p}.sale_count, 'review_count', ${p}.review_count,
    'average_rating', ${p}.average_rating::float8, 'published_at', ${iso(`${a}.published_at`)})`;
}

/**
 * The product page's jsonb (`ProductSchema`) of the product under `a`, as `viewerId` sees it: the
 * summary, its images and preview, its licences (the seller also sees withdrawn ones), and the
 * viewer's `favorited`/`purchased`. The deliverables' ids and the suspension's reason are the
 * seller's only. `viewsAdded` is added to view_count (a view counted in the same statement).
 */
export function productJson(viewerId: string | null, a = "p", viewsAdded: SQL = sql`0`): SQL {
  const p = alias(a);
  const owner = viewerId ? sql`${p}.seller_id = ${viewerId}::uuid` : sql`false`;
  return sql`(${productSummaryJson(a)} || jsonb_build_object(
    'description', ${p}.description, 'formats', COALESCE(to_jsonb(${p}.formats), '[]'::jsonb),
    'license_type', ${p}.license_type, 'demo_url', ${p}.demo_url,
    'images', COALESCE((SELECT jsonb_agg(jsonb_build_object('id', fi.id, 'url', '/v1/products/' || ${p}.id || '/images/' || fi.id, 'mime_type', fi.mime_type) ORDER BY ix.n)
                          FROM unnest(${p}.image_file_ids) WITH ORDINALITY AS ix(file_id, n)
                          JOIN files fi ON fi.id = ix.file_id AND ${sellerFile("fi", a)}), '[]'::jsonb),
    'preview', (SELECT jsonb_build_object('id', fp.id, 'url', '/v1/products/' || ${p}.id || '/preview', 'mime_type', fp.mime_type) FROM files fp
                 WHERE fp.id = ${p}.preview_file_id AND ${sellerFile("fp", a)} AND fp.mime_type LIKE 'audio/%'),
    'download_file_count', (SELECT count(*)::int FROM files fd WHERE fd.id = ANY(COALESCE(${p}.download_file_ids, '{}')) AND ${sellerFile("fd", a)}),
    'licenses', COALESCE((SELECT jsonb_agg(${licenseJson("l", a)} ORDER BY l.price, l.created_at, l.id)
                            FROM product_licenses l
                           WHERE l.product_id = ${p}.id AND l.deleted_at IS NULL AND (l.is_active OR ${owner})), '[]'::jsonb),
    'view_count', ${p}.view_count + ${viewsAdded},
    'favorited', ${viewerId ? sql`EXISTS (SELECT 1 FROM product_favorites mf WHERE mf.product_id = ${p}.id AND mf.user_id = ${viewerId}::uuid)` : sql`false`},
    'purchased', ${purchasedBy(viewerId, a)},
    'created_at', ${iso(`${a}.created_at`)}, 'updated_at', ${iso(`${a}.updated_at`)})
  || CASE WHEN ${owner} THEN jsonb_build_object(
       'download_file_ids', COALESCE(to_jsonb(${p}.download_file_ids), '[]'::jsonb), 'preview_file_id', ${p}.preview_file_id,
       'suspension_reason', ${p}.suspension_reason, 'suspended_at', ${iso(`${a}.suspended_at`)})
     ELSE '{}'::jsonb END)`;
}

/** Columns the driver hands back parsed or as text, typed. */
export const toProduct = (value: unknown): Product => parseJson<Product>(value)!;
export const toSummary = (value: unknown): ProductSummary => parseJson<ProductSummary>(value)!;
export const toLicense = (value: unknown): License => parseJson<License>(value)!;
