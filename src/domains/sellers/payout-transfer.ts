import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { Logger } from "../../lib/logger";
import { toMinorUnits, type Stripe } from "../../lib/stripe";
import { payoutJson, toPayout } from "./payout-view";
import type { Payout } from "./schemas";
import { isStripeRefusal } from "./stripe-trouble";

/** What Stripe said to a payout's transfer: made, refused (final), or nothing (the outcome is unknown). */
export type TransferOutcome = { kind: "made"; transferId: string } | { kind: "refused"; reason: string } | { kind: "unknown" };

export interface PayoutToTransfer {
  id: string;
  payout_number: string;
  amount: string;
  currency: string;
}

/**
 * The Stripe Connect transfer that pays `payout` to `destination`, keyed by the payout's id: a
 * retry within Stripe's idempotency window gets the same transfer, never a second one. The
 * transfer group is the payout number, so the transfer can also be found after that window.
 */
export async function sendTransfer(stripe: Stripe, log: Logger, payout: PayoutToTransfer, destination: string): Promise<TransferOutcome> {
  try {
    const transfer = await stripe.transfers.create(
      {
        amount: toMinorUnits(payout.amount),
        currency: payout.currency.toLowerCase(),
        destination,
        metadata: { payoutId: payout.id, payoutNumber: payout.payout_number },
        transfer_group: payout.payout_number,
      },
      { idempotencyKey: `payout-${payout.id}` },
    );
    return { kind: "made", transferId: transfer.id };
  } catch (error) {
    if (!isStripeRefusal(error)) {
      log.error("payout.transfer_unknown", { payoutId: payout.id, error: String(error) });
      return { kind: "unknown" };
    }
    log.info("payout.transfer_refused", { payoutId: payout.id, code: error.code ?? null });
    // Stripe's own message may describe the platform's account: the seller gets its code only.
    return { kind: "refused", reason: `Stripe refused the transfer${error.code ? ` (${error.code})` : ""}; the amount is available again.` };
  }
}

/**
 * Records a transfer's outcome, one statement: `processing` with the transfer's id (a payout a
 * webhook already settled keeps its status), or, when Stripe refused, `failed` with its ledger row
 * cancelled so the amount is available again. null when the payout was no longer pending to fail.
 */
export async function recordTransfer(db: Database, payoutId: string, outcome: Exclude<TransferOutcome, { kind: "unknown" }>): Promise<Payout | null> {
  const { rows } = await db.execute<{ payout: unknown }>(
    outcome.kind === "made"
      ? sql`
        WITH sp AS (
          UPDATE seller_payouts sp
             SET stripe_transfer_id = COALESCE(sp.stripe_transfer_id, ${outcome.transferId}),
                 status = CASE WHEN sp.status = 'pending' THEN 'processing' ELSE sp.status END,
                 processed_at = COALESCE(sp.processed_at, now())
           WHERE sp.id = ${payoutId}::uuid RETURNING sp.*
        ), entry AS (
          UPDATE transactions t SET provider_transaction_id = COALESCE(t.provider_transaction_id, ${outcome.transferId})
           WHERE t.payout_id = ${payoutId}::uuid AND t.transaction_type = 'payout' AND t.amount < 0 RETURNING t.id
        )
        SELECT ${payoutJson("sp")} AS payout FROM sp`
      : sql`
        WITH sp AS (
          UPDATE seller_payouts sp SET status = 'failed', failed_at = now(), failure_reason = ${outcome.reason}
           WHERE sp.id = ${payoutId}::uuid AND sp.status = 'pending' RETURNING sp.*
        ), entry AS (
          UPDATE transactions t SET status = 'cancelled', metadata = COALESCE(t.metadata, '{}'::jsonb) || jsonb_build_object('failure_reason', ${outcome.reason}::text)
            FROM sp WHERE t.payout_id = sp.id AND t.transaction_type = 'payout' AND t.status = 'pending' RETURNING t.id
        )
        SELECT ${payoutJson("sp")} AS payout FROM sp`,
  );
  return rows[0] ? toPayout(rows[0].payout) : null;
}
