import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { Env } from "../../env";
import { ApiError } from "../../lib/errors";
import { stripeClient } from "../../lib/stripe";
import { stripeFailure } from "./stripe-trouble";

type SellerRow = { email: string; stripe_account_id: string | null; details_submitted: boolean | null };

const linkExpiry = (seconds: number | null | undefined) => (seconds ? new Date(seconds * 1000).toISOString() : null);

/**
 * POST /v1/me/seller/onboarding: the caller's Stripe Connect (Express) account — created on the
 * first call — and a fresh onboarding link. Creation is safe to retry and to race: Stripe's
 * idempotency key is per user, so a retry gets the same account back, and the row is written with
 * ON CONFLICT (user_id), returning whichever account the row holds. One round trip when the account
 * exists, two when it is created.
 */
export async function startOnboarding(db: Database, env: Env, userId: string) {
  const stripe = stripeClient(env);
  const { rows } = await db.execute<SellerRow>(sql`
    SELECT u.email, sa.stripe_account_id, sa.details_submitted
      FROM users u LEFT JOIN seller_accounts sa ON sa.user_id = u.id WHERE u.id = ${userId}::uuid`);
  const seller = rows[0]!;
  let accountId = seller.stripe_account_id;
  try {
    if (!accountId) {
      const account = await stripe.accounts.create(
        { type: "express", email: seller.email, metadata: { userId } },
        { idempotencyKey: `connect-account-${userId}` },
      );
      const { rows: saved } = await db.execute<{ stripe_account_id: string }>(sql`
        INSERT INTO seller_accounts (user_id, stripe_account_id, charges_enabled, payouts_enabled, details_submitted)
        VALUES (${userId}::uuid, ${account.id}, ${account.charges_enabled ?? false}, ${account.payouts_enabled ?? false}, ${account.details_submitted ?? false})
        ON CONFLICT (user_id) DO UPDATE SET updated_at = seller_accounts.updated_at
        RETURNING stripe_account_id`);
      accountId = saved[0]!.stripe_account_id;
    }
    const link = await stripe.accountLinks.create({
      account: accountId,
      type: "account_onboarding",
      refresh_url: `${env.APP_URL}/seller/onboarding?refresh=1`,
      return_url: `${env.APP_URL}/seller/onboarding?done=1`,
    });
    return { url: link.url, expires_at: linkExpiry(link.expires_at) };
  } catch (error) {
    throw stripeFailure(error);
  }
}

/**
 * POST /v1/me/seller/dashboard-link: a one-time login link to the seller's Express dashboard
 * (payout schedule, bank account, tax forms). Stripe only makes them once onboarding details were
 * submitted, so before that it is 409. One round trip.
 */
export async function dashboardLink(db: Database, env: Env, userId: string) {
  const stripe = stripeClient(env);
  const { rows } = await db.execute<{ stripe_account_id: string; details_submitted: boolean }>(sql`
    SELECT stripe_account_id, details_submitted FROM seller_accounts WHERE user_id = ${userId}::uuid`);
  const account = rows[0];
  if (!account) throw new ApiError("conflict", "You have no seller account yet: start with POST /v1/me/seller/onboarding.");
  if (!account.details_submitted) throw new ApiError("conflict", "Finish Stripe's onboarding first (POST /v1/me/seller/onboarding gives a new link).");
  try {
    const link = await stripe.accounts.createLoginLink(account.stripe_account_id);
    return { url: link.url, expires_at: null };
  } catch (error) {
    throw stripeFailure(error);
  }
}
