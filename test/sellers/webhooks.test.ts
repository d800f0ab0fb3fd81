import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { useFakeStripe } from "../helpers/stripe";
import { connectedAccount, ledgerBalance, makeProduct, paidSale } from "./fixtures";

const stripe = useFakeStripe();

const accountRow = async (accountId: string) =>
  (await sql.query(`SELECT details_submitted, charges_enabled, payouts_enabled, onboarded_at FROM seller_accounts WHERE stripe_account_id = $1`, [accountId]))[0]!;

async function onboarded() {
  const ada = await signedInUser();
  await api("POST", "/v1/me/seller/onboarding", { headers: ada.headers });
  const [row] = await sql.query(`SELECT stripe_account_id FROM seller_accounts WHERE user_id = $1`, [ada.id]);
  return { ada, accountId: row!.stripe_account_id as string };
}

describe("account.updated", () => {
  it("flips the flags from a signed webhook, and a duplicate delivery is a no-op", async () => {
    const { ada, accountId } = await onboarded();
    const event = stripe.updateAccount(accountId, { details_submitted: true, charges_enabled: true, payouts_enabled: true });
    const first = await stripe.deliver(event);
    expect(first.body).toEqual({ received: true, outcome: "applied" });
    const after = await accountRow(accountId);
    expect(after).toMatchObject({ details_submitted: true, charges_enabled: true, payouts_enabled: true });
    expect(after.onboarded_at).not.toBeNull();

    const again = await stripe.deliver(event);
    expect(again.body).toEqual({ received: true, outcome: "duplicate" });
    expect(await accountRow(accountId)).toEqual(after);
    const status = await api("GET", "/v1/me/seller", { headers: ada.headers });
    expect(status.body.account).toMatchObject({ details_submitted: true, payouts_enabled: true });
  });

  it("keeps onboarded_at from the first submission, and an older event delivered late does not switch payouts off", async () => {
    const { accountId } = await onboarded();
    const older = stripe.updateAccount(accountId, { details_submitted: true });
    const newer = stripe.updateAccount(accountId, { charges_enabled: true, payouts_enabled: true });
    await stripe.deliver(newer);
    const onboardedAt = (await accountRow(accountId)).onboarded_at;
    expect((await stripe.deliver(older)).body.outcome).toBe("applied");
    expect(await accountRow(accountId)).toEqual({ details_submitted: true, charges_enabled: true, payouts_enabled: true, onboarded_at: onboardedAt });

    // Stripe later disables payouts (e.g. documents needed): the flag follows
    await stripe.deliver(stripe.updateAccount(accountId, { payouts_enabled: false }));
    expect(await accountRow(accountId)).toMatchObject({ payouts_enabled: false, onboarded_at: onboardedAt });
  });

  it("ignores an account that is not one of ours, safely", async () => {
    const foreignId = `acct_test_foreign${Date.now()}`;
    stripe.accounts.set(foreignId, { id: foreignId, object: "account", details_submitted: true, charges_enabled: true, payouts_enabled: true });
    const res = await stripe.deliver(stripe.updateAccount(foreignId, { payouts_enabled: true }));
    expect(res.status).toBe(200);
    expect(await sql.query(`SELECT 1 FROM seller_accounts WHERE stripe_account_id = $1`, [foreignId])).toHaveLength(0);
    const unknownToStripe = await stripe.deliver(stripe.event("account.updated", { id: "acct_test_nowhere", object: "account" }));
    expect(unknownToStripe.status).toBe(200);
  });
});

/** A seller with payouts enabled and one paid sale (share 18.00 of 20.00), and the payout of it made through the API. */
async function paidOut() {
  const seller = await signedInUser();
  const buyer = await signedInUser();
  const accountId = await connectedAccount(stripe, seller.id);
  await paidSale({ buyerId: buyer.id, product: await makeProduct(seller.id), price: "20.00" });
  const res = await api("POST", "/v1/me/seller/payouts", { headers: seller.headers, body: { amount: "18.00" } });
  expect(res.status).toBe(201);
  const transfer = [...stripe.transfers.values()].find((t) => t.metadata.payoutId === res.body.id)!;
  return { seller, accountId, payout: res.body, transfer };
}

const payoutRow = async (id: string) =>
  (await sql.query(`SELECT status, stripe_transfer_id, completed_at IS NOT NULL AS completed, failed_at IS NOT NULL AS failed FROM seller_payouts WHERE id = $1`, [id]))[0]!;
const payoutLedger = (id: string) => sql.query(`SELECT amount::text, status, provider_transaction_id FROM transactions WHERE payout_id = $1 ORDER BY created_at, amount`, [id]);

