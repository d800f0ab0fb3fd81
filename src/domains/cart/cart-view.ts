import { sql, type SQL } from "drizzle-orm";
import { blockHides } from "../blocks/either-blocked";
import { fromMinorUnits, toMinorUnits } from "../../lib/stripe";
import { iso } from "../tracks/track-view";
import { discountFor, type CodeState } from "./discount";
import type { Cart } from "./schemas";

/**
 * A cart line as the database sees it now. Lines of products that are deleted, or whose seller is
 * banned or deleted, are left out (content of such accounts is hidden from others) and so are not
 * counted or bought; they come back if the seller does.
 */
export type CartLineRow = {
  product_id: string;
  product_name: string;
  product_slug: string;
  product_description: string;
  seller_id: string;
  seller_username: string;
  license_id: string | null;
  license_name: string | null;
  license_terms: string | null;
  /** The price snapshot taken when the line was added: what checkout charges. */
  price: string;
  /** What the line would cost if added now (for pay-what-you-want: the floor). */
  current_price: string;
  currency: string;
  price_changed: boolean;
  unavailable_reason: "sold_out" | "not_on_sale" | "license_required" | "license_withdrawn" | null;
  download_file_ids: string[] | null;
  added_at: string;
};

export type CartRow = { cart_id: string | null; email: string; discount_code: CodeState | null; items: CartLineRow[] };

/** The columns of a discount code `d` (creator `cu`) as CodeState. */
export const codeStateJson = sql`json_build_object(
  'id', d.id, 'code', d.code, 'discount_type', d.discount_type, 'discount_value', d.discount_value::text,
  'minimum_purchase_amount', d.minimum_purchase_amount::text, 'maximum_discount_amount', d.maximum_discount_amount::text,
  'usage_limit', d.usage_limit, 'usage_count', d.usage_count, 'valid_from', ${iso("d.valid_from")}, 'valid_until', ${iso("d.valid_until")},
  'is_active', d.is_active, 'started', d.valid_from <= now(), 'ended', d.valid_until <= now(), 'creator_id', d.creator_id,
  'creator_is_admin', COALESCE(cu.role = 'admin', false),
  'creator_live', COALESCE(cu.deleted_at IS NULL AND NOT cu.is_banned, false))`;

/** The live licences of a product `p`: buying it then means choosing one. */
export const hasLicenses = (product: SQL) =>
  sql`EXISTS (SELECT 1 FROM product_licenses x WHERE x.product_id = ${product} AND x.deleted_at IS NULL)`;

/**
 * The user's cart, its applied code and its visible lines (with what checkout snapshots), as one
 * statement: one row even when the user has no cart yet. The lines of a seller who is banned,
 * deleted, or on either side of a block with the user are hidden: not counted, not bought.
 */
export function cartQuery(userId: string): SQL {
  const current = sql`(CASE p.pricing_model WHEN 'free' THEN 0::numeric
                         WHEN 'pwyw' THEN COALESCE(l.price, p.minimum_price, 0)
                         ELSE COALESCE(l.price, p.price) END)`;
  return sql`
    SELECT c.id AS cart_id, u.email,
           (SELECT ${codeStateJson} FROM discount_codes d LEFT JOIN users cu ON cu.id = d.creator_id WHERE d.id = c.discount_code_id) AS discount_code,
           COALESCE((
             SELECT json_agg(json_build_object(
                      'product_id', p.id, 'product_name', p.name, 'product_slug', p.slug, 'product_description', p.description,
                      'seller_id', s.id, 'seller_username', s.username,
                      'license_id', l.id, 'license_name', l.name, 'license_terms', l.terms,
                      'price', ci.price::text, 'current_price', ${current}::text, 'currency', p.currency,
                      'price_changed', CASE WHEN p.pricing_model = 'pwyw' THEN ci.price < ${current} ELSE ci.price <> ${current} END,
                      'unavailable_reason', CASE
                         WHEN p.status = 'sold_out' THEN 'sold_out'
                         WHEN p.status <> 'active' THEN 'not_on_sale'
                         WHEN l.id IS NULL AND ${hasLicenses(sql`p.id`)} THEN 'license_required'
                         WHEN l.id IS NOT NULL AND (NOT l.is_active OR l.deleted_at IS NOT NULL) THEN 'license_withdrawn'
                         WHEN l.distribution_limit IS NOT NULL AND l.sold_count >= l.distribution_limit THEN 'sold_out' END,
                      'download_file_ids', p.download_file_ids,
                      'added_at', ${iso("ci.added_at")})
                    ORDER BY ci.added_at, ci.id)
               FROM cart_items ci
               JOIN products p ON p.id = ci.product_id
               JOIN users s ON s.id = p.seller_id
               LEFT JOIN product_licenses l ON l.id = ci.license_id
              WHERE ci.cart_id = c.id AND p.deleted_at IS NULL AND s.deleted_at IS NULL AND NOT s.is_banned
                AND NOT ${blockHides(userId, sql`s.id`)}), '[]'::json) AS items
      FROM users u LEFT JOIN carts c ON c.user_id = u.id
     WHERE u.id = ${userId}::uuid`;
}

/** The cart as the API answers it: totals and the discount computed here, from the snapshots. */
export function toCart(row: CartRow): Cart {
  const outcome = discountFor(row.discount_code, row.items);
  const subtotal = row.items.reduce((sum, l) => sum + toMinorUnits(l.price), 0);
  return {
    id: row.cart_id,
    currency: row.items[0]?.currency ?? null,
    items: row.items.map((l) => ({
      product_id: l.product_id,
      product_name: l.product_name,
      product_slug: l.product_slug,
      seller: { id: l.seller_id, username: l.seller_username },
      license: l.license_id ? { id: l.license_id, name: l.license_name! } : null,
      price: l.price,
      current_price: l.current_price,
      price_changed: l.price_changed,
      available: l.unavailable_reason === null,
      unavailable_reason: l.unavailable_reason,
      discount: fromMinorUnits(outcome.perLine.get(l.product_id) ?? 0),
      currency: l.currency,
      added_at: l.added_at,
    })),
    item_count: row.items.length,
    subtotal: fromMinorUnits(subtotal),
    discount: fromMinorUnits(outcome.amount),
    total: fromMinorUnits(subtotal - outcome.amount),
    discount_code: row.discount_code
      ? {
          code: row.discount_code.code,
          discount_type: row.discount_code.discount_type,
          discount_value: row.discount_code.discount_value,
          applies: outcome.applies,
          reason: outcome.applies ? null : outcome.reason,
        }
      : null,
  };
}
