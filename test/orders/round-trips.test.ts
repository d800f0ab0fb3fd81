import { env } from "cloudflare:workers";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { useFakeStripe } from "../helpers/stripe";
import { makeFile } from "../tracks/fixtures";
import { addToCart, makeProduct, order } from "../checkout/fixtures";

const stripe = useFakeStripe();

async function roundTrips(user: SignedInUser | null, method: string, path: string, body?: unknown, extra: Record<string, string> = {}) {
  if (user) expect((await api("GET", "/v1/me", { headers: user.headers })).status).toBe(200); // warms the auth state cache
  const headers: Record<string, string> = { ...user?.headers, ...extra, ...(body !== undefined ? { "content-type": "application/json" } : {}) };
  const { response, roundTrips } = await withRoundTrips(
    new Request(`https://veza.test${path}`, { method, headers, body: body !== undefined ? JSON.stringify(body) : undefined }),
  );
  return { status: response.status, roundTrips, body: response.headers.get("content-type")?.includes("json") ? await response.json<any>() : null };
}

/** A webhook delivery's round trips: the handler's read (if any), then record + claim + writes in one batch. */
async function webhookRoundTrips(event: object) {
  const payload = JSON.stringify(event);
  const signature = await Stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret: env.STRIPE_WEBHOOK_SECRET!.split(",")[0]!,
    cryptoProvider: Stripe.createSubtleCryptoProvider(),
  });
  const { response, roundTrips } = await withRoundTrips(
    new Request("https://veza.test/v1/webhooks/stripe", { method: "POST", headers: { "content-type": "application/json", "stripe-signature": signature }, body: payload }),
  );
  return { status: response.status, roundTrips, outcome: (await response.json<{ outcome: string }>()).outcome };
}

describe("checkout's and orders' database round trips", () => {
  it("checkout is two (one when replayed); reads are one; cancel is two; webhooks are two (expiry one), a duplicate delivery changes nothing", async () => {
    const [seller, buyer] = await Promise.all([signedInUser(), signedInUser()]);
    const file = await makeFile(seller.id, { bytes: new Uint8Array([1, 2, 3]) });
    const beat = await makeProduct(seller.id, { price: "10.00", downloadFileIds: [file.id] });
    await addToCart(buyer, beat.id);

    const placed = await roundTrips(buyer, "POST", "/v1/me/checkout", {}, { "Idempotency-Key": "rt-checkout" });
    expect({ status: placed.status, roundTrips: placed.roundTrips }).toEqual({ status: 201, roundTrips: 2 });
    const replayed = await roundTrips(buyer, "POST", "/v1/me/checkout", {}, { "Idempotency-Key": "rt-checkout" });
    expect({ status: replayed.status, roundTrips: replayed.roundTrips }).toEqual({ status: 201, roundTrips: 1 });
    const orderId = placed.body.order.id as string;
    const sessionId = (await order(orderId)).stripe_checkout_session_id as string;

    const completed = stripe.completeSession(sessionId);
    expect(await webhookRoundTrips(completed)).toEqual({ status: 200, roundTrips: 2, outcome: "applied" });
    expect(await webhookRoundTrips(completed)).toEqual({ status: 200, roundTrips: 2, outcome: "duplicate" });
    const item = (await sql.query(`SELECT id FROM order_items WHERE order_id = $1`, [orderId]))[0]!.id as string;

    for (const path of ["/v1/me/orders", `/v1/me/orders/${orderId}`, "/v1/me/purchases"]) {
      expect((await roundTrips(buyer, "GET", path)).roundTrips, path).toBe(1);
    }
    expect((await roundTrips(seller, "GET", "/v1/me/sales")).roundTrips).toBe(1);
    const link = await roundTrips(buyer, "POST", `/v1/me/purchases/${item}/downloads`, { file_id: file.id });
    expect({ status: link.status, roundTrips: link.roundTrips }).toEqual({ status: 200, roundTrips: 1 });
    expect((await roundTrips(null, "GET", link.body.url)).roundTrips).toBe(1);

    expect(await webhookRoundTrips(stripe.refundCharge(sessionId))).toEqual({ status: 200, roundTrips: 2, outcome: "applied" });

    // A second order: cancelled by the buyer (two), and an expiry event for it afterwards (one, changing nothing).
    await addToCart(buyer, (await makeProduct(seller.id, { price: "3.00" })).id);
    const second = (await api("POST", "/v1/me/checkout", { headers: buyer.headers, body: {} })).body.order;
    const cancelled = await roundTrips(buyer, "POST", `/v1/me/orders/${second.id}/cancel`);
    expect({ status: cancelled.status, roundTrips: cancelled.roundTrips }).toEqual({ status: 200, roundTrips: 2 });
    const secondSession = (await order(second.id)).stripe_checkout_session_id as string;
    expect(await webhookRoundTrips(stripe.event("checkout.session.expired", { ...stripe.sessions.get(secondSession)! }))).toEqual({
      status: 200,
      roundTrips: 1,
      outcome: "applied",
    });
  });
});
