import { sql } from "drizzle-orm";
import { blockHides } from "../blocks/either-blocked";
import type { Database } from "../../db/client";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { cartQuery, codeStateJson, hasLicenses, toCart, type CartRow } from "./cart-view";
import { codeUnusable, discountFor, type CodeState } from "./discount";
import type { AddCartItemInput, Cart } from "./schemas";

const invalid = (path: string, message: string) =>
  new ApiError("validation_failed", "The request is not valid.", { errors: [{ path: `json.${path}`, message }] });

/** GET /v1/me/cart: one round trip. */
export async function getCart(db: Database, userId: string): Promise<Cart> {
  const { rows } = await db.execute<CartRow>(cartQuery(userId));
  return toCart(rows[0]!);
}

type AddRow = {
  found: boolean;
  visible: boolean | null;
  status: string | null;
  own: boolean | null;
  has_licenses: boolean | null;
  license_found: boolean | null;
  license_on_sale: boolean | null;
  license_exhausted: boolean | null;
  floor: string | null;
  cart_currency: string | null;
  currency: string | null;
  added: boolean;
};

/**
 * POST /v1/me/cart/items, one round trip (a batch: the write, then the cart as it now is). The
 * statement creates the cart on first use and takes the price snapshot only when every rule holds:
 * the product is on sale (active, not deleted, seller live, no block either way), not the buyer's own, the licence (one
 * must be chosen when the product has licences) is on sale and not exhausted, a pay-what-you-want
 * amount reaches its floor, and the cart holds no other currency. Adding a product again replaces
 * its line. The refusal is derived from what the statement saw.
 */
export async function addCartItem(db: Database, userId: string, input: AddCartItemInput): Promise<Cart> {
  const licenseId = input.license_id ?? null;
  const amount = input.amount ?? null;
  const [added, view] = await db.batch([
    db.execute<AddRow>(sql`
      WITH target AS (
        SELECT p.id, p.seller_id, p.status, p.pricing_model, p.price, p.minimum_price, p.currency,
               (p.deleted_at IS NULL AND s.deleted_at IS NULL AND NOT s.is_banned AND p.status <> 'draft'
                AND NOT ${blockHides(userId, sql`p.seller_id`)}) AS visible,
               ${hasLicenses(sql`p.id`)} AS has_licenses,
               l.id AS license_id, l.price AS license_price,
               (l.is_active AND l.deleted_at IS NULL) AS license_on_sale,
               (l.distribution_limit IS NOT NULL AND l.sold_count >= l.distribution_limit) AS license_exhausted
          FROM products p
          JOIN users s ON s.id = p.seller_id
          LEFT JOIN product_licenses l ON l.id = ${licenseId}::uuid AND l.product_id = p.id
         WHERE p.id = ${input.product_id}::uuid
      ), priced AS (
        SELECT t.*,
               CASE WHEN t.pricing_model = 'pwyw' THEN COALESCE(t.license_price, t.minimum_price, 0) END AS floor,
               CASE t.pricing_model
                 WHEN 'free' THEN 0::numeric
                 WHEN 'pwyw' THEN COALESCE(${amount}::numeric, GREATEST(t.price, COALESCE(t.license_price, t.minimum_price, 0)))
                 ELSE COALESCE(t.license_price, t.price) END AS line_price
          FROM target t
      ), other_currency AS (
        SELECT p.currency
          FROM carts c JOIN cart_items ci ON ci.cart_id = c.id JOIN products p ON p.id = ci.product_id
         WHERE c.user_id = ${userId}::uuid AND ci.product_id <> ${input.product_id}::uuid
           AND p.currency <> (SELECT currency FROM target)
         LIMIT 1
      ), ok AS (
        SELECT * FROM priced
         WHERE visible AND status = 'active' AND seller_id <> ${userId}::uuid
           AND (CASE WHEN has_licenses THEN license_id IS NOT NULL AND license_on_sale AND NOT license_exhausted
                     ELSE ${licenseId}::uuid IS NULL END)
           AND (floor IS NULL OR line_price >= floor)
           AND NOT EXISTS (SELECT 1 FROM other_currency)
      ), cart AS (
        INSERT INTO carts (user_id) SELECT ${userId}::uuid FROM ok
        ON CONFLICT (user_id) DO UPDATE SET updated_at = now()
        RETURNING id
      ), line AS (
        INSERT INTO cart_items (cart_id, product_id, license_id, price)
        SELECT cart.id, ok.id, ok.license_id, ok.line_price FROM cart, ok
        ON CONFLICT (cart_id, product_id) DO UPDATE
          SET license_id = EXCLUDED.license_id, price = EXCLUDED.price, added_at = now()
        RETURNING id
      )
      SELECT p.id IS NOT NULL AS found, p.visible, p.status, p.seller_id = ${userId}::uuid AS own, p.has_licenses,
             p.license_id IS NOT NULL AS license_found, p.license_on_sale, p.license_exhausted, p.floor::text AS floor,
             (SELECT currency FROM other_currency) AS cart_currency, p.currency, EXISTS (SELECT 1 FROM line) AS added
        FROM (SELECT 1) AS one LEFT JOIN priced p ON true`),
    db.execute<CartRow>(cartQuery(userId)),
  ]);
  const row = added.rows[0]!;
  if (row.added) return toCart(view.rows[0]!);
  if (!row.found || !row.visible) throw notFound("This product");
  if (row.own) throw forbidden("You cannot buy your own product.");
  if (row.status === "sold_out") throw new ApiError("conflict", "This product is sold out.");
  if (row.status !== "active") throw new ApiError("conflict", "This product is not on sale.");
  if (row.has_licenses && licenseId === null) throw invalid("license_id", "is required: this product is sold under licences, choose one");
  if (licenseId !== null && !row.license_found) throw invalid("license_id", "is not a licence of this product");
  if (row.has_licenses && !row.license_on_sale) throw new ApiError("conflict", "This licence is no longer on sale.");
  if (row.has_licenses && row.license_exhausted) throw new ApiError("conflict", "This licence is sold out.");
  if (row.cart_currency) {
    throw new ApiError("conflict", `Your cart holds items priced in ${row.cart_currency}; this product is priced in ${row.currency}. A cart holds one currency: check out or remove those first.`);
  }
  throw invalid("amount", `must be at least ${row.floor}`);
}

