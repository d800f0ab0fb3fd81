import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { runJob } from "../../src/jobs/schedule";
import { createUser, id, sql, unique } from "../helpers/db";
import { runCron } from "../gdpr/helpers";

const YEAR_MS = 365.25 * 86_400_000;

/** A paid order with one item, its discount use, and its ledger rows, made `ageYears` ago. */
async function saleMadeYearsAgo(ageYears: number) {
  const buyer = await createUser();
  const seller = await createUser();
  const at = new Date(Date.now() - ageYears * YEAR_MS).toISOString();
  const product = await id(
    "INSERT INTO products (seller_id, name, slug, description, category, price, status) VALUES ($1, 'Old kit', $2, 'A kit', 'sample', 10, 'active') RETURNING id",
    [seller.id, `old-kit-${unique()}`],
  );
  const code = await id(
    "INSERT INTO discount_codes (code, discount_type, discount_value, valid_from, valid_until, creator_id) VALUES ($1, 'fixed_amount', 1, now() - interval '9 years', now() + interval '1 day', $2) RETURNING id",
    [`OLD${unique().replace(/[^a-zA-Z0-9]/g, "").slice(-12)}`, seller.id],
  );
  const order = await id(
    `INSERT INTO orders (user_id, subtotal, tax_total, discount_total, total, billing_email, billing_name, billing_address,
                         payment_method, payment_intent_id, stripe_checkout_session_id, idempotency_key, discount_code_id, status, paid_at, created_at)
     VALUES ($1, 10, 0, 1, 9, $2, 'Ada Buyer', '{"country":"FR","line1":"1 rue X"}', 'stripe', $3, $4, 'key-1', $5, 'paid', $6, $6) RETURNING id`,
    [buyer.id, buyer.email, `pi_${unique()}`, `cs_${unique()}`, code, at],
  );
  await sql.query(
    "INSERT INTO order_items (order_id, product_id, product_name, seller_id, price, license_key, license_terms) VALUES ($1, $2, 'Old kit', $3, 9, $4, 'Use it')",
    [order, product, seller.id, `VEZA-${unique()}`],
  );
  await sql.query("INSERT INTO discount_code_usage (discount_code_id, order_id, user_id, discount_amount) VALUES ($1, $2, $3, 1)", [code, order, buyer.id]);
  await sql.query(
    `INSERT INTO transactions (transaction_type, user_id, order_id, amount, provider, provider_transaction_id, status, metadata, created_at) VALUES
       ('payment', $1, $2, 9, 'stripe', $4, 'completed', '{"card":"visa"}', $5),
       ('sale', $3, $2, 8.10, 'internal', NULL, 'completed', NULL, $5),
       ('commission', $3, $2, 0.90, 'internal', NULL, 'completed', NULL, $5)`,
    [buyer.id, order, seller.id, `pi_${unique()}`, at],
  );
  return { buyer, seller, order, product };
}

const orderRow = (order: string) =>
  sql.query(
    `SELECT user_id, billing_email, billing_name, billing_address, payment_intent_id, stripe_checkout_session_id, idempotency_key, total, status
       FROM orders WHERE id = $1`,
    [order],
  );

describe("retention of transactional records (§18: 7 years, then anonymised)", () => {
  it("anonymises an order, its discount use and its ledger rows after 7 years, keeping amounts, items and licences", async () => {
    const old = await saleMadeYearsAgo(7.1);
    const recent = await saleMadeYearsAgo(6.9);

    await runCron("30 3 * * *", new Date());

    expect(await orderRow(old.order)).toEqual([
      {
        user_id: null,
        billing_email: `expired_${old.order}@anonymized.local`,
        billing_name: null,
        billing_address: null,
        payment_intent_id: null,
        stripe_checkout_session_id: null,
        idempotency_key: null,
        total: "9.00",
        status: "paid",
      },
    ]);
    expect(await sql.query("SELECT user_id FROM discount_code_usage WHERE order_id = $1", [old.order])).toEqual([{ user_id: null }]);
    expect(await sql.query("SELECT transaction_type, user_id, provider_transaction_id, metadata, amount FROM transactions WHERE order_id = $1 ORDER BY transaction_type", [old.order])).toEqual([
      { transaction_type: "commission", user_id: null, provider_transaction_id: null, metadata: null, amount: "0.90" },
      { transaction_type: "payment", user_id: null, provider_transaction_id: null, metadata: null, amount: "9.00" },
      { transaction_type: "sale", user_id: null, provider_transaction_id: null, metadata: null, amount: "8.10" },
    ]);
    // The sale itself stays: the item, its licence and the product's sale count.
    expect(await sql.query("SELECT product_name, price, license_terms FROM order_items WHERE order_id = $1", [old.order])).toEqual([
      { product_name: "Old kit", price: "9.00", license_terms: "Use it" },
    ]);

    // Inside the legal period: untouched.
    const [kept] = await orderRow(recent.order);
    expect(kept).toMatchObject({ user_id: recent.buyer.id, billing_email: recent.buyer.email, billing_name: "Ada Buyer" });
    expect(await sql.query("SELECT count(*)::int AS n FROM transactions WHERE order_id = $1 AND user_id IS NOT NULL", [recent.order])).toEqual([{ n: 3 }]);

    // A second run changes nothing more.
    const [{ updated_at: before }] = (await sql.query("SELECT updated_at FROM orders WHERE id = $1", [old.order])) as [{ updated_at: unknown }];
    await runCron("30 3 * * *", new Date());
    expect(await sql.query("SELECT updated_at FROM orders WHERE id = $1", [old.order])).toEqual([{ updated_at: before }]);
  });

  it("retires nothing early when the cron's clock runs ahead of the database's", async () => {
    const recent = await saleMadeYearsAgo(6.5);
    await runJob("retire-transactional-records", env, new Date(Date.now() + 5 * YEAR_MS));
    const [row] = await orderRow(recent.order);
    expect(row).toMatchObject({ user_id: recent.buyer.id, billing_email: recent.buyer.email });
  });

  it("keeps a deleted account's orders for the legal period, then anonymises them like any other", async () => {
    const sale = await saleMadeYearsAgo(8);
    await sql.query("UPDATE users SET deleted_at = now() - interval '40 days' WHERE id = $1", [sale.buyer.id]);
    await runCron("30 3 * * *", new Date());
    const [row] = await orderRow(sale.order);
    expect(row).toMatchObject({ user_id: null, billing_email: `expired_${sale.order}@anonymized.local`, billing_name: null });
  });
});
