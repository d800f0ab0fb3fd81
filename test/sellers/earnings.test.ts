import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { useFakeStripe } from "../helpers/stripe";
import { connectedAccount, ledgerBalance, makeProduct, paidSale, refundSale } from "./fixtures";

const stripe = useFakeStripe();

const monthsAgo = (n: number) => {
  const d = new Date();
  d.setUTCDate(15);
  d.setUTCMonth(d.getUTCMonth() - n);
  return d.toISOString();
};

/**
 * A seller with: two products; sales of 20.00, 30.00 (last month) and 50.00 (this month, refunded
 * in full); a sale of another seller; one in EUR; and a payout of 10.00 through the API.
 */
async function shop() {
  const seller = await signedInUser();
  const buyer = await signedInUser();
  const rival = await signedInUser();
  await connectedAccount(stripe, seller.id);
  const beat = await makeProduct(seller.id, { name: "Beat A" });
  const pack = await makeProduct(seller.id, { name: "Pack B" });
  const sales = [
    await paidSale({ buyerId: buyer.id, product: beat, price: "20.00", at: monthsAgo(1) }),
    await paidSale({ buyerId: buyer.id, product: pack, price: "30.00", at: monthsAgo(1), status: "completed" }),
    await paidSale({ buyerId: buyer.id, product: beat, price: "50.00" }),
  ];
  await refundSale(sales[2]!);
  await paidSale({ buyerId: buyer.id, product: await makeProduct(rival.id), price: "99.00" });
  await paidSale({ buyerId: buyer.id, product: await makeProduct(seller.id, { currency: "EUR" }), price: "40.00", currency: "EUR" });
  const payout = await api("POST", "/v1/me/seller/payouts", { headers: seller.headers, body: { amount: "10.00" } });
  expect(payout.status).toBe(201);
  return { seller, buyer, beat, pack, sales, payout: payout.body };
}

describe("GET /v1/me/seller/earnings", () => {
  it("sums gross, commission, refunds, net, payouts, sales per product and per month, from the ledger", async () => {
    const { seller, buyer, beat, pack } = await shop();
    const res = await api("GET", "/v1/me/seller/earnings", { headers: seller.headers });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      currency: "USD",
      gross_sales: "100.00",
      refunded: "50.00",
      commission: "5.00",
      net: "45.00",
      paid_out: "10.00",
      sales_count: 2,
      available_balance: "35.00",
    });
    expect(res.body.products).toEqual([
      { product_id: pack.id, product_name: "Pack B", sales_count: 1, gross_sales: "30.00" },
      { product_id: beat.id, product_name: "Beat A", sales_count: 1, gross_sales: "20.00" },
    ]);
    expect(res.body.months).toHaveLength(12);
    const [previous, current] = res.body.months.slice(-2);
    expect(previous).toEqual({ month: monthsAgo(1).slice(0, 7), gross_sales: "50.00", commission: "5.00", refunded: "0.00", net: "45.00", paid_out: "0.00", sales_count: 2 });
    expect(current).toEqual({ month: new Date().toISOString().slice(0, 7), gross_sales: "50.00", commission: "0.00", refunded: "50.00", net: "0.00", paid_out: "10.00", sales_count: 0 });
    expect(res.text).not.toContain(buyer.id);
    expect(res.text).not.toContain(buyer.email);

    const eur = await api("GET", "/v1/me/seller/earnings?currency=eur", { headers: seller.headers });
    expect(eur.body).toMatchObject({ currency: "EUR", gross_sales: "40.00", net: "36.00", available_balance: "36.00", sales_count: 1 });
  });

  it("limits the figures to the period, but not the available balance", async () => {
    const { seller } = await shop();
    const today = new Date().toISOString().slice(0, 10);
    const firstOfMonth = `${today.slice(0, 7)}-01`;
    const res = await api("GET", `/v1/me/seller/earnings?from=${firstOfMonth}&to=${today}`, { headers: seller.headers });
    expect(res.body).toMatchObject({ from: firstOfMonth, to: today, gross_sales: "50.00", refunded: "50.00", net: "0.00", sales_count: 0, available_balance: "35.00" });
    expect(res.body.months).toHaveLength(1);
    for (const q of ["from=2026-13-01", "from=2030-01-02&to=2030-01-01", "from=1990-01-01&to=2030-01-01", "currency=DOLLARS"]) {
      expect((await api("GET", `/v1/me/seller/earnings?${q}`, { headers: seller.headers })).status, q).toBe(422);
    }
  });
});

