import { sql, type SQL } from "drizzle-orm";

/**
 * The ledger rows that make a seller's balance, over `t` (transactions): balance = sum(sale) +
 * sum(payout), where sales count once completed (their refund reversals are negative sale rows), and
 * payouts count from the moment they are requested — pending and completed rows, negative — so
 * money on its way out cannot be asked for twice. A payout Stripe refused has its row cancelled
 * (never counted); a transfer Stripe reversed keeps its row and gains a positive payout row.
 */
export const countsInBalance = (t = "t"): SQL =>
  sql.raw(`((${t}.transaction_type = 'sale' AND ${t}.status = 'completed')
         OR (${t}.transaction_type = 'payout' AND ${t}.status IN ('pending', 'completed')))`);

/** The available balance of `userId` in `currency`, as a scalar subquery (numeric). */
export const availableBalance = (userId: string | SQL, currency: string | SQL): SQL => sql`
  (SELECT COALESCE(sum(t.amount), 0.00) FROM transactions t
    WHERE t.user_id = ${typeof userId === "string" ? sql`${userId}::uuid` : userId}
      AND t.currency = ${currency} AND ${countsInBalance("t")})`;

/** Money without a stated currency is in US dollars, like products' default (spec §10.1). */
export const DEFAULT_CURRENCY = "USD";
