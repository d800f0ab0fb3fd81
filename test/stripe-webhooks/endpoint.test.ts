import { describe, expect, it } from "vitest";
import { sql } from "../helpers/db";
import { useFakeStripe } from "../helpers/stripe";

const stripe = useFakeStripe();

describe("POST /v1/webhooks/stripe", () => {
  it("refuses a body signed with another secret, and records nothing", async () => {
    const event = stripe.event("customer.created", { id: "cus_1", object: "customer" });
    const res = await stripe.deliver(event, { secret: "whsec_not_ours" });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await sql.query(`SELECT 1 FROM stripe_events WHERE stripe_event_id = $1`, [event.id])).toHaveLength(0);
  });

  it("refuses a signed body that was altered after signing", async () => {
    const event = stripe.event("customer.created", { id: "cus_2", object: "customer" });
    const good = await stripe.deliver(stripe.event("customer.created", { id: "cus_3" }));
    expect(good.status).toBe(200);
    const { headers } = await (async () => {
      const Stripe = (await import("stripe")).default;
      const signature = await Stripe.webhooks.generateTestHeaderStringAsync({
        payload: JSON.stringify(event),
        secret: "whsec_test_veza_0123456789",
        cryptoProvider: Stripe.createSubtleCryptoProvider(),
      });
      return { headers: signature };
    })();
    const tampered = JSON.stringify({ ...event, type: "checkout.session.completed" });
    const res = await stripe.deliver(event, { signature: headers, rawBody: tampered });
    expect(res.status).toBe(400);
  });

  it("refuses a delivery without a signature", async () => {
    const res = await stripe.deliver(stripe.event("customer.created", {}), { signature: "" });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/Stripe-Signature/);
  });

  it("answers a signed body that is not JSON with 400, not 500", async () => {
    const res = await stripe.deliver({}, { rawBody: "this is not json" });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });

  it("acknowledges a paid Checkout Session that is not one of Veza's (no order id) instead of waiting for it", async () => {
    const event = stripe.event("checkout.session.completed", {
      id: "cs_test_foreign",
      object: "checkout.session",
      status: "complete",
      payment_status: "paid",
      amount_total: 500,
      currency: "usd",
      metadata: {},
      client_reference_id: null,
      payment_intent: "pi_test_foreign",
    });
    const res = await stripe.deliver(event);
    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe("applied");
    expect(await sql.query(`SELECT processed_at IS NOT NULL AS done FROM stripe_events WHERE stripe_event_id = $1`, [event.id])).toEqual([{ done: true }]);
  });

  it("acknowledges and records an event type Veza does not use, once", async () => {
    const event = stripe.event("customer.created", { id: "cus_4", object: "customer" });
    const first = await stripe.deliver(event);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ received: true, outcome: "ignored" });
    const again = await stripe.deliver(event);
    expect(again.body.outcome).toBe("ignored");
    const rows = await sql.query(`SELECT type, processed_at FROM stripe_events WHERE stripe_event_id = $1`, [event.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.type).toBe("customer.created");
    expect(rows[0]!.processed_at).not.toBeNull();
  });
});
