import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { useFakeStripe } from "../helpers/stripe";
import { makeFile, ramp } from "../tracks/fixtures";
import { addToCart, checkout, deliverCapturing, expectBalanced, ledgerOf, makeLicense, makeProduct, order, soldCount } from "./fixtures";

const stripe = useFakeStripe();
const sessionOf = async (orderId: string) => (await order(orderId)).stripe_checkout_session_id as string;

/** A paid order of two sellers' items (30.00 with a capped licence, 12.34), with a downloadable file. */
async function paidOrder() {
  const [seller, other, buyer] = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
  const file = await makeFile(seller.id, { originalFilename: "stems.zip", mime: "application/zip", bytes: ramp(300) });
  const beat = await makeProduct(seller.id, { downloadFileIds: [file.id] });
  const lease = await makeLicense(beat.id, { price: "30.00", limit: 5 });
  const kit = await makeProduct(other.id, { price: "12.34" });
  await addToCart(buyer, beat.id, { license_id: lease.id });
  await addToCart(buyer, kit.id);
  const placed = (await checkout(buyer)).body.order;
  const sessionId = await sessionOf(placed.id);
  expect((await deliverCapturing(stripe.completeSession(sessionId))).body.outcome).toBe("applied");
  const item = (await sql.query(`SELECT id FROM order_items WHERE order_id = $1 AND product_id = $2`, [placed.id, beat.id]))[0]!.id as string;
  return { seller, other, buyer, file, beat, lease, placed, sessionId, item };
}

const download = (url: string) => exports.default.fetch(`https://veza.test${url}`);