describe("transfer.created and transfer.reversed", () => {
  it("transfer.created completes the payout and its ledger row, once", async () => {
    const { payout, transfer } = await paidOut();
    expect(payout.status).toBe("processing");
    const event = stripe.event("transfer.created", transfer);
    expect((await stripe.deliver(event)).body.outcome).toBe("applied");
    expect(await payoutRow(payout.id)).toEqual({ status: "completed", stripe_transfer_id: transfer.id, completed: true, failed: false });
    expect(await payoutLedger(payout.id)).toEqual([{ amount: "-18.00", status: "completed", provider_transaction_id: transfer.id }]);
    expect((await stripe.deliver(event)).body.outcome).toBe("duplicate");
  });

  it("finds the payout by metadata.payoutId when the event beats the request's record of the transfer id", async () => {
    const { seller, payout, transfer } = await paidOut();
    // as if the payout request had not yet written the transfer id back
    await sql.query(`UPDATE seller_payouts SET stripe_transfer_id = NULL, status = 'pending' WHERE id = $1`, [payout.id]);
    await sql.query(`UPDATE transactions SET provider_transaction_id = NULL WHERE payout_id = $1`, [payout.id]);
    await stripe.deliver(stripe.event("transfer.created", transfer));
    expect(await payoutRow(payout.id)).toMatchObject({ status: "completed", stripe_transfer_id: transfer.id });
    expect(await payoutLedger(payout.id)).toEqual([{ amount: "-18.00", status: "completed", provider_transaction_id: transfer.id }]);
    expect(await ledgerBalance(seller.id)).toBe("0.00");
  });

  it("transfer.reversed fails the payout and frees the money, even before transfer.created; a late transfer.created changes nothing", async () => {
    const { seller, payout, transfer } = await paidOut();
    expect((await api("GET", "/v1/me/seller", { headers: seller.headers })).body.balances).toEqual([{ currency: "USD", available: "0.00" }]);
    const reversal = { ...transfer, reversed: true, amount_reversed: transfer.amount, reversals: { object: "list", data: [{ id: `trr_test_${payout.id.slice(0, 8)}`, amount: transfer.amount }] } };
    expect((await stripe.deliver(stripe.event("transfer.reversed", reversal))).body.outcome).toBe("applied");
    expect(await payoutRow(payout.id)).toMatchObject({ status: "failed", failed: true });
    expect(await payoutLedger(payout.id)).toEqual([
      { amount: "-18.00", status: "completed", provider_transaction_id: transfer.id },
      { amount: "18.00", status: "completed", provider_transaction_id: `trr_test_${payout.id.slice(0, 8)}` },
    ]);
    expect((await api("GET", "/v1/me/seller", { headers: seller.headers })).body.balances).toEqual([{ currency: "USD", available: "18.00" }]);
    expect(await ledgerBalance(seller.id)).toBe("18.00");

    await stripe.deliver(stripe.event("transfer.created", transfer));
    expect((await payoutRow(payout.id)).status).toBe("failed");
    // the money is available again: a new payout takes it
    const next = await api("POST", "/v1/me/seller/payouts", { headers: seller.headers });
    expect(next.status).toBe(201);
    expect(next.body.amount).toBe("18.00");
  });

  it("a partial reversal credits only what was reversed, and a later full reversal the rest", async () => {
    const { seller, payout, transfer } = await paidOut();
    const reversed = (cents: number, n: number) => ({ ...transfer, amount_reversed: cents, reversals: { object: "list", data: [{ id: `trr_test_${n}_${payout.id.slice(0, 8)}` }] } });
    await stripe.deliver(stripe.event("transfer.reversed", reversed(500, 1)));
    expect((await payoutRow(payout.id)).status).toBe("processing");
    expect(await ledgerBalance(seller.id)).toBe("5.00");
    await stripe.deliver(stripe.event("transfer.reversed", reversed(1800, 2)));
    expect((await payoutRow(payout.id)).status).toBe("failed");
    expect(await ledgerBalance(seller.id)).toBe("18.00");
  });

  it("ignores a transfer that is not a payout of ours", async () => {
    const res = await stripe.deliver(stripe.event("transfer.created", { id: "tr_test_foreign", object: "transfer", amount: 100, metadata: { payoutId: "not-a-uuid" } }));
    expect(res.body.outcome).toBe("applied");
    const reversed = await stripe.deliver(stripe.event("transfer.reversed", { id: "tr_test_foreign2", object: "transfer", amount: 100, amount_reversed: 100, metadata: {} }));
    expect(reversed.status).toBe(200);
  });
});
