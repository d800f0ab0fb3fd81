import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { parseJson } from "../../lib/json-value";
import { countsInBalance } from "./balance";

type StatusRow = { account: unknown; balances: unknown };

/**
 * GET /v1/me/seller, one round trip: the Connect account's flags (kept by account.updated webhooks)
 * and the available balance per currency the seller has ledger rows in.
 */
export async function sellerStatus(db: Database, userId: string) {
  const { rows } = await db.execute<StatusRow>(sql`
    SELECT (SELECT json_build_object('stripe_account_id', sa.stripe_account_id, 'details_submitted', sa.details_submitted,
                                     'charges_enabled', sa.charges_enabled, 'payouts_enabled', sa.payouts_enabled,
                                     'onboarded_at', to_char(sa.onboarded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
              FROM seller_accounts sa WHERE sa.user_id = ${userId}::uuid) AS account,
           (SELECT COALESCE(json_agg(json_build_object('currency', b.currency, 'available', b.available::text) ORDER BY b.currency), '[]'::json)
              FROM (SELECT t.currency, sum(t.amount) FILTER (WHERE ${countsInBalance("t")}) AS available
                      FROM transactions t
                     WHERE t.user_id = ${userId}::uuid AND t.transaction_type IN ('sale', 'payout')
                     GROUP BY t.currency) b) AS balances`);
  const row = rows[0]!;
  return {
    account: parseJson<{ stripe_account_id: string; details_submitted: boolean; charges_enabled: boolean; payouts_enabled: boolean; onboarded_at: string | null }>(row.account),
    balances: (parseJson<Array<{ currency: string; available: string | null }>>(row.balances) ?? []).map((b) => ({ currency: b.currency, available: b.available ?? "0.00" })),
  };
}
