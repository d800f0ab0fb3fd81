import { sql, type SQL } from "drizzle-orm";
import { fromMinorUnits, type Stripe } from "../../lib/stripe";
import type { WebhookHandler } from "./handlers";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The payout a transfer paid: by its transfer id once the payout request recorded it, else by the
 * payout id Veza put in the transfer's metadata (the webhook may beat the request's second round
 * trip). A transfer that is neither is not a payout of ours and matches nothing.
 */
function payoutOf(transfer: Stripe.Transfer, sp = "sp"): SQL {
  const payoutId = typeof transfer.metadata?.payoutId === "string" && UUID.test(transfer.metadata.payoutId) ? transfer.metadata.payoutId : null;
  return sql`(${sql.raw(sp)}.stripe_transfer_id = ${transfer.id}
              OR (${sql.raw(sp)}.id = ${payoutId}::uuid AND ${sql.raw(sp)}.stripe_transfer_id IS NULL))`;
}

/**
 * transfer.created: the seller's money reached their Connect account. The payout becomes completed
 * and its ledger row too (it already counted in the balance while pending). A payout that already
 * failed (its transfer reversed, delivered first) stays failed.
 */
export const transferCreated: WebhookHandler = async ({ event, db }) => {
  const transfer = event.data.object as Stripe.Transfer;
  return {
    writes: [
      db.execute(sql`
        WITH sp AS (
          UPDATE seller_payouts sp
             SET status = 'completed', completed_at = now(), processed_at = COALESCE(sp.processed_at, now()),
                 stripe_transfer_id = COALESCE(sp.stripe_transfer_id, ${transfer.id})
           WHERE ${payoutOf(transfer)} AND sp.status IN ('pending', 'processing')
          RETURNING sp.id
        )
        UPDATE transactions t
           SET status = 'completed', completed_at = now(), provider_transaction_id = COALESCE(t.provider_transaction_id, ${transfer.id})
          FROM sp
         WHERE t.payout_id = sp.id AND t.transaction_type = 'payout' AND t.amount < 0 AND t.status = 'pending'`),
    ],
  };
};

/**
 * transfer.reversed: Stripe took (part of) a payout's transfer back, so that money is the seller's
 * to pay out again. The ledger keeps the payout's negative row (the transfer did happen) and gains
 * a positive `payout` row for what was reversed since the last such event (amount_reversed is
 * cumulative over partial reversals); a payout reversed in full becomes failed. The payout row is
 * locked first so two reversal events of one transfer cannot both credit the same amount.
 */
export const transferReversed: WebhookHandler = async ({ event, db }) => {
  const transfer = event.data.object as Stripe.Transfer;
  const reversed = fromMinorUnits(transfer.amount_reversed ?? transfer.amount);
  const reversalId = transfer.reversals?.data?.[0]?.id ?? null;
  return {
    writes: [
      db.execute(sql`SELECT 1 FROM seller_payouts sp WHERE ${payoutOf(transfer)} FOR UPDATE`),
      db.execute(sql`
        WITH target AS (
          SELECT sp.id, sp.seller_id, sp.amount, sp.currency, LEAST(${reversed}::numeric(10,2), sp.amount) AS reversed,
                 (SELECT COALESCE(sum(t.amount), 0) FROM transactions t
                   WHERE t.payout_id = sp.id AND t.transaction_type = 'payout' AND t.amount > 0 AND t.status = 'completed') AS credited
            FROM seller_payouts sp WHERE ${payoutOf(transfer)}
        ), payout AS (
          UPDATE seller_payouts sp
             SET stripe_transfer_id = COALESCE(sp.stripe_transfer_id, ${transfer.id}), processed_at = COALESCE(sp.processed_at, now()),
                 status = CASE WHEN tg.reversed >= sp.amount THEN 'failed' ELSE sp.status END,
                 failed_at = CASE WHEN tg.reversed >= sp.amount THEN now() ELSE sp.failed_at END,
                 failure_reason = CASE WHEN tg.reversed >= sp.amount THEN 'Stripe reversed the transfer; the amount is available again.'
                                       ELSE 'Stripe reversed ' || tg.reversed::text || ' ' || sp.currency || ' of the transfer; that part is available again.' END
            FROM target tg WHERE sp.id = tg.id
          RETURNING sp.id
        ), original AS (
          UPDATE transactions t
             SET status = 'completed', completed_at = COALESCE(t.completed_at, now()), provider_transaction_id = COALESCE(t.provider_transaction_id, ${transfer.id})
            FROM target tg
           WHERE t.payout_id = tg.id AND t.transaction_type = 'payout' AND t.amount < 0 AND t.status = 'pending'
          RETURNING t.id
        )
        INSERT INTO transactions (transaction_type, user_id, payout_id, amount, currency, provider, provider_transaction_id, status, completed_at, metadata)
        SELECT 'payout', tg.seller_id, tg.id, tg.reversed - tg.credited, tg.currency, 'stripe', ${reversalId}, 'completed', now(),
               jsonb_build_object('reversal_of', ${transfer.id}::text)
          FROM target tg WHERE tg.reversed > tg.credited`),
    ],
  };
};
