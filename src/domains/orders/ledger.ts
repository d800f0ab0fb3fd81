import { sql, type SQL } from "drizzle-orm";
import type { Env } from "../../env";
import { fromMinorUnits, toMinorUnits } from "../../lib/stripe";
import { allocate } from "../cart/discount";

/**
 * The ledger's rows for an order (0025: signed amounts, so it balances by plain sums):
 *   per order:  sum(payment) + sum(refund) = sum(sale) + sum(commission)
 *   per seller: balance = sum(sale) + sum(payout)
 * Everything is computed in cents; each seller's commission is rounded half up once, on the
 * seller's whole share of the order, and the sale is the rest, so the identities hold exactly.
 */
export type LedgerEntry = {
  type: "payment" | "refund" | "sale" | "commission";
  userId: string | null;
  /** Signed, in minor units. */
  amount: number;
  provider: "stripe" | "internal";
  providerTransactionId: string;
  metadata: Record<string, unknown>;
};

/** The platform's commission in hundredths of a percent (MARKETPLACE_COMMISSION_PERCENT, default 10). */
export function commissionRate(env: Pick<Env, "MARKETPLACE_COMMISSION_PERCENT">): number {
  const raw = (env.MARKETPLACE_COMMISSION_PERCENT ?? "10").trim();
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(raw)) return 1000;
  return Math.min(toMinorUnits(raw), 10_000);
}

/** A seller's `gross` (cents) split into the platform's commission and the seller's sale. */
export function split(gross: number, rate: number): { commission: number; sale: number } {
  const commission = Math.floor((gross * rate + 5000) / 10_000);
  return { commission, sale: gross - commission };
}

/** Per seller, the sum of their items' prices (after discount), in cents. */
export function grossBySeller(items: Array<{ seller_id: string; price: string }>): Map<string, number> {
  const gross = new Map<string, number>();
  for (const item of items) gross.set(item.seller_id, (gross.get(item.seller_id) ?? 0) + toMinorUnits(item.price));
  return gross;
}

/** A paid order: the buyer's payment, and per seller the sale and the platform's commission. */
export function paymentEntries(args: {
  buyerId: string | null;
  total: string;
  paymentIntentId: string;
  items: Array<{ seller_id: string; price: string }>;
  rate: number;
}): LedgerEntry[] {
  const entries: LedgerEntry[] = [
    { type: "payment", userId: args.buyerId, amount: toMinorUnits(args.total), provider: "stripe", providerTransactionId: args.paymentIntentId, metadata: {} },
  ];
  for (const [sellerId, gross] of grossBySeller(args.items)) {
    const { commission, sale } = split(gross, args.rate);
    const key = `${args.paymentIntentId}:${sellerId}`;
    const metadata = { commission_rate_percent: fromMinorUnits(args.rate) };
    entries.push({ type: "sale", userId: sellerId, amount: sale, provider: "internal", providerTransactionId: key, metadata });
    entries.push({ type: "commission", userId: sellerId, amount: commission, provider: "internal", providerTransactionId: key, metadata });
  }
  return entries;
}

/** What a seller still holds of an order in the ledger (sales and commissions net of earlier refunds). */
export type SellerBalance = { seller_id: string; sale: number; commission: number };

/**
 * A refund of `amount` cents (the part of the charge's refunded total not yet recorded): the buyer's
 * negative refund row, and negative sale and commission rows that take it back from the sellers.
 * A full refund (`full`) reverses exactly what each seller still holds; a partial one is shared
 * across sellers in proportion to what they hold, to the cent, and within a seller between sale and
 * commission in the same proportion — so each refund keeps the order's identity exact.
 */
export function refundEntries(args: {
  buyerId: string | null;
  amount: number;
  full: boolean;
  refundId: string;
  balances: SellerBalance[];
}): LedgerEntry[] {
  const entries: LedgerEntry[] = [
    { type: "refund", userId: args.buyerId, amount: -args.amount, provider: "stripe", providerTransactionId: args.refundId, metadata: { full: args.full } },
  ];
  const held = args.balances.map((b) => b.sale + b.commission);
  const shares = args.full ? held : allocate(args.amount, held);
  args.balances.forEach((b, i) => {
    const share = shares[i]!;
    if (share === 0) return;
    const commission = args.full ? b.commission : held[i] === 0 ? 0 : Math.floor((share * b.commission * 2 + held[i]!) / (2 * held[i]!));
    const key = `${args.refundId}:${b.seller_id}`;
    entries.push({ type: "sale", userId: b.seller_id, amount: -(share - commission), provider: "internal", providerTransactionId: key, metadata: { refund: true } });
    entries.push({ type: "commission", userId: b.seller_id, amount: -commission, provider: "internal", providerTransactionId: key, metadata: { refund: true } });
  });
  return entries;
}

/** One INSERT of `entries` for `orderId` (completed now), made only while `guard` holds. */
export function ledgerInsert(orderId: string, currency: string, entries: LedgerEntry[], guard: SQL = sql`true`) {
  const rows = entries.map(
    (e) => sql`(${e.type}, ${e.userId}::uuid, ${orderId}::uuid, ${fromMinorUnits(e.amount)}::numeric, ${currency}, ${e.provider},
                ${e.providerTransactionId}, 'completed', ${JSON.stringify(e.metadata)}::jsonb, now())`,
  );
  return sql`INSERT INTO transactions (transaction_type, user_id, order_id, amount, currency, provider, provider_transaction_id, status, metadata, completed_at)
             SELECT * FROM (VALUES ${sql.join(rows, sql`, `)}) AS v WHERE ${guard}`;
}
