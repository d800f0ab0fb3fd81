import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { Env } from "../../env";
import { ApiError } from "../../lib/errors";
import type { Logger } from "../../lib/logger";
import { stripeClient } from "../../lib/stripe";
import { availableBalance, DEFAULT_CURRENCY } from "./balance";
import { payoutJson, toPayout } from "./payout-view";
import { recordTransfer, sendTransfer } from "./payout-transfer";
import type { CreatePayoutInput, Payout } from "./schemas";

type RequestedRow = {
  has_account: boolean;
  payouts_enabled: boolean;
  available: string;
  amount: string | null;
  payout: unknown;
  stripe_account_id: string | null;
};

/**
 * Round trip 1, one transaction: lock the seller's account row, then — in a statement that starts
 * after the lock is granted, so under READ COMMITTED it sees every payout committed by a request
 * that held the lock before — check the balance and write the payout and its negative ledger row.
 * Two concurrent requests queue on the lock; the second sees the first's row and cannot overdraw.
 */
async function reservePayout(db: Database, userId: string, currency: string, amount: string | null) {
  const [, reserved] = await db.batch([
    db.execute(sql`SELECT 1 FROM seller_accounts WHERE user_id = ${userId}::uuid FOR UPDATE`),
    db.execute<RequestedRow>(sql`
      WITH account AS (
        SELECT sa.stripe_account_id, sa.payouts_enabled FROM seller_accounts sa WHERE sa.user_id = ${userId}::uuid
      ), balance AS (
        SELECT ${availableBalance(userId, currency)} AS available
      ), wanted AS (
        SELECT COALESCE(${amount}::numeric(10,2), b.available) AS amount, b.available FROM balance b
      ), payout AS (
        INSERT INTO seller_payouts (seller_id, amount, currency, payout_method, payout_account_id, status)
        SELECT ${userId}::uuid, w.amount, ${currency}, 'stripe_connect', a.stripe_account_id, 'pending'
          FROM account a, wanted w
         WHERE a.payouts_enabled AND w.amount > 0 AND w.amount <= w.available
        RETURNING *
      ), entry AS (
        INSERT INTO transactions (transaction_type, user_id, payout_id, amount, currency, provider, status, metadata)
        SELECT 'payout', sp.seller_id, sp.id, -sp.amount, sp.currency, 'stripe', 'pending', jsonb_build_object('payout_number', sp.payout_number)
          FROM payout sp
        RETURNING id
      )
      SELECT EXISTS (SELECT 1 FROM account) AS has_account, COALESCE((SELECT payouts_enabled FROM account), false) AS payouts_enabled,
             (SELECT available::text FROM wanted) AS available, (SELECT amount::text FROM wanted) AS amount,
             (SELECT stripe_account_id FROM account) AS stripe_account_id,
             (SELECT ${payoutJson("sp")} FROM payout sp) AS payout`),
  ]);
  return reserved.rows[0]!;
}

/**
 * POST /v1/me/seller/payouts: moves (part of) the available balance to the seller's Connect account.
 * Round trip 1 reserves it (reservePayout); then the Stripe transfer, keyed by the payout's id so a
 * retry never pays twice; round trip 2 records the outcome: `processing` with the transfer's id, or,
 * when Stripe refused, `failed` with its ledger row cancelled so the amount is available again.
 * When Stripe did not answer, the payout stays `pending` (the money held): the transfer may exist,
 * and its transfer.created webhook settles it by metadata.payoutId; if none comes, the hourly
 * settle-pending-payouts job asks Stripe again (src/jobs/settle-pending-payouts.ts).
 */
export async function createPayout(db: Database, env: Env, log: Logger, userId: string, input: CreatePayoutInput): Promise<Payout> {
  const stripe = stripeClient(env);
  const currency = input.currency ?? DEFAULT_CURRENCY;
  const row = await reservePayout(db, userId, currency, input.amount ?? null);
  if (!row.payout) {
    if (!row.has_account) throw new ApiError("conflict", "You have no seller account yet: start with POST /v1/me/seller/onboarding.");
    if (!row.payouts_enabled) throw new ApiError("conflict", "Stripe has not enabled payouts on your account yet: finish its onboarding.");
    const detail = Number(row.amount) <= 0 ? `There is nothing to pay out in ${currency}.` : `The amount is more than your available balance (${row.available} ${currency}).`;
    throw new ApiError("validation_failed", detail, { errors: [{ path: "json.amount", message: `must be more than 0 and at most ${row.available}` }] });
  }
  const payout = toPayout(row.payout);

  const outcome = await sendTransfer(stripe, log, { id: payout.id, payout_number: payout.payout_number, amount: payout.amount, currency }, row.stripe_account_id!);
  if (outcome.kind === "unknown") return payout;
  return (await recordTransfer(db, payout.id, outcome)) ?? payout;
}
