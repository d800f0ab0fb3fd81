import { env, exports } from "cloudflare:workers";
import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql, uniq } from "../helpers/db";
import { useFakeStripe } from "../helpers/stripe";
import { mailbox, runQueue } from "../mail/outbox";
import { makeFile, ramp } from "../tracks/fixtures";
import { addToCart, checkout, deliverCapturing, expectBalanced, ledgerOf, makeCode, makeLicense, makeProduct, order, soldCount, usageCount } from "./fixtures";

const stripe = useFakeStripe();
const LICENSE_KEY = /^VEZA-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/;

/** Two sellers' products in a buyer's cart, the first seller's code applied (15 % of their item). */
async function cartWithDiscount() {
  const [seller, other, buyer] = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
  const bytes = ramp(5000);
  const file = await makeFile(seller.id, { mime: "audio/wav", originalFilename: "Night Drive.wav", bytes });
  const beat = await makeProduct(seller.id, { price: "19.99", downloadFileIds: [file.id] });
  const lease = await makeLicense(beat.id, { price: "29.99", limit: 100 });
  const kit = await makeProduct(other.id, { price: "10.00" });
  const code = await makeCode(seller.id, { value: "15" });
  await addToCart(buyer, beat.id, { license_id: lease.id });
  await addToCart(buyer, kit.id);
  const applied = await api("PUT", "/v1/me/cart/discount", { headers: buyer.headers, body: { code: code.code.toLowerCase() } });
  expect(applied.status, applied.text).toBe(200);
  return { seller, other, buyer, file, bytes, beat, lease, kit, code, cart: applied.body };
}

const sessionOf = async (orderId: string) => (await order(orderId)).stripe_checkout_session_id as string;

