import { sql } from "drizzle-orm";
import { notifyInsert } from "../notifications/notify";
import { newLicenseKey } from "./license-key";

/** A fresh licence key (license-key.ts) per item id. */
export const licenseKeysFor = (itemIds: string[]) => new Map(itemIds.map((id) => [id, newLicenseKey()]));

/**
 * The statements that complete a pending order, for one batch (one transaction): each live item
 * gets its licence key, the order becomes paid — the triggers then count the sales (0007) and put
 * products whose exclusive licence was sold out of sale (0027) — the bought products leave the
 * buyer's cart, with the discount code the order used, and each seller is notified of the sale
 * (a `system` notification: what was sold, for how much; the buyer is its actor). Every statement holds only while the order is
 * (or has just become) paid by this payment, so a batch built from a stale read changes nothing.
 */
export function markPaidStatements(args: { orderId: string; buyerId: string | null; licenseKeys: Map<string, string>; paymentIntentId: string | null }) {
  const keys = [...args.licenseKeys].map(([id, key]) => sql`(${id}::uuid, ${key})`);
  const pending = sql`EXISTS (SELECT 1 FROM orders WHERE id = ${args.orderId}::uuid AND status = 'pending')`;
  return [
    ...(keys.length
      ? [sql`UPDATE order_items oi SET license_key = k.key FROM (VALUES ${sql.join(keys, sql`, `)}) AS k(id, key)
              WHERE oi.id = k.id AND oi.order_id = ${args.orderId}::uuid AND oi.license_key IS NULL AND ${pending}`]
      : []),
    sql`UPDATE orders SET status = 'paid', paid_at = now(), payment_intent_id = ${args.paymentIntentId},
               payment_method = ${args.paymentIntentId ? "stripe" : null}
         WHERE id = ${args.orderId}::uuid AND status = 'pending'`,
    sql`DELETE FROM cart_items ci USING carts c
         WHERE ci.cart_id = c.id AND c.user_id = ${args.buyerId}::uuid
           AND ci.product_id IN (SELECT product_id FROM order_items WHERE order_id = ${args.orderId}::uuid) AND ${paidNow(args.orderId)}`,
    sql`UPDATE carts SET discount_code_id = NULL
         WHERE user_id = ${args.buyerId}::uuid
           AND discount_code_id = (SELECT discount_code_id FROM orders WHERE id = ${args.orderId}::uuid) AND ${paidNow(args.orderId)}`,
    ...(args.buyerId ? [saleNotifications(args.orderId, args.buyerId)] : []),
  ];
}

/** One notification per seller of the order, once it has just been paid (paidNow). */
function saleNotifications(orderId: string, buyerId: string) {
  return sql`
    WITH sold AS (
      SELECT oi.seller_id, o.order_number, o.currency, sum(oi.price)::text AS amount,
             string_agg(oi.product_name, ', ' ORDER BY oi.product_name) AS products
        FROM order_items oi JOIN orders o ON o.id = oi.order_id
       WHERE oi.order_id = ${orderId}::uuid AND oi.revoked_at IS NULL AND ${paidNow(orderId)}
       GROUP BY oi.seller_id, o.order_number, o.currency
    ), notified AS (${notifyInsert({
      from: sql`sold s`,
      recipient: sql`s.seller_id`,
      actor: buyerId,
      type: "system",
      title: sql`'New sale'`,
      body: sql`left(s.products, 280)`,
      data: sql`jsonb_build_object('kind', 'sale', 'order_number', s.order_number, 'amount', s.amount, 'currency', s.currency)`,
    })})
    SELECT count(*) FROM notified`;
}

/**
 * The order became paid in this very transaction (paid_at is the transaction's now()): the guard of
 * what follows a payment (cart clean-up, ledger rows), so a replayed or stale batch adds nothing.
 */
export const paidNow = (orderId: string) =>
  sql`EXISTS (SELECT 1 FROM orders WHERE id = ${orderId}::uuid AND status = 'paid' AND paid_at = now())`;
