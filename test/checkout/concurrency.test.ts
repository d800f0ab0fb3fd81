import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { useFakeStripe } from "../helpers/stripe";
import { addToCart, checkout, deliverCapturing, makeCode, makeLicense, makeProduct, order, soldCount, usageCount } from "./fixtures";

const stripe = useFakeStripe();

const productStatus = async (id: string) => (await sql.query(`SELECT status FROM products WHERE id = $1`, [id]))[0]!.status as string;
const sessionOf = async (orderId: string) => (await order(orderId)).stripe_checkout_session_id as string;

describe("units and uses under concurrency", () => {
  it("sells an exclusive licence once: of two concurrent checkouts one gets the order, the other 409; once paid the product is sold out and earlier leases stay valid", async () => {
    const [seller, early, a, b, late] = await Promise.all([signedInUser(), signedInUser(), signedInUser(), signedInUser(), signedInUser()]);
    const beat = await makeProduct(seller.id);
    const lease = await makeLicense(beat.id, { price: "25.00" });
    const exclusive = await makeLicense(beat.id, { price: "500.00", exclusive: true });
    // An earlier buyer's lease.
    await addToCart(early, beat.id, { license_id: lease.id });
    const earlyOrder = (await checkout(early)).body.order;
    await deliverCapturing(stripe.completeSession(await sessionOf(earlyOrder.id)));

    await addToCart(a, beat.id, { license_id: exclusive.id });
    await addToCart(b, beat.id, { license_id: exclusive.id });
    const results = await Promise.all([checkout(a), checkout(b)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const loser = results.find((r) => r.status === 409)!;
    expect(loser.body.detail).toMatch(/no longer available/i);
    expect(await soldCount(exclusive.id)).toBe(1);
    const winner = results.find((r) => r.status === 201)!.body.order;
    const orders = await sql.query(`SELECT o.id FROM orders o JOIN order_items oi ON oi.order_id = o.id WHERE oi.license_id = $1`, [exclusive.id]);
    expect(orders.map((o) => o.id)).toEqual([winner.id]);
    // Only the winner's session can be paid: the loser either never reached Stripe (it lost the
    // reservation first) or its session was expired — which one depends on the interleaving.
    const sessions = [...stripe.sessions.values()].filter((s) => s.line_items_requested.some((l: any) => l.price_data.unit_amount === "50000"));
    expect(sessions.filter((s) => s.status === "open")).toHaveLength(1);
    expect(sessions.filter((s) => s.status !== "open").map((s) => s.status)).toEqual(sessions.length === 2 ? ["expired"] : []);
    expect(sessions.length).toBeLessThanOrEqual(2);

    await deliverCapturing(stripe.completeSession(await sessionOf(winner.id)));
    expect(await productStatus(beat.id)).toBe("sold_out");
    const items = await sql.query(`SELECT license_key, revoked_at FROM order_items WHERE order_id = $1`, [earlyOrder.id]);
    expect(items[0]!.revoked_at).toBeNull();
    expect(items[0]!.license_key).toMatch(/^VEZA-/);
    // Nobody else gets it.
    const refused = await api("POST", "/v1/me/cart/items", { headers: late.headers, body: { product_id: beat.id, license_id: exclusive.id } });
    expect(refused.status).toBe(409);
  });

  it("lets two concurrent buyers take the last use of a discount code only once", async () => {
    const [seller, a, b] = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
    const beat = await makeProduct(seller.id, { price: "40.00" });
    const code = await makeCode(seller.id, { value: "25", limit: 1 });
    for (const buyer of [a, b]) {
      await addToCart(buyer, beat.id);
      expect((await api("PUT", "/v1/me/cart/discount", { headers: buyer.headers, body: { code: code.code } })).status).toBe(200);
    }
    const results = await Promise.all([checkout(a), checkout(b)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body.detail).toMatch(/used up/);
    expect(results.find((r) => r.status === 201)!.body.order.total).toBe("30.00");
    expect(await usageCount(code.id)).toBe(1);
    expect(Number((await sql.query(`SELECT count(*) AS n FROM discount_code_usage WHERE discount_code_id = $1`, [code.id]))[0]!.n)).toBe(1);

    // The winner's session expires unpaid: the use comes back.
    const winner = results.find((r) => r.status === 201)!.body.order;
    await deliverCapturing(stripe.expireSession(await sessionOf(winner.id)));
    expect(await usageCount(code.id)).toBe(0);
  });

  it("releases the licence unit when Stripe says the session expired", async () => {
    const [seller, a, b] = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
    const beat = await makeProduct(seller.id);
    const capped = await makeLicense(beat.id, { price: "15.00", limit: 1 });
    await addToCart(a, beat.id, { license_id: capped.id });
    await addToCart(b, beat.id, { license_id: capped.id });
    const placed = (await checkout(a)).body.order;
    expect(await soldCount(capped.id)).toBe(1);
    expect((await checkout(b)).status).toBe(409);

    const expired = await deliverCapturing(stripe.expireSession(await sessionOf(placed.id)));
    expect(expired.body.outcome).toBe("applied");
    expect((await order(placed.id)).status).toBe("cancelled");
    expect(await soldCount(capped.id)).toBe(0);
    expect((await sql.query(`SELECT revoked_at FROM order_items WHERE order_id = $1`, [placed.id]))[0]!.revoked_at).not.toBeNull();
    // The unit is free for the other buyer now.
    expect((await checkout(b)).status).toBe(201);
    // A completed event cannot revive the cancelled order.
    const late = await deliverCapturing(stripe.completeSession(await sessionOf(placed.id)));
    expect(late.status).toBe(200);
    expect((await order(placed.id)).status).toBe("cancelled");
    expect(await soldCount(capped.id)).toBe(1);
  });
});

/**
 * A rival's checkout committed while ours was at Stripe (between our read and our batch): the
 * fake's answer to our session request first writes the rival's reservation, then answers.
 */
function rivalWhileAtStripe(write: () => Promise<unknown>) {
  stripe.failNext = {
    path: /^\/v1\/checkout\/sessions$/,
    response: (async () => {
      await write();
      const id = `cs_test_rival_${Math.random().toString(36).slice(2)}`;
      return Response.json({ id, object: "checkout.session", status: "open", url: `https://checkout.stripe.com/c/pay/${id}`, metadata: {} });
    }) as unknown as () => Response,
  };
}

async function rivalOrder(userId: string, licenseId: string | null, productId: string, sellerId: string) {
  const [o] = await sql.query(
    `INSERT INTO orders (user_id, subtotal, tax_total, total, billing_email) VALUES ($1, 10, 0, 10, 'rival@example.com') RETURNING id`,
    [userId],
  );
  await sql.query(
    `INSERT INTO order_items (order_id, product_id, license_id, product_name, seller_id, price) VALUES ($1, $2, $3, 'rival', $4, 10)`,
    [o!.id, productId, licenseId, sellerId],
  );
  return o!.id as string;
}

describe("the database's last word at checkout", () => {
  it("answers 409 when the licence's last unit was taken between the read and the write, and keeps nothing", async () => {
    const [seller, buyer, rival] = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
    const beat = await makeProduct(seller.id);
    const exclusive = await makeLicense(beat.id, { price: "300.00", exclusive: true });
    await addToCart(buyer, beat.id, { license_id: exclusive.id });
    rivalWhileAtStripe(() => rivalOrder(rival.id, exclusive.id, beat.id, seller.id));
    const res = await checkout(buyer);
    expect(res.status, res.text).toBe(409);
    expect(res.body.detail).toMatch(/sold out while you checked out/);
    expect(await sql.query(`SELECT id FROM orders WHERE user_id = $1`, [buyer.id])).toHaveLength(0);
    expect(await soldCount(exclusive.id)).toBe(1); // the rival's unit only
  });

  it("answers 409 when the code's last use was taken between the read and the write, and keeps nothing", async () => {
    const [seller, buyer, rival] = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
    const beat = await makeProduct(seller.id, { price: "50.00" });
    const code = await makeCode(seller.id, { value: "20", limit: 1 });
    await addToCart(buyer, beat.id);
    await api("PUT", "/v1/me/cart/discount", { headers: buyer.headers, body: { code: code.code } });
    rivalWhileAtStripe(async () => {
      const orderId = await rivalOrder(rival.id, null, beat.id, seller.id);
      await sql.query(`INSERT INTO discount_code_usage (discount_code_id, order_id, user_id, discount_amount) VALUES ($1, $2, $3, 2)`, [code.id, orderId, rival.id]);
    });
    const res = await checkout(buyer);
    expect(res.status, res.text).toBe(409);
    expect(res.body.detail).toMatch(/just been used up/);
    expect(await sql.query(`SELECT id FROM orders WHERE user_id = $1`, [buyer.id])).toHaveLength(0);
    expect(await usageCount(code.id)).toBe(1);
  });
});

describe("POST /v1/me/orders/:id/cancel", () => {
  it("cancels my pending order: the session is expired, the unit and the code's use released; twice is 409; another's is 404", async () => {
    const [seller, buyer, other] = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
    const beat = await makeProduct(seller.id, { price: "20.00" });
    const capped = await makeLicense(beat.id, { price: "20.00", limit: 3 });
    const code = await makeCode(seller.id, { value: "10", limit: 5 });
    await addToCart(buyer, beat.id, { license_id: capped.id });
    await api("PUT", "/v1/me/cart/discount", { headers: buyer.headers, body: { code: code.code } });
    const placed = (await checkout(buyer)).body.order;
    expect(await usageCount(code.id)).toBe(1);

    expect((await api("POST", `/v1/me/orders/${placed.id}/cancel`, { headers: other.headers })).status).toBe(404);
    const res = await api("POST", `/v1/me/orders/${placed.id}/cancel`, { headers: buyer.headers });
    expect(res.status, res.text).toBe(200);
    expect(res.body.status).toBe("cancelled");
    expect(res.body.checkout_url).toBeNull();
    expect(stripe.sessions.get(await sessionOf(placed.id))!.status).toBe("expired");
    expect(await soldCount(capped.id)).toBe(0);
    expect(await usageCount(code.id)).toBe(0);
    expect((await api("POST", `/v1/me/orders/${placed.id}/cancel`, { headers: buyer.headers })).status).toBe(409);
    // The cart still holds the line: the buyer can check out again.
    expect((await api("GET", "/v1/me/cart", { headers: buyer.headers })).body.item_count).toBe(1);
  });

  it("refuses to cancel an order Stripe already completed", async () => {
    const [seller, buyer] = await Promise.all([signedInUser(), signedInUser()]);
    const beat = await makeProduct(seller.id, { price: "20.00" });
    await addToCart(buyer, beat.id);
    const placed = (await checkout(buyer)).body.order;
    stripe.completeSession(await sessionOf(placed.id)); // paid on Stripe, webhook not yet delivered
    const res = await api("POST", `/v1/me/orders/${placed.id}/cancel`, { headers: buyer.headers });
    expect(res.status).toBe(409);
    expect((await order(placed.id)).status).toBe("pending");
  });
});
