import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runJob } from "../../src/jobs/schedule";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { useFakeStripe } from "../helpers/stripe";
import { connectedAccount, makeProduct, paidSale } from "./fixtures";

const stripe = useFakeStripe();

/** A seller with one paid sale (18.00 after commission) and payouts enabled. */
async function seller() {
  const user = await signedInUser();
  const buyer = await signedInUser();
  const accountId = await connectedAccount(stripe, user.id);
  await paidSale({ buyerId: buyer.id, product: await makeProduct(user.id), price: "20.00" });
  return { user, accountId };
}

const transfersTo = (accountId: string) => stripe.requests.filter((r) => r.method === "POST" && r.path === "/v1/transfers" && r.params.get("destination") === accountId);
const payoutRow = async (id: string) =>
  (await sql.query(`SELECT status, stripe_transfer_id, processed_at IS NOT NULL AS processed FROM seller_payouts WHERE id = $1`, [id]))[0]!;
const ledgerRow = async (id: string) =>
  (await sql.query(`SELECT amount, status, provider_transaction_id FROM transactions WHERE payout_id = $1 AND transaction_type = 'payout'`, [id]))[0]!;

/** A payout whose transfer request never got an answer: reserved (pending, its money held) an hour ago. */
async function stuckPayout(userId: string, accountId: string, amount: string) {
  const [payout] = await sql.query(
    `INSERT INTO seller_payouts (seller_id, amount, currency, payout_method, payout_account_id, status, created_at)
     VALUES ($1, $2, 'USD', 'stripe_connect', $3, 'pending', now() - interval '1 hour') RETURNING id, payout_number`,
    [userId, amount, accountId],
  );
  await sql.query(
    `INSERT INTO transactions (transaction_type, user_id, payout_id, amount, currency, provider, status, created_at)
     VALUES ('payout', $1, $2, -$3::numeric, 'USD', 'stripe', 'pending', now() - interval '1 hour')`,
    [userId, payout!.id, amount],
  );
  return payout as { id: string; payout_number: string };
}

describe("settle-pending-payouts (hourly)", () => {
  it("sends the transfer of a payout Stripe never answered, keyed by the payout, once", async () => {
    const { user, accountId } = await seller();
    const payout = await stuckPayout(user.id, accountId, "10.00");

    await runJob("settle-pending-payouts", env, new Date());
    const [transfer] = transfersTo(accountId);
    expect(transfersTo(accountId)).toHaveLength(1);
    expect(transfer!.headers.get("idempotency-key")).toBe(`payout-${payout.id}`);
    expect(Object.fromEntries(transfer!.params)).toMatchObject({ amount: "1000", currency: "usd", "metadata[payoutId]": payout.id, transfer_group: payout.payout_number });
    const row = await payoutRow(payout.id);
    expect(row).toMatchObject({ status: "processing", processed: true });
    expect(row.stripe_transfer_id).toMatch(/^tr_/);
    expect(await ledgerRow(payout.id)).toEqual({ amount: "-10.00", status: "pending", provider_transaction_id: row.stripe_transfer_id });

    // Settled: the next run leaves it alone.
    await runJob("settle-pending-payouts", env, new Date());
    expect(transfersTo(accountId)).toHaveLength(1);
  });

  it("finds the transfer the first request did make instead of paying twice", async () => {
    const { user, accountId } = await seller();
    const made = await api("POST", "/v1/me/seller/payouts", { headers: user.headers, body: { amount: "5.00" } });
    expect(made.body.status).toBe("processing");
    const transferId = (await payoutRow(made.body.id)).stripe_transfer_id as string;
    // As if the answer had been lost on the way back: the payout never learnt its transfer.
    await sql.query(`UPDATE seller_payouts SET status = 'pending', stripe_transfer_id = NULL, processed_at = NULL, created_at = now() - interval '1 hour' WHERE id = $1`, [made.body.id]);
    await sql.query(`UPDATE transactions SET provider_transaction_id = NULL WHERE payout_id = $1`, [made.body.id]);
    // Beyond Stripe's idempotency window, only the transfer group tells that the transfer exists.
    stripe.forgetIdempotencyKeys();

    await runJob("settle-pending-payouts", env, new Date());
    expect(transfersTo(accountId)).toHaveLength(1);
    expect(await payoutRow(made.body.id)).toMatchObject({ status: "processing", stripe_transfer_id: transferId });
  });

  it("frees the money of a payout Stripe refuses, and leaves a recent pending payout to its request", async () => {
    const { user, accountId } = await seller();
    const payout = await stuckPayout(user.id, accountId, "12.00");
    const { HttpResponse } = await import("msw");
    stripe.failNext = {
      path: /^\/v1\/transfers$/,
      method: "POST",
      response: () => HttpResponse.json({ error: { type: "invalid_request_error", code: "insufficient_capabilities_for_transfer", message: "no" } }, { status: 400 }),
    };
    await runJob("settle-pending-payouts", env, new Date());
    const row = await payoutRow(payout.id);
    expect(row.status).toBe("failed");
    expect(await ledgerRow(payout.id)).toMatchObject({ status: "cancelled" });
    const seller_ = await api("GET", "/v1/me/seller", { headers: user.headers });
    expect(seller_.body.balances[0].available).toBe("18.00");

    const recent = await sql.query(
      `INSERT INTO seller_payouts (seller_id, amount, currency, payout_method, payout_account_id, status) VALUES ($1, 1, 'USD', 'stripe_connect', $2, 'pending') RETURNING id`,
      [user.id, accountId],
    );
    await runJob("settle-pending-payouts", env, new Date());
    expect(await payoutRow(recent[0]!.id as string)).toMatchObject({ status: "pending", stripe_transfer_id: null });
  });
});
