import { insert, insertId, sql, uniq } from "../helpers/db";
import type { FakeStripe } from "../helpers/stripe";

/**
 * Marketplace data made directly in SQL, the way checkout's webhook leaves it (so these tests do not
 * depend on the products, cart or orders code): products, paid orders with their items, and the
 * ledger rows of a sale per the signed-ledger rules (0025):
 *   per order:  sum(payment) + sum(refund) = sum(sale) + sum(commission)
 *   per seller: balance = sum(sale) + sum(payout)
 */

export const COMMISSION_PERCENT = 10;

export async function makeProduct(sellerId: string, options: { price?: string; currency?: string; name?: string; deleted?: boolean } = {}) {
  const tag = uniq();
  return (await insert(
    "products",
    {
      seller_id: sellerId,
      name: options.name ?? `Beat ${tag}`,
      slug: `beat-${tag}`,
      description: "A product for tests",
      category: "beat",
      price: options.price ?? "20.00",
      currency: options.currency ?? "USD",
      status: "active",
      published_at: new Date().toISOString(),
      deleted_at: options.deleted ? new Date().toISOString() : null,
    },
    "id, name, seller_id",
  )) as { id: string; name: string; seller_id: string };
}

/** Minor units → "12.34". */
const money = (cents: number) => `${cents < 0 ? "-" : ""}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, "0")}`;
const cents = (amount: string) => Math.round(Number(amount) * 100);

export interface PaidSale {
  orderId: string;
  orderItemId: string;
  productId: string;
  buyerId: string;
  sellerId: string;
  currency: string;
  price: string;
  /** The seller's share (the `sale` row). */
  share: string;
  commission: string;
}

/**
 * "A paid sale": an order of `buyerId` (status paid unless told) with one item of `productId`, and
 * its ledger rows — the buyer's payment, the seller's sale (share after commission) and the
 * platform's commission (user_id = the seller). `at` back-dates every row (month series).
 */
export async function paidSale(options: {
  buyerId: string;
  product: { id: string; seller_id: string; name: string };
  price?: string;
  currency?: string;
  status?: "pending" | "paid" | "processing" | "completed";
  at?: string;
  ledger?: boolean;
}): Promise<PaidSale> {
  const price = options.price ?? "20.00";
  const currency = options.currency ?? "USD";
  const status = options.status ?? "paid";
  const at = options.at ?? new Date().toISOString();
  const paymentIntent = `pi_test_${uniq()}`;
  const orderId = await insertId("orders", {
    user_id: options.buyerId,
    subtotal: price,
    tax_total: "0.00",
    total: price,
    currency,
    payment_method: "stripe",
    payment_intent_id: paymentIntent,
    status,
    billing_email: `buyer_${uniq()}@example.com`,
    paid_at: status === "pending" ? null : at,
    created_at: at,
  });
  const orderItemId = await insertId("order_items", {
    order_id: orderId,
    product_id: options.product.id,
    product_name: options.product.name,
    seller_id: options.product.seller_id,
    price,
    license_key: `LK-${uniq()}`,
    created_at: at,
  });
  const commissionCents = Math.round((cents(price) * COMMISSION_PERCENT) / 100);
  const share = money(cents(price) - commissionCents);
  const commission = money(commissionCents);
  if (status !== "pending" && options.ledger !== false) {
    await sql.query(
      `INSERT INTO transactions (transaction_type, user_id, order_id, amount, currency, provider, provider_transaction_id, status, completed_at, created_at) VALUES
         ('payment', $1, $3, $4::numeric, $7, 'stripe', $8, 'completed', $9::timestamptz, $9::timestamptz),
         ('sale', $2, $3, $5::numeric, $7, 'internal', NULL, 'completed', $9::timestamptz, $9::timestamptz),
         ('commission', $2, $3, $6::numeric, $7, 'internal', NULL, 'completed', $9::timestamptz, $9::timestamptz)`,
      [options.buyerId, options.product.seller_id, orderId, price, share, commission, currency, paymentIntent, at],
    );
  }
  return { orderId, orderItemId, productId: options.product.id, buyerId: options.buyerId, sellerId: options.product.seller_id, currency, price, share, commission };
}

/** A full refund of `sale`'s order: the order refunded (its items revoked by trigger) and the ledger reversed. */
export async function refundSale(sale: PaidSale): Promise<void> {
  await sql.query(
    `INSERT INTO transactions (transaction_type, user_id, order_id, amount, currency, provider, provider_transaction_id, status, completed_at) VALUES
       ('refund', $1, $3, -$4::numeric, $7, 'stripe', $8, 'completed', now()),
       ('sale', $2, $3, -$5::numeric, $7, 'internal', NULL, 'completed', now()),
       ('commission', $2, $3, -$6::numeric, $7, 'internal', NULL, 'completed', now())`,
    [sale.buyerId, sale.sellerId, sale.orderId, sale.price, sale.share, sale.commission, sale.currency, `re_test_${uniq()}`],
  );
  await sql.query(`UPDATE orders SET status = 'refunded', refunded_at = now() WHERE id = $1`, [sale.orderId]);
}

/**
 * A seller's Connect account, in the database and in the fake Stripe (transfers need a destination
 * Stripe knows), with the flags given (payouts enabled by default).
 */
export async function connectedAccount(
  stripe: FakeStripe,
  userId: string,
  flags: Partial<{ payouts_enabled: boolean; charges_enabled: boolean; details_submitted: boolean }> = {},
): Promise<string> {
  const accountId = `acct_test_${uniq()}`;
  const state = { payouts_enabled: true, charges_enabled: true, details_submitted: true, ...flags };
  stripe.accounts.set(accountId, { id: accountId, object: "account", type: "express", ...state, metadata: { userId } });
  await sql.query(
    `INSERT INTO seller_accounts (user_id, stripe_account_id, payouts_enabled, charges_enabled, details_submitted, onboarded_at)
     VALUES ($1, $2, $3, $4, $5, CASE WHEN $5 THEN now() END)`,
    [userId, accountId, state.payouts_enabled, state.charges_enabled, state.details_submitted],
  );
  return accountId;
}

/** The seller's balance by the ledger's plain rule, straight from SQL (what the API must agree with). */
export async function ledgerBalance(sellerId: string, currency = "USD"): Promise<string> {
  const [row] = await sql.query(
    `SELECT COALESCE(sum(amount), 0.00)::text AS balance FROM transactions
      WHERE user_id = $1 AND currency = $2 AND transaction_type IN ('sale', 'payout') AND status NOT IN ('cancelled', 'failed')`,
    [sellerId, currency],
  );
  return row!.balance as string;
}