describe("the ledger balances", () => {
  it("per seller: balance = sum(sale) + sum(payout) = what the dashboard shows; per order: payments + refunds = sales + commissions", async () => {
    const { seller, sales, payout } = await shop();
    await stripe.deliver(stripe.event("transfer.created", [...stripe.transfers.values()].find((t) => t.metadata.payoutId === payout.id)!));
    const [sums] = await sql.query(
      `SELECT COALESCE(sum(amount) FILTER (WHERE transaction_type = 'sale'), 0)::text AS sales,
              COALESCE(sum(amount) FILTER (WHERE transaction_type = 'payout'), 0)::text AS payouts,
              COALESCE(sum(amount), 0)::text AS balance
         FROM transactions WHERE user_id = $1 AND currency = 'USD' AND transaction_type IN ('sale', 'payout')`,
      [seller.id],
    );
    expect(sums).toEqual({ sales: "45.00", payouts: "-10.00", balance: "35.00" });
    expect(await ledgerBalance(seller.id)).toBe("35.00");
    const dashboard = await api("GET", "/v1/me/seller/earnings", { headers: seller.headers });
    const status = await api("GET", "/v1/me/seller", { headers: seller.headers });
    expect(dashboard.body.available_balance).toBe(sums!.balance);
    expect(status.body.balances).toEqual([
      { currency: "EUR", available: "36.00" },
      { currency: "USD", available: sums!.balance },
    ]);
    expect(Number(dashboard.body.net) - Number(dashboard.body.paid_out)).toBe(Number(sums!.balance));

    const orders = await sql.query(
      `SELECT order_id, COALESCE(sum(amount) FILTER (WHERE transaction_type IN ('payment', 'refund')), 0)::text AS paid,
              COALESCE(sum(amount) FILTER (WHERE transaction_type IN ('sale', 'commission')), 0)::text AS split
         FROM transactions WHERE order_id = ANY($1::uuid[]) GROUP BY order_id`,
      [sales.map((s) => s.orderId)],
    );
    expect(orders).toHaveLength(3);
    for (const o of orders) expect(o.paid, String(o.order_id)).toBe(o.split);
  });
});

describe("GET /v1/me/seller/transactions", () => {
  it("lists my sale, commission and payout rows newest first, by type and cursor; never the buyer's rows", async () => {
    const { seller, buyer } = await shop();
    const all = await api("GET", "/v1/me/seller/transactions?limit=100", { headers: seller.headers });
    expect(all.status).toBe(200);
    const types = all.body.items.map((t: any) => t.type);
    expect(types.filter((t: string) => t === "sale")).toHaveLength(5); // 3 USD sales, 1 reversal, 1 EUR sale
    expect(types.filter((t: string) => t === "commission")).toHaveLength(5);
    expect(types.filter((t: string) => t === "payout")).toHaveLength(1);
    expect(all.body.items[0]).toMatchObject({ type: "payout", amount: "-10.00", status: "pending" });
    expect(all.text).not.toContain(buyer.id);

    const sales = await api("GET", "/v1/me/seller/transactions?type=sale&limit=3", { headers: seller.headers });
    const more = await api("GET", `/v1/me/seller/transactions?type=sale&limit=3&cursor=${sales.body.next_cursor}`, { headers: seller.headers });
    const ids = [...sales.body.items, ...more.body.items].map((t: any) => t.id);
    expect(new Set(ids).size).toBe(5);
    expect(more.body.next_cursor).toBeNull();
    expect((await api("GET", "/v1/me/seller/transactions?type=payment", { headers: seller.headers })).status).toBe(422);
    expect((await api("GET", "/v1/me/seller/transactions", { headers: buyer.headers })).body.items).toEqual([]);
  });
});
