import { sql } from "drizzle-orm";
import type { JobContext } from "./schedule";

/** §18.1: orders, order items and transactions are kept 7 years (legal obligation), then anonymised. */
export const TRANSACTIONAL_RETENTION_YEARS = 7;
/** Orders (with their discount uses) and ledger rows per statement and run; the next run takes the rest. */
export const RETIRE_BATCH = 1000;

/**
 * Daily (§18.2): once a sale is older than the legal period, nothing of it leads back to a person.
 * - orders: no buyer, the billing identity replaced by an address derived from the order id (the
 *   column is NOT NULL), no Stripe session, payment intent or idempotency key (Stripe could map them
 *   back to a card); totals, items, licence keys and terms stay — the aggregate record of the sale;
 * - discount uses of those orders: no user;
 * - transactions: no user, no provider id, no metadata.
 * Payouts keep their seller (a NOT NULL reference, RESTRICT: sellers are anonymised accounts, not
 * deleted ones) but lose the payout account. Idempotent: each statement picks only rows still to
 * do (the partial indexes of 0029). One round trip.
 */
export async function retireTransactionalRecords({ db, now }: JobContext): Promise<Record<string, number>> {
  // Never ahead of the database's clock: a legal record is not retired early, whatever time a
  // replayed or misconfigured cron claims.
  const before = sql`(LEAST(${now.toISOString()}::timestamptz, now()) - make_interval(years => ${TRANSACTIONAL_RETENTION_YEARS}))`;
  const { rows } = await db.execute<{ orders: number; discountUses: number; transactions: number; payouts: number }>(sql`
    WITH expired_orders AS (
      SELECT id FROM orders
       WHERE created_at < ${before} AND billing_email NOT LIKE 'expired\_%'
       ORDER BY created_at
       LIMIT ${RETIRE_BATCH}
         FOR UPDATE SKIP LOCKED
    ), orders_done AS (
      UPDATE orders o SET
        user_id = NULL,
        billing_email = 'expired_' || o.id::text || '@anonymized.local',
        billing_name = NULL,
        billing_address = NULL,
        payment_intent_id = NULL,
        stripe_checkout_session_id = NULL,
        idempotency_key = NULL
        FROM expired_orders e
       WHERE o.id = e.id
      RETURNING o.id
    ), uses_done AS (
      UPDATE discount_code_usage SET user_id = NULL
       WHERE order_id IN (SELECT id FROM orders_done) AND user_id IS NOT NULL
      RETURNING 1
    ), transactions_done AS (
      UPDATE transactions SET user_id = NULL, metadata = NULL, provider_transaction_id = NULL
       WHERE id IN (
         SELECT id FROM transactions
          WHERE created_at < ${before}
            AND (user_id IS NOT NULL OR metadata IS NOT NULL OR provider_transaction_id IS NOT NULL)
          ORDER BY created_at
          LIMIT ${RETIRE_BATCH}
            FOR UPDATE SKIP LOCKED)
      RETURNING 1
    ), payouts_done AS (
      UPDATE seller_payouts SET payout_account_id = NULL
       WHERE id IN (
         SELECT id FROM seller_payouts
          WHERE created_at < ${before} AND payout_account_id IS NOT NULL
          LIMIT ${RETIRE_BATCH}
            FOR UPDATE SKIP LOCKED)
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM orders_done)::int AS "orders",
           (SELECT count(*) FROM uses_done)::int AS "discountUses",
           (SELECT count(*) FROM transactions_done)::int AS "transactions",
           (SELECT count(*) FROM payouts_done)::int AS "payouts"`);
  return rows[0]!;
}
