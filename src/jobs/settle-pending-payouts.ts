import { sql } from "drizzle-orm";
import { recordTransfer, sendTransfer } from "../domains/sellers/payout-transfer";
import { stripeClient } from "../lib/stripe";
import type { JobContext } from "./schedule";

/** A payout request gets its answer from Stripe within seconds; one still pending after this got none. */
export const PAYOUT_SETTLE_AFTER_MINUTES = 15;
/** Payouts per run (each costs one or two Stripe calls and one round trip); the next run takes the rest. */
export const SETTLE_PAYOUTS_BATCH = 20;

type PendingPayout = { id: string; payout_number: string; amount: string; currency: string; destination: string | null };

/**
 * Hourly: a payout whose transfer request got no answer (Stripe or the network down after the
 * library's retries) stays `pending`, its money held. Unless its transfer.created webhook settled it
 * meanwhile, this asks Stripe again: first whether a transfer of the payout's group exists (the
 * first request may have reached Stripe), else it sends the transfer again under the payout's
 * idempotency key — so a payout is never paid twice. The outcome is recorded like the request's.
 * Bounded and idempotent; nothing to do without a Stripe key.
 */
export async function settlePendingPayouts({ db, env, log, now }: JobContext): Promise<Record<string, number>> {
  if (!env.STRIPE_SECRET_KEY) return { pending: 0, settled: 0, failed: 0, unknown: 0 };
  // Not ahead of the database's clock: a request in flight is its own to settle.
  const before = sql`(LEAST(${now.toISOString()}::timestamptz, now()) - make_interval(mins => ${PAYOUT_SETTLE_AFTER_MINUTES}))`;
  const { rows } = await db.execute<PendingPayout>(sql`
    SELECT sp.id, sp.payout_number, sp.amount::text AS amount, sp.currency,
           COALESCE(sp.payout_account_id, sa.stripe_account_id) AS destination
      FROM seller_payouts sp LEFT JOIN seller_accounts sa ON sa.user_id = sp.seller_id
     WHERE sp.status = 'pending' AND sp.stripe_transfer_id IS NULL AND sp.payout_method = 'stripe_connect'
       AND sp.created_at < ${before}
     ORDER BY sp.created_at
     LIMIT ${SETTLE_PAYOUTS_BATCH}`);
  const stripe = stripeClient(env);
  const counts = { pending: rows.length, settled: 0, failed: 0, unknown: 0 };
  for (const payout of rows) {
    if (!payout.destination) {
      counts.unknown++;
      continue;
    }
    let outcome;
    try {
      const existing = await stripe.transfers.list({ transfer_group: payout.payout_number, limit: 1 });
      outcome = existing.data[0]
        ? ({ kind: "made", transferId: existing.data[0].id } as const)
        : await sendTransfer(stripe, log, payout, payout.destination);
    } catch (error) {
      log.warn("payout.settle_lookup_failed", { payoutId: payout.id, error: String(error) });
      outcome = { kind: "unknown" } as const;
    }
    if (outcome.kind === "unknown") {
      counts.unknown++;
      continue;
    }
    await recordTransfer(db, payout.id, outcome);
    if (outcome.kind === "made") counts.settled++;
    else counts.failed++;
  }
  return counts;
}