/** DELETE /v1/me/cart/items/:productId: idempotent; answers the cart. One round trip. */
export async function removeCartItem(db: Database, userId: string, productId: string): Promise<Cart> {
  const [, view] = await db.batch([
    db.execute(sql`DELETE FROM cart_items WHERE product_id = ${productId}::uuid AND cart_id = (SELECT id FROM carts WHERE user_id = ${userId}::uuid)`),
    db.execute<CartRow>(cartQuery(userId)),
  ]);
  return toCart(view.rows[0]!);
}

/** DELETE /v1/me/cart: the cart, its lines and its code are gone (the next add starts a new one). */
export async function clearCart(db: Database, userId: string): Promise<void> {
  await db.execute(sql`DELETE FROM carts WHERE user_id = ${userId}::uuid`);
}

type CodeLookupRow = CartRow & { code: CodeState | null };

/**
 * PUT /v1/me/cart/discount, two round trips: the cart and the code (case-insensitive) are read, the
 * rules of `discountFor` decide — the same function that prices the cart and the checkout — and the
 * code is set on the cart. Unknown, inactive, not yet or no longer valid, below its minimum, or for
 * nothing in the cart: 422; used up: 409. Checkout checks it all again.
 */
export async function applyDiscount(db: Database, userId: string, code: string): Promise<Cart> {
  const { rows } = await db.execute<CodeLookupRow>(sql`
    SELECT cart.*, (SELECT ${codeStateJson} FROM discount_codes d LEFT JOIN users cu ON cu.id = d.creator_id
                     WHERE upper(d.code) = upper(${code})) AS code
      FROM (${cartQuery(userId)}) AS cart`);
  const row = rows[0]!;
  if (!row.code) throw invalid("code", "is not a valid discount code");
  const unusable = codeUnusable(row.code);
  if (unusable?.status === "used_up") throw new ApiError("conflict", `The discount code ${row.code.code} has been used up.`);
  if (unusable) throw invalid("code", unusable.reason);
  if (!row.cart_id || row.items.length === 0) throw invalid("code", "needs something in your cart to apply to");
  const outcome = discountFor(row.code, row.items);
  if (!outcome.applies) throw invalid("code", outcome.reason);
  const [, view] = await db.batch([
    db.execute(sql`UPDATE carts SET discount_code_id = ${row.code.id}::uuid WHERE user_id = ${userId}::uuid`),
    db.execute<CartRow>(cartQuery(userId)),
  ]);
  return toCart(view.rows[0]!);
}

/** DELETE /v1/me/cart/discount: idempotent; one round trip. */
export async function removeDiscount(db: Database, userId: string): Promise<Cart> {
  const [, view] = await db.batch([
    db.execute(sql`UPDATE carts SET discount_code_id = NULL WHERE user_id = ${userId}::uuid AND discount_code_id IS NOT NULL`),
    db.execute<CartRow>(cartQuery(userId)),
  ]);
  return toCart(view.rows[0]!);
}