describe("charge.refunded", () => {
  it("refunds in full: the order is refunded, downloads stop even on a valid link, the unit comes back and the ledger balances at zero", async () => {
    const { seller, other, buyer, file, lease, placed, sessionId, item } = await paidOrder();
    const link = await api("POST", `/v1/me/purchases/${item}/downloads`, { headers: buyer.headers, body: { file_id: file.id } });
    expect((await download(link.body.url)).status).toBe(200);
    expect(await soldCount(lease.id)).toBe(1);

    const refunded = await deliverCapturing(stripe.refundCharge(sessionId));
    expect(refunded.body.outcome).toBe("applied");
    const after = await api("GET", `/v1/me/orders/${placed.id}`, { headers: buyer.headers });
    expect(after.body.status).toBe("refunded");
    expect(after.body.refunded_at).not.toBeNull();
    expect(after.body.items.every((i: any) => i.revoked)).toBe(true);
    expect(await soldCount(lease.id)).toBe(0);

    const refusedDownload = await download(link.body.url);
    expect(refusedDownload.status).toBe(410);
    expect((await api("POST", `/v1/me/purchases/${item}/downloads`, { headers: buyer.headers, body: { file_id: file.id } })).status).toBe(410);
    expect((await api("GET", "/v1/me/purchases", { headers: buyer.headers })).body.items).toEqual([]);

    const { rows, sum } = await ledgerOf(placed.id);
    expect(sum("payment")).toBe(4234);
    expect(sum("refund")).toBe(-4234);
    const refundRow = rows.find((r) => r.transaction_type === "refund")!;
    expect(refundRow.provider).toBe("stripe");
    expect(refundRow.provider_transaction_id).toMatch(/^re_/);
    for (const sellerId of [seller.id, other.id]) {
      expect(sum("sale", sellerId)).toBe(0);
      expect(sum("commission", sellerId)).toBe(0);
    }
    await expectBalanced(placed.id);
  });

  it("records a partial refund proportionally and keeps the order paid; the rest later refunds it in full", async () => {
    const { seller, other, buyer, file, placed, sessionId, item } = await paidOrder();
    expect((await deliverCapturing(stripe.refundCharge(sessionId, 1000))).body.outcome).toBe("applied");
    expect((await order(placed.id)).status).toBe("paid");
    const partial = await ledgerOf(placed.id);
    expect(partial.sum("refund")).toBe(-1000);
    // 10.00 shared by what each seller holds (30.00 : 12.34): 7.08 and 2.91 rounded down, the cent
    // left over to the larger share (7.09); within it, 10 % (0.71) comes back from the commission
    expect(partial.sum("sale", seller.id) + partial.sum("commission", seller.id)).toBe(3000 - 709);
    expect(partial.sum("sale", other.id) + partial.sum("commission", other.id)).toBe(1234 - 291);
    expect(partial.sum("commission", seller.id)).toBe(300 - 71);
    expect(partial.sum("commission", other.id)).toBe(123 - 29);
    await expectBalanced(placed.id);
    const link = await api("POST", `/v1/me/purchases/${item}/downloads`, { headers: buyer.headers, body: { file_id: file.id } });
    expect((await download(link.body.url)).status).toBe(200);

    // Stripe's next charge.refunded carries the cumulative amount: the whole charge now.
    expect((await deliverCapturing(stripe.refundCharge(sessionId))).body.outcome).toBe("applied");
    expect((await order(placed.id)).status).toBe("refunded");
    const full = await ledgerOf(placed.id);
    expect(full.sum("refund")).toBe(-4234);
    expect(full.sum("sale") + full.sum("commission")).toBe(0);
    await expectBalanced(placed.id);
  });

  it("records a refund delivered twice once", async () => {
    const { placed, sessionId } = await paidOrder();
    const event = stripe.refundCharge(sessionId, 500);
    expect((await deliverCapturing(event)).body.outcome).toBe("applied");
    const before = (await ledgerOf(placed.id)).rows;
    expect((await deliverCapturing(event)).body.outcome).toBe("duplicate");
    expect((await ledgerOf(placed.id)).rows).toEqual(before);
  });

  it("waits (409, retried by Stripe) when the refund arrives before the payment was applied", async () => {
    const [seller, buyer] = await Promise.all([signedInUser(), signedInUser()]);
    const beat = await makeProduct(seller.id, { price: "20.00" });
    await addToCart(buyer, beat.id);
    const placed = (await checkout(buyer)).body.order;
    const sessionId = await sessionOf(placed.id);
    const completed = stripe.completeSession(sessionId); // paid on Stripe; this event is late
    const refund = stripe.refundCharge(sessionId);
    const early = await deliverCapturing(refund);
    expect(early.status).toBe(409);
    expect((await ledgerOf(placed.id)).rows).toEqual([]);
    expect((await sql.query(`SELECT processed_at FROM stripe_events WHERE stripe_event_id = $1`, [refund.id]))[0]!.processed_at).toBeNull();

    expect((await deliverCapturing(completed)).body.outcome).toBe("applied");
    expect((await deliverCapturing(refund)).body.outcome).toBe("applied");
    expect((await order(placed.id)).status).toBe("refunded");
    await expectBalanced(placed.id);
  });

  it("gives a refunded exclusive licence back: its seller puts the sold-out product back on sale, and it sells", async () => {
    const [seller, buyer, next] = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
    const beat = await makeProduct(seller.id);
    const exclusive = await makeLicense(beat.id, { price: "400.00", exclusive: true });
    await addToCart(buyer, beat.id, { license_id: exclusive.id });
    const placed = (await checkout(buyer)).body.order;
    const sessionId = await sessionOf(placed.id);
    await deliverCapturing(stripe.completeSession(sessionId));
    const status = async () => (await sql.query(`SELECT status FROM products WHERE id = $1`, [beat.id]))[0]!.status;
    expect(await status()).toBe("sold_out");
    const relist = (to: string) => api("PATCH", `/v1/products/${beat.id}`, { headers: seller.headers, body: { status: to } });
    // Off sale for good while the exclusive buyer holds it.
    expect((await relist("active")).status).toBe(409);

    await deliverCapturing(stripe.refundCharge(sessionId));
    expect(await soldCount(exclusive.id)).toBe(0);
    expect((await relist("active")).status).toBe(200);
    await addToCart(next, beat.id, { license_id: exclusive.id });
    expect((await checkout(next)).status).toBe(201);
    expect(await soldCount(exclusive.id)).toBe(1);
  });

  it("acknowledges a refund of a charge that is no order's, changing nothing", async () => {
    const event = stripe.event("charge.refunded", {
      id: "ch_not_ours",
      object: "charge",
      amount: 1000,
      amount_refunded: 1000,
      refunded: true,
      payment_intent: "pi_not_ours",
      metadata: {},
      refunds: { object: "list", data: [], has_more: false },
    });
    const res = await deliverCapturing(event);
    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe("applied");
    expect(await sql.query(`SELECT 1 FROM transactions WHERE provider_transaction_id LIKE 'ch_not_ours%'`)).toHaveLength(0);
  });
});
