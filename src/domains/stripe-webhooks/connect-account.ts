import { sql } from "drizzle-orm";
import { stripeClient, type Stripe } from "../../lib/stripe";
import { isStripeRefusal } from "../sellers/stripe-trouble";
import { RetryLater, type WebhookHandler } from "./handlers";

/**
 * account.updated: what Stripe now lets a seller's Connect account do. The flags are read from
 * Stripe rather than from the event, because account.updated events may arrive out of order and an
 * older one must not switch payouts back off; the event only says which account changed. An account
 * that is not one of ours (no seller_accounts row) updates nothing. onboarded_at is set the first
 * time details are submitted and kept after.
 */
export const accountUpdated: WebhookHandler = async ({ event, env, db }) => {
  const accountId = (event.data.object as Stripe.Account).id;
  let account: Stripe.Account;
  try {
    account = await stripeClient(env).accounts.retrieve(accountId);
  } catch (error) {
    if (isStripeRefusal(error)) return { writes: [] }; // gone, or never connected to us
    throw new RetryLater(`Stripe did not answer for account ${accountId}`);
  }
  const submitted = account.details_submitted ?? false;
  return {
    writes: [
      db.execute(sql`
        UPDATE seller_accounts
           SET charges_enabled = ${account.charges_enabled ?? false}, payouts_enabled = ${account.payouts_enabled ?? false},
               details_submitted = ${submitted}, onboarded_at = CASE WHEN ${submitted} THEN COALESCE(onboarded_at, now()) ELSE onboarded_at END
         WHERE stripe_account_id = ${account.id}`),
    ],
  };
};
