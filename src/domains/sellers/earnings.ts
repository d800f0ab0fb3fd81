import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { parseJson } from "../../lib/json-value";
import { availableBalance, DEFAULT_CURRENCY } from "./balance";

type Figures = { gross_sales: string; commission: string; refunded: string; net: string; paid_out: string };
type EarningsRow = Figures & {
  sales_count: number;
  available_balance: string;
  products: unknown;
  months: unknown;
};

/** The period's figures over the `ledger` CTE's rows `l` (a seller's sale, commission and payout rows). */
const FIGURES = sql.raw(`
  COALESCE(sum(l.amount) FILTER (WHERE l.transaction_type IN ('sale', 'commission') AND l.status = 'completed' AND l.amount > 0), 0.00)::text AS gross_sales,
  COALESCE(sum(l.amount) FILTER (WHERE l.transaction_type = 'commission' AND l.status = 'completed'), 0.00)::text AS commission,
  COALESCE(-sum(l.amount) FILTER (WHERE l.transaction_type IN ('sale', 'commission') AND l.status = 'completed' AND l.amount < 0), 0.00)::text AS refunded,
  COALESCE(sum(l.amount) FILTER (WHERE l.transaction_type = 'sale' AND l.status = 'completed'), 0.00)::text AS net,
  COALESCE(-sum(l.amount) FILTER (WHERE l.transaction_type = 'payout' AND l.status IN ('pending', 'completed')), 0.00)::text AS paid_out`);

const today = () => new Date().toISOString().slice(0, 10);
/** The first day of the month 11 months before this one: a year of months, this one included. */
function yearAgo(to: string): string {
  const d = new Date(`${to.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 11);
  return d.toISOString().slice(0, 10);
}

/**
 * GET /v1/me/seller/earnings, one round trip: the seller's figures over a period of UTC days, from
 * the ledger (gross, commission, refunds reversed, net = the `sale` rows, paid out) and from their
 * order items (items sold, per product), with a month-by-month series and the all-time available
 * balance. Only the seller's own rows are read (idx_transactions_user_id_created_at,
 * idx_order_items_seller_id); nothing about buyers is selected.
 */
export async function sellerEarnings(db: Database, userId: string, query: { from?: string; to?: string; currency?: string }) {
  const to = query.to ?? today();
  const from = query.from ?? yearAgo(to);
  const currency = query.currency ?? DEFAULT_CURRENCY;
  const start = sql`(${from}::date::timestamp AT TIME ZONE 'UTC')`;
  const end = sql`((${to}::date + 1)::timestamp AT TIME ZONE 'UTC')`;
  const { rows } = await db.execute<EarningsRow>(sql`
    WITH ledger AS (
      SELECT t.transaction_type, t.amount, t.status, to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month
        FROM transactions t
       WHERE t.user_id = ${userId}::uuid AND t.currency = ${currency} AND t.transaction_type IN ('sale', 'commission', 'payout')
         AND t.created_at >= ${start} AND t.created_at < ${end}
    ), sold AS (
      SELECT oi.product_id, oi.product_name, oi.price, to_char(COALESCE(o.paid_at, o.created_at) AT TIME ZONE 'UTC', 'YYYY-MM') AS month
        FROM order_items oi JOIN orders o ON o.id = oi.order_id
       WHERE oi.seller_id = ${userId}::uuid AND oi.revoked_at IS NULL AND o.currency = ${currency}
         AND o.status IN ('paid', 'processing', 'completed')
         AND COALESCE(o.paid_at, o.created_at) >= ${start} AND COALESCE(o.paid_at, o.created_at) < ${end}
    ), months AS (
      SELECT to_char(m, 'YYYY-MM') AS month
        FROM generate_series(date_trunc('month', ${from}::date::timestamp), date_trunc('month', ${to}::date::timestamp), interval '1 month') m
    ), by_month AS (
      SELECT m.month, f.gross_sales, f.commission, f.refunded, f.net, f.paid_out,
             (SELECT count(*)::int FROM sold s WHERE s.month = m.month) AS sales_count
        FROM months m CROSS JOIN LATERAL (SELECT ${FIGURES} FROM ledger l WHERE l.month = m.month) f
    )
    SELECT f.*, (SELECT count(*)::int FROM sold) AS sales_count,
           ${availableBalance(userId, currency)}::text AS available_balance,
           (SELECT COALESCE(json_agg(json_build_object('product_id', p.product_id, 'product_name', p.product_name,
                                                       'sales_count', p.sales_count, 'gross_sales', p.gross_sales::text)
                                     ORDER BY p.gross_sales DESC, p.product_id), '[]'::json)
              FROM (SELECT s.product_id, COALESCE(pr.name, max(s.product_name)) AS product_name, count(*)::int AS sales_count, sum(s.price) AS gross_sales
                      FROM sold s LEFT JOIN products pr ON pr.id = s.product_id
                     GROUP BY s.product_id, pr.name) p) AS products,
           (SELECT COALESCE(json_agg(to_json(bm) ORDER BY bm.month), '[]'::json) FROM by_month bm) AS months
      FROM (SELECT ${FIGURES} FROM ledger l) f`);
  const row = rows[0]!;
  return {
    currency,
    from,
    to,
    gross_sales: row.gross_sales,
    commission: row.commission,
    refunded: row.refunded,
    net: row.net,
    paid_out: row.paid_out,
    sales_count: Number(row.sales_count),
    available_balance: row.available_balance,
    products: parseJson<Array<{ product_id: string; product_name: string; sales_count: number; gross_sales: string }>>(row.products) ?? [],
    months: parseJson<Array<Figures & { month: string; sales_count: number }>>(row.months) ?? [],
  };
}
