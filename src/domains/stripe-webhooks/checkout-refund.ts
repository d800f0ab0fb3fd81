import { sql } from "drizzle-orm";
import type { Stripe } from "../../lib/stripe";
import { toMinorUnits } from "../../lib/stripe";
import { ledgerInsert, refundEntries, type SellerBalance } from "../orders/ledger";
import { RetryLater, type WebhookHandler } from "./handlers";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type RefundState = {
  id: string;
  user_id: string | null;
  status: string;
  currency: string;
  /** What the ledger already records as refunded (positive). */
  refunded: string;
  balances: Array<{ seller_id: string; sale: string; commission: string }>;
};

/**
 * charge.refunded: Stripe sends the charge with its cumulative `amount_refunded`, so the refund to
 * record is what the ledger does not have yet — repeated, reordered or combined refund events each
 * add only their own part. A full refund makes the order 'refunded' (its trigger revokes the items:
 * downloads stop, licence units come back) and reverses exactly what each seller still holds; a
 * partial refund keeps the order paid and its downloads, and is taken back from the sellers in
 * proportion (ledger.ts). A refund of an order whose payment was not applied yet waits (409, Stripe
 * retries); a charge that is not an order's is acknowledged and ignored.
 */
export const refundCharge: WebhookHandler = async ({ event, db, log }) => {
  const charge = event.data.object as Stripe.Charge;
  const paymentIntentId = typeof charge.payment_intent === "string" ? charge.payment_intent : (charge.payment_intent?.id ?? null);
  const metaOrderId = charge.metadata?.orderId && UUID.test(charge.metadata.orderId) ? charge.metadata.orderId : null;
  const { rows } = await db.execute<RefundState>(sql`
    SELECT o.id, o.user_id, o.status, o.currency,
           COALESCE(-(SELECT sum(t.amount) FROM transactions t WHERE t.order_id = o.id AND t.transaction_type = 'refund'), 0)::text AS refunded,
           COALESCE((SELECT json_agg(json_build_object('seller_id', s.user_id, 'sale', s.sale::text, 'commission', s.commission::text) ORDER BY s.user_id)
                       FROM (SELECT t.user_id, sum(t.amount) FILTER (WHERE t.transaction_type = 'sale') AS sale,
                                    sum(t.amount) FILTER (WHERE t.transaction_type = 'commission') AS commission
                               FROM transactions t
                              WHERE t.order_id = o.id AND t.transaction_type IN ('sale', 'commission') AND t.user_id IS NOT NULL
                              GROUP BY t.user_id) s), '[]'::json) AS balances
      FROM orders o
     WHERE o.payment_intent_id = ${paymentIntentId} OR o.id = ${metaOrderId}::uuid
     ORDER BY (o.payment_intent_id = ${paymentIntentId}) DESC NULLS LAST
     LIMIT 1`);
  const order = rows[0];
  if (!order) {
    log.info("stripe.refund_not_an_order", { chargeId: charge.id });
    return { writes: [] };
  }
  if (order.status === "pending") throw new RetryLater(`order ${order.id} is not paid yet`);
  if (order.status === "cancelled") {
    log.error("stripe.refund_of_cancelled_order", { orderId: order.id, chargeId: charge.id });
    return { writes: [] };
  }
  const amount = charge.amount_refunded - toMinorUnits(order.refunded);
  if (amount <= 0) return { writes: [] };
  const full = charge.refunded || charge.amount_refunded >= charge.amount;
  const latest = [...(charge.refunds?.data ?? [])].sort((a, b) => b.created - a.created)[0];
  const refundId = latest?.id ?? `${charge.id}:${charge.amount_refunded}`;
  const balances: SellerBalance[] = order.balances.map((b) => ({ seller_id: b.seller_id, sale: toMinorUnits(b.sale ?? "0"), commission: toMinorUnits(b.commission ?? "0") }));
  const entries = refundEntries({ buyerId: order.user_id, amount, full, refundId, balances });
  const statements = [
    ...(full
      ? [sql`UPDATE orders SET status = 'refunded', refunded_at = now() WHERE id = ${order.id}::uuid AND status IN ('paid', 'processing', 'completed')`]
      : []),
    ledgerInsert(order.id, order.currency, entries),
  ];
  log.info("stripe.refund_recorded", { orderId: order.id, amount, full });
  return { writes: statements.map((s) => db.execute(s)) };
};
