import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { useFakeStripe } from "../helpers/stripe";
import { connectedAccount, ledgerBalance, makeProduct, paidSale } from "./fixtures";

const stripe = useFakeStripe();

/** A seller whose Connect account has the flags given, with `sales` paid sales of 20.00 (18.00 each after commission). */
async function seller(sales = 1, flags: Parameters<typeof connectedAccount>[2] = {}) {
  const user = await signedInUser();
  const buyer = await signedInUser();
  const accountId = await connectedAccount(stripe, user.id, flags);
  const product = await makeProduct(user.id);
  for (let i = 0; i < sales; i++) await paidSale({ buyerId: buyer.id, product, price: "20.00" });
  return { user, accountId };
}

const payout = (who: { headers: Record<string, string> }, body?: object) => api("POST", "/v1/me/seller/payouts", { headers: who.headers, body });
const available = async (who: { headers: Record<string, string> }) => (await api("GET", "/v1/me/seller", { headers: who.headers })).body.balances[0]?.available;
const transfersTo = (accountId: string) => stripe.requests.filter((r) => r.path === "/v1/transfers" && r.params.get("destination") === accountId);

describe("POST /v1/me/seller/payouts", () => {
  it("transfers the whole available balance by default, keyed by the payout", async () => {
    const { user, accountId } = await seller(2);
    expect(await available(user)).toBe("36.00");
    const res = await payout(user);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ amount: "36.00", currency: "USD", status: "processing", failure_reason: null, payout_number: expect.stringMatching(/^PAY-\d{4}-\d{5,}$/) });

    const [transfer] = transfersTo(accountId);
    expect(Object.fromEntries(transfer!.params)).toEqual({
      amount: "3600",
      currency: "usd",
      destination: accountId,
      "metadata[payoutId]": res.body.id,
      "metadata[payoutNumber]": res.body.payout_number,
      transfer_group: res.body.payout_number,
    });
    expect(transfer!.headers.get("idempotency-key")).toBe(`payout-${res.body.id}`);

    const [row] = await sql.query(`SELECT stripe_transfer_id, payout_account_id, payout_method FROM seller_payouts WHERE id = $1`, [res.body.id]);
    expect(row).toEqual({ stripe_transfer_id: expect.stringMatching(/^tr_/), payout_account_id: accountId, payout_method: "stripe_connect" });
    const ledger = await sql.query(`SELECT transaction_type, user_id, amount::text, status, provider, provider_transaction_id FROM transactions WHERE payout_id = $1`, [res.body.id]);
    expect(ledger).toEqual([{ transaction_type: "payout", user_id: user.id, amount: "-36.00", status: "pending", provider: "stripe", provider_transaction_id: row!.stripe_transfer_id }]);
    expect(await available(user)).toBe("0.00");
    expect((await payout(user)).status).toBe(422); // nothing left
  });

  it("pays part of the balance", async () => {
    const { user } = await seller(1);
    const res = await payout(user, { amount: "10.50" });
    expect(res.body).toMatchObject({ amount: "10.50", status: "processing" });
    expect(await available(user)).toBe("7.50");
  });

  it("is refused without payouts enabled (409), and without a seller account", async () => {
    const { user, accountId } = await seller(1, { payouts_enabled: false });
    const res = await payout(user, { amount: "5.00" });
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/payouts/);
    expect(transfersTo(accountId)).toHaveLength(0);
    expect(await sql.query(`SELECT 1 FROM seller_payouts WHERE seller_id = $1`, [user.id])).toHaveLength(0);
    const nobody = await signedInUser();
    expect((await payout(nobody)).status).toBe(409);
  });

  it("is refused beyond the balance and for bad amounts (422)", async () => {
    const { user, accountId } = await seller(1);
    const beyond = await payout(user, { amount: "18.01" });
    expect(beyond.status).toBe(422);
    expect(beyond.body.detail).toMatch(/18\.00/);
    for (const amount of ["0", "0.00", "-5", "1.234", "abc", 12]) {
      expect((await payout(user, { amount })).status, String(amount)).toBe(422);
    }
    expect((await payout(user, { currency: "EUR" })).status).toBe(422); // no EUR balance
    expect(transfersTo(accountId)).toHaveLength(0);
    expect(await available(user)).toBe("18.00");
  });

  it("two concurrent payouts cannot overdraw", async () => {
    // several sellers at once, each racing two payouts of 30.00 against a balance of 36.00
    const sellers = await Promise.all([1, 2, 3, 4].map(() => seller(2)));
    const raced = await Promise.all(sellers.map(({ user }) => Promise.all([payout(user, { amount: "30.00" }), payout(user, { amount: "30.00" })])));
    for (const [i, results] of raced.entries()) {
      const { user, accountId } = sellers[i]!;
      expect(results.map((r) => r.status).sort()).toEqual([201, 422]);
      expect(await sql.query(`SELECT 1 FROM seller_payouts WHERE seller_id = $1`, [user.id])).toHaveLength(1);
      expect(transfersTo(accountId)).toHaveLength(1);
      expect(await ledgerBalance(user.id)).toBe("6.00");
    }
  });

  it("many concurrent requests for the whole balance: one wins", async () => {
    const { user } = await seller(1);
    const results = await Promise.all(Array.from({ length: 5 }, () => payout(user)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(await ledgerBalance(user.id)).toBe("0.00");
  });

  it("a Stripe refusal fails the payout and frees the money", async () => {
    const { user, accountId } = await seller(1);
    stripe.failNext = {
      path: /^\/v1\/transfers$/,
      response: () =>
        HttpResponse.json(
          { error: { type: "invalid_request_error", code: "balance_insufficient", message: "Insufficient funds in the platform's Stripe account." } },
          { status: 400 },
        ),
    };
    const res = await payout(user);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ amount: "18.00", status: "failed", failure_reason: expect.stringContaining("balance_insufficient") });
    expect(res.body.failure_reason).not.toMatch(/platform/);
    expect(res.body.failed_at).not.toBeNull();
    const ledger = await sql.query(`SELECT amount::text, status FROM transactions WHERE payout_id = $1`, [res.body.id]);
    expect(ledger).toEqual([{ amount: "-18.00", status: "cancelled" }]);
    expect(await available(user)).toBe("18.00");
    expect(await ledgerBalance(user.id)).toBe("18.00");

    const retry = await payout(user);
    expect(retry.body).toMatchObject({ amount: "18.00", status: "processing" });
    expect(transfersTo(accountId)).toHaveLength(2);
    expect(new Set(transfersTo(accountId).map((t) => t.headers.get("idempotency-key"))).size).toBe(2);
  });
});

describe("GET /v1/me/seller/payouts", () => {
  it("lists my payouts newest first, by cursor", async () => {
    const { user } = await seller(1);
    const ids: string[] = [];
    for (const amount of ["1.00", "2.00", "3.00"]) ids.push((await payout(user, { amount })).body.id);
    const first = await api("GET", "/v1/me/seller/payouts?limit=2", { headers: user.headers });
    expect(first.body.items.map((p: any) => p.amount)).toEqual(["3.00", "2.00"]);
    const rest = await api("GET", `/v1/me/seller/payouts?limit=2&cursor=${first.body.next_cursor}`, { headers: user.headers });
    expect(rest.body.items.map((p: any) => p.id)).toEqual([ids[0]]);
    expect(rest.body.next_cursor).toBeNull();
    const other = await signedInUser();
    expect((await api("GET", "/v1/me/seller/payouts", { headers: other.headers })).body.items).toEqual([]);
  });
});