describe("the full purchase", () => {
  it("goes from a discounted cart through Stripe and the webhook to a paid order, a licence key, a download, an empty cart and a balanced ledger", async () => {
    const { seller, other, buyer, file, bytes, beat, lease, kit, code, cart } = await cartWithDiscount();
    // 15 % of 29.99 = 4.4985 → 4.50, borne by the seller's line only
    expect(cart.discount).toBe("4.50");
    expect(cart.subtotal).toBe("39.99");
    expect(cart.total).toBe("35.49");
    expect(cart.items.find((l: any) => l.product_id === kit.id).discount).toBe("0.00");

    const key = `key-${uniq()}`;
    const res = await checkout(buyer, key);
    expect(res.status, res.text).toBe(201);
    const placed = res.body.order;
    expect(placed.order_number).toMatch(/^ORD-\d{4}-\d{5,}$/);
    expect(placed.status).toBe("pending");
    expect(placed.total).toBe("35.49");
    expect(placed.discount_total).toBe("4.50");
    expect(placed.discount_code).toBe(code.code);
    expect(placed.items.every((i: any) => i.license_key === null)).toBe(true);
    expect(res.body.checkout_url).toMatch(/^https:\/\/checkout\.stripe\.com\//);

    // The Stripe request: amounts in cents after the discount, the order in metadata, Stripe's idempotency key.
    const request = stripe.requests.find((r) => r.path === "/v1/checkout/sessions" && r.params.get("metadata[orderId]") === placed.id)!;
    expect(request).toBeDefined();
    expect(request.headers.get("idempotency-key")).toBe(`checkout-${placed.id}`);
    const sent = stripe.calls("/v1/checkout/sessions").find((c) => c.metadata?.orderId === placed.id)!;
    expect(sent.mode).toBe("payment");
    expect(sent.client_reference_id).toBe(placed.id);
    expect(sent.customer_email).toBe(buyer.email);
    expect(sent.success_url.startsWith(env.APP_URL)).toBe(true);
    expect(sent.line_items.map((l: any) => [l.price_data.currency, l.price_data.unit_amount, l.quantity]).sort()).toEqual([
      ["usd", "1000", "1"],
      ["usd", "2549", "1"],
    ]);
    const expiresIn = Number(sent.expires_at) - Date.now() / 1000;
    expect(expiresIn).toBeGreaterThan(30 * 60);
    expect(expiresIn).toBeLessThan(32 * 60);
    // The unit and the code's use are taken at checkout.
    expect(await soldCount(lease.id)).toBe(1);
    expect(await usageCount(code.id)).toBe(1);

    const sessionId = await sessionOf(placed.id);
    const delivered = await deliverCapturing(stripe.completeSession(sessionId));
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
    expect(delivered.body.outcome).toBe("applied");

    const paid = await api("GET", `/v1/me/orders/${placed.order_number}`, { headers: buyer.headers });
    expect(paid.status).toBe(200);
    expect(paid.body.status).toBe("paid");
    expect(paid.body.paid_at).not.toBeNull();
    expect(paid.body.payment_method).toBe("stripe");
    expect(paid.body.checkout_url).toBeNull();
    const beatItem = paid.body.items.find((i: any) => i.product_id === beat.id);
    expect(beatItem.license_key).toMatch(LICENSE_KEY);
    expect(beatItem.license).toEqual({ id: lease.id, name: lease.name });
    expect(beatItem.license_terms).toMatch(/Non-exclusive/);
    expect(beatItem.price).toBe("25.49");
    expect(new Set(paid.body.items.map((i: any) => i.license_key)).size).toBe(2);
    expect(Number((await sql.query(`SELECT sale_count FROM products WHERE id = $1`, [beat.id]))[0]!.sale_count)).toBe(1);

    // The cart is empty and its code cleared.
    const after = await api("GET", "/v1/me/cart", { headers: buyer.headers });
    expect(after.body.items).toEqual([]);
    expect(after.body.discount_code).toBeNull();
    expect(after.body.total).toBe("0.00");

    // The ledger: the payment; per seller, the sale and 10 % commission on the discounted amount.
    const { rows, sum } = await ledgerOf(placed.id);
    expect(sum("payment")).toBe(3549);
    expect(rows.find((r) => r.transaction_type === "payment")!.provider_transaction_id).toBe(stripe.sessions.get(sessionId)!.payment_intent);
    expect(sum("commission", seller.id)).toBe(255); // 10 % of 25.49 = 2.549 → 2.55
    expect(sum("sale", seller.id)).toBe(2294);
    expect(sum("commission", other.id)).toBe(100);
    expect(sum("sale", other.id)).toBe(900);
    await expectBalanced(placed.id);
    const balances = await sql.query(
      `SELECT user_id, round(sum(amount) * 100)::int AS cents FROM transactions WHERE transaction_type IN ('sale', 'payout') AND user_id = ANY($1::uuid[]) GROUP BY user_id`,
      [`{${seller.id},${other.id}}`],
    );
    expect(Object.fromEntries(balances.map((b) => [b.user_id, Number(b.cents)]))).toEqual({ [seller.id]: 2294, [other.id]: 900 });

    // The receipt goes out once committed.
    const receipts = delivered.outbox.filter((m) => m.type === "mail.send");
    expect(receipts).toHaveLength(1);
    expect(receipts[0]!.to).toBe(buyer.email);
    expect(receipts[0]!.text).toContain(placed.order_number);
    expect(receipts[0]!.text).toContain(beatItem.license_key);
    expect((await runQueue(receipts)).retried).toEqual([]);
    expect((await mailbox(buyer.email)).map((m) => m.subject)).toContain(`Your Veza receipt, order ${placed.order_number}`);

    // The download: a signed link, the bytes uploaded, counted once.
    const link = await api("POST", `/v1/me/purchases/${beatItem.id}/downloads`, { headers: buyer.headers, body: { file_id: file.id } });
    expect(link.status, link.text).toBe(200);
    expect(link.body.url).toMatch(new RegExp(`^/v1/downloads/${beatItem.id}/${file.id}\\?exp=\\d+&sig=`));
    const download = await fetchDownload(link.body.url);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toContain('filename="Night Drive.wav"');
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);
    expect(await downloadCount(beatItem.id)).toBe(1);
    const part = await fetchDownload(link.body.url, { range: "bytes=100-199" });
    expect(part.status).toBe(206);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes.slice(100, 200));
    expect(await downloadCount(beatItem.id)).toBe(1); // a range past the first byte is the same download
  });

  it("applies the same webhook delivered twice once: nothing changes the second time", async () => {
    const { buyer } = await cartWithDiscount();
    const placed = (await checkout(buyer)).body.order;
    const event = stripe.completeSession(await sessionOf(placed.id));
    expect((await deliverCapturing(event)).body.outcome).toBe("applied");
    const snapshot = async () => ({
      ledger: (await ledgerOf(placed.id)).rows,
      items: await sql.query(`SELECT id, license_key, revoked_at FROM order_items WHERE order_id = $1 ORDER BY id`, [placed.id]),
      order: await order(placed.id),
      sales: await sql.query(`SELECT p.id, p.sale_count FROM products p JOIN order_items oi ON oi.product_id = p.id WHERE oi.order_id = $1 ORDER BY p.id`, [placed.id]),
    });
    const before = await snapshot();
    const again = await deliverCapturing(event);
    expect(again.status).toBe(200);
    expect(again.body.outcome).toBe("duplicate");
    expect(again.outbox).toEqual([]); // no second receipt
    expect(await snapshot()).toEqual(before);
  });

  it("notifies each seller of their sale once, with what was sold and for how much", async () => {
    const { seller, other, buyer } = await cartWithDiscount();
    const placed = (await checkout(buyer)).body.order;
    const completed = stripe.completeSession(await sessionOf(placed.id));
    await deliverCapturing(completed);
    await deliverCapturing(completed);
    const sales = async (userId: string) =>
      sql.query(`SELECT actor_id, title, body, data FROM notifications WHERE user_id = $1 AND type = 'system' AND data->>'kind' = 'sale'`, [userId]);
    const [mine] = await sales(seller.id);
    expect(await sales(seller.id)).toHaveLength(1);
    // 29.99 less the 15 % code (4.50): the seller's lines after discount.
    expect(mine).toMatchObject({ actor_id: buyer.id, title: "New sale", data: { kind: "sale", order_number: placed.order_number, amount: "25.49", currency: "USD" } });
    expect((await sales(other.id)).map((n) => n.data.amount)).toEqual(["10.00"]);
    expect(await sales(buyer.id)).toEqual([]);
    const inbox = await api("GET", "/v1/me/notifications", { headers: seller.headers });
    expect(inbox.body.items.some((n: { title: string }) => n.title === "New sale")).toBe(true);
  });

  it("refuses a forged signature and changes nothing", async () => {
    const { buyer } = await cartWithDiscount();
    const placed = (await checkout(buyer)).body.order;
    const event = stripe.completeSession(await sessionOf(placed.id));
    const forged = await stripe.deliver(event, { secret: "whsec_forged_by_someone" });
    expect(forged.status).toBe(400);
    expect((await order(placed.id)).status).toBe("pending");
    expect((await ledgerOf(placed.id)).rows).toEqual([]);
    expect(await sql.query(`SELECT 1 FROM stripe_events WHERE stripe_event_id = $1`, [event.id])).toHaveLength(0);
  });

  it("makes one order and one Stripe session for a checkout retried with the same Idempotency-Key", async () => {
    const { buyer } = await cartWithDiscount();
    const key = `retry-${uniq()}`;
    const first = await checkout(buyer, key);
    const second = await checkout(buyer, key);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.order.id).toBe(first.body.order.id);
    expect(second.body.checkout_url).toBe(first.body.checkout_url);
    expect(await sql.query(`SELECT id FROM orders WHERE user_id = $1`, [buyer.id])).toHaveLength(1);
    expect(stripe.calls("/v1/checkout/sessions").filter((c) => c.metadata?.orderId === first.body.order.id)).toHaveLength(1);
    // A different key is a new checkout.
    const third = await checkout(buyer, `other-${uniq()}`);
    expect(third.status).toBe(201);
    expect(third.body.order.id).not.toBe(first.body.order.id);
  });

  it("completes a free order at once, without Stripe or ledger rows", async () => {
    const [seller, buyer] = await Promise.all([signedInUser(), signedInUser()]);
    const free = await makeProduct(seller.id, { pricingModel: "free" });
    await addToCart(buyer, free.id);
    const before = stripe.requests.length;
    const res = await checkout(buyer, undefined, { billing_email: "receipts@example.com" });
    expect(res.status, res.text).toBe(201);
    expect(res.body.checkout_url).toBeNull();
    expect(res.body.order.status).toBe("paid");
    expect(res.body.order.total).toBe("0.00");
    expect(res.body.order.billing_email).toBe("receipts@example.com");
    expect(res.body.order.items[0].license_key).toMatch(LICENSE_KEY);
    expect(stripe.requests.length).toBe(before);
    expect((await ledgerOf(res.body.order.id)).rows).toEqual([]);
    expect((await api("GET", "/v1/me/cart", { headers: buyer.headers })).body.items).toEqual([]);
  });

  it("refuses to check out a line whose price changed since it was added, until it is added again", async () => {
    const [seller, buyer] = await Promise.all([signedInUser(), signedInUser()]);
    const beat = await makeProduct(seller.id, { price: "10.00" });
    await addToCart(buyer, beat.id);
    await sql.query(`UPDATE products SET price = 12.00 WHERE id = $1`, [beat.id]);
    const cart = await api("GET", "/v1/me/cart", { headers: buyer.headers });
    expect(cart.body.items[0]).toMatchObject({ price: "10.00", current_price: "12.00", price_changed: true });
    expect(cart.body.total).toBe("10.00"); // the snapshot
    const refused = await checkout(buyer);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/price changed/);
    expect(await sql.query(`SELECT id FROM orders WHERE user_id = $1`, [buyer.id])).toHaveLength(0);
    await addToCart(buyer, beat.id);
    const placed = await checkout(buyer);
    expect(placed.status).toBe(201);
    expect(placed.body.order.total).toBe("12.00");
  });

  it("reserves nothing when Stripe fails, and answers 503", async () => {
    const { buyer, lease, code } = await cartWithDiscount();
    stripe.failNext = {
      path: /^\/v1\/checkout\/sessions$/,
      response: () => HttpResponse.json({ error: { type: "invalid_request_error", message: "The provider said no" } }, { status: 400 }),
    };
    const key = `fail-${uniq()}`;
    const res = await checkout(buyer, key);
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await sql.query(`SELECT id FROM orders WHERE user_id = $1`, [buyer.id])).toHaveLength(0);
    expect(await soldCount(lease.id)).toBe(0);
    expect(await usageCount(code.id)).toBe(0);
    // The same key works once Stripe is back: the failed attempt left no order behind it.
    expect((await checkout(buyer, key)).status).toBe(201);
  });

  it("refuses an empty cart and a line no longer on sale", async () => {
    const [seller, buyer] = await Promise.all([signedInUser(), signedInUser()]);
    expect((await checkout(buyer)).status).toBe(409);
    const beat = await makeProduct(seller.id);
    await addToCart(buyer, beat.id);
    await sql.query(`UPDATE products SET status = 'inactive' WHERE id = $1`, [beat.id]);
    const res = await checkout(buyer);
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain(beat.name);
  });
});

const fetchDownload = (url: string, headers: Record<string, string> = {}) => exports.default.fetch(`https://veza.test${url}`, { headers });

const downloadCount = async (itemId: string) =>
  Number((await sql.query(`SELECT download_count FROM order_items WHERE id = $1`, [itemId]))[0]!.download_count);

