import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { useFakeStripe } from "../helpers/stripe";
import { connectedAccount, makeProduct, paidSale } from "./fixtures";

const stripe = useFakeStripe();

/** Round trips of one request as `user`, whose auth state is already cached at the edge. */
async function roundTrips(user: SignedInUser, method: string, path: string, body?: unknown) {
  expect((await api("GET", "/v1/me", { headers: user.headers })).status).toBe(200);
  const headers: Record<string, string> = { ...user.headers, ...(body !== undefined ? { "content-type": "application/json" } : {}) };
  const { response, roundTrips } = await withRoundTrips(
    new Request(`https://veza.test${path}`, { method, headers, body: body !== undefined ? JSON.stringify(body) : undefined }),
  );
  return { status: response.status, roundTrips, body: (await response.json()) as any };
}

/** Round trips of a webhook delivery (no auth). */
async function webhookRoundTrips(event: object) {
  const Stripe = (await import("stripe")).default;
  const { env } = await import("cloudflare:workers");
  const payload = JSON.stringify(event);
  const signature = await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret: env.STRIPE_WEBHOOK_SECRET!.split(",")[0]!, cryptoProvider: Stripe.createSubtleCryptoProvider() });
  const { response, roundTrips } = await withRoundTrips(
    new Request("https://veza.test/v1/webhooks/stripe", { method: "POST", headers: { "content-type": "application/json", "stripe-signature": signature }, body: payload }),
  );
  return { status: response.status, roundTrips };
}

describe("sellers' database round trips", () => {
  it("reads are one round trip, writes at most two, webhooks one (their handlers read Stripe, not the database)", async () => {
    const ada = await signedInUser();
    const created = await roundTrips(ada, "POST", "/v1/me/seller/onboarding");
    expect(created).toMatchObject({ status: 200, roundTrips: 2 });
    expect(await roundTrips(ada, "POST", "/v1/me/seller/onboarding")).toMatchObject({ status: 200, roundTrips: 1 });
    const [row] = await sql.query(`SELECT stripe_account_id FROM seller_accounts WHERE user_id = $1`, [ada.id]);
    const accountId = row!.stripe_account_id as string;
    expect(await webhookRoundTrips(stripe.updateAccount(accountId, { details_submitted: true, payouts_enabled: true }))).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(ada, "POST", "/v1/me/seller/dashboard-link")).toMatchObject({ status: 200, roundTrips: 1 });

    const seller = await signedInUser();
    const buyer = await signedInUser();
    await connectedAccount(stripe, seller.id);
    await paidSale({ buyerId: buyer.id, product: await makeProduct(seller.id) });
    expect(await roundTrips(seller, "GET", "/v1/me/seller")).toMatchObject({ status: 200, roundTrips: 1 });
    expect(await roundTrips(seller, "GET", "/v1/me/seller/earnings")).toMatchObject({ status: 200, roundTrips: 1 });
    expect(await roundTrips(seller, "GET", "/v1/me/seller/transactions")).toMatchObject({ status: 200, roundTrips: 1 });
    const payout = await roundTrips(seller, "POST", "/v1/me/seller/payouts", { amount: "5.00" });
    expect(payout).toMatchObject({ status: 201, roundTrips: 2 });
    expect(await roundTrips(seller, "POST", "/v1/me/seller/payouts", { amount: "500.00" })).toMatchObject({ status: 422, roundTrips: 1 });
    expect(await roundTrips(seller, "GET", "/v1/me/seller/payouts")).toMatchObject({ status: 200, roundTrips: 1 });
    const transfer = [...stripe.transfers.values()].find((t) => t.metadata.payoutId === payout.body.id)!;
    expect(await webhookRoundTrips(stripe.event("transfer.created", transfer))).toEqual({ status: 200, roundTrips: 1 });
    expect(await webhookRoundTrips(stripe.event("transfer.reversed", { ...transfer, amount_reversed: transfer.amount }))).toEqual({ status: 200, roundTrips: 1 });
  });
});
