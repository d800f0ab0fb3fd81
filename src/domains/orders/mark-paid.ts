import { sql } from "drizzle-orm";
import { newLicenseKey } from "./license-key";

/** A fresh licence key (license-key.ts) per item id. */
export const licenseKeysFor = (itemIds: string[]) => new Map(itemIds.map((id) => [id, newLicenseKey()]));

/**
 * The statements that complete a pending order, for one batch (one transaction): each live item
 * gets its licence key, the order becomes paid — the triggers then count the sales (0007) and put
 * products whose exclusive licence was sold out of sale (0027) — and the bought products leave the
 * buyer's cart, with the discount code the order used. Every statement holds only while the order is
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
  ];
}

/**
 * The order became paid in this very transaction (paid_at is the transaction's now()): the guard of
 * what follows a payment (cart clean-up, ledger rows), so a replayed or stale batch adds nothing.
 */
export const paidNow = (orderId: string) =>
  sql`EXISTS (SELECT 1 FROM orders WHERE id = ${orderId}::uuid AND status = 'paid' AND paid_at = now())`;
