import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { expectSignedInOnly } from "../helpers/authorisation";
import { MISSING, sql } from "../helpers/db";
import { banUser } from "../tracks/fixtures";
import { addToCart, makeCode, makeLicense, makeProduct } from "../checkout/fixtures";
import { useFakeStripe } from "../helpers/stripe";

const add = (who: { headers: Record<string, string> }, body: object) => api("POST", "/v1/me/cart/items", { headers: who.headers, body });
const applyCode = (who: { headers: Record<string, string> }, code: string) => api("PUT", "/v1/me/cart/discount", { headers: who.headers, body: { code } });

describe("the cart", () => {
  it("starts empty, snapshots prices per pricing model, replaces a line added again, and removes lines", async () => {
    const [seller, buyer] = await Promise.all([signedInUser(), signedInUser()]);
    const empty = await api("GET", "/v1/me/cart", { headers: buyer.headers });
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ id: null, items: [], item_count: 0, subtotal: "0.00", total: "0.00", discount_code: null });

    const fixed = await makeProduct(seller.id, { price: "9.99" });
    const pwyw = await makeProduct(seller.id, { pricingModel: "pwyw", price: "15.00", minimumPrice: "5.00" });
    const free = await makeProduct(seller.id, { pricingModel: "free" });
    const leased = await makeProduct(seller.id, { price: "1.00" });
    const lease = await makeLicense(leased.id, { price: "49.00" });

    await addToCart(buyer, fixed.id, { amount: "1.00" }); // ignored: a fixed price
    await addToCart(buyer, pwyw.id); // the suggested price
    await addToCart(buyer, free.id);
    const cart = await addToCart(buyer, leased.id, { license_id: lease.id });
    expect(cart.items.map((l: any) => [l.product_id, l.price])).toEqual([
      [fixed.id, "9.99"],
      [pwyw.id, "15.00"],
      [free.id, "0.00"],
      [leased.id, "49.00"],
    ]);
    expect(cart.items[3].license).toEqual({ id: lease.id, name: lease.name });
    expect(cart.items[0].seller).toEqual({ id: seller.id, username: seller.username });
    expect(cart).toMatchObject({ currency: "USD", item_count: 4, subtotal: "73.99", discount: "0.00", total: "73.99" });

    // Pay what you want: at least the minimum; adding again replaces the line.
    const tooLittle = await add(buyer, { product_id: pwyw.id, amount: "4.99" });
    expect(tooLittle.status).toBe(422);
    expect(tooLittle.body.errors).toEqual([{ path: "json.amount", message: "must be at least 5.00" }]);
    const generous = await addToCart(buyer, pwyw.id, { amount: "25.50" });
    expect(generous.items.find((l: any) => l.product_id === pwyw.id).price).toBe("25.50");
    expect(generous.item_count).toBe(4);
    expect(generous.subtotal).toBe("84.49");
    // The trigger's totals agree.
    const [row] = await sql.query(`SELECT item_count, subtotal::text FROM carts WHERE user_id = $1`, [buyer.id]);
    expect(row).toEqual({ item_count: 4, subtotal: "84.49" });

    const removed = await api("DELETE", `/v1/me/cart/items/${free.id}`, { headers: buyer.headers });
    expect(removed.status).toBe(200);
    expect(removed.body.item_count).toBe(3);
    expect((await api("DELETE", `/v1/me/cart/items/${free.id}`, { headers: buyer.headers })).status).toBe(200);
    expect((await api("DELETE", "/v1/me/cart", { headers: buyer.headers })).status).toBe(204);
    expect((await api("GET", "/v1/me/cart", { headers: buyer.headers })).body.items).toEqual([]);
  });

  it("refuses what cannot be bought: missing, draft, own, sold out, inactive, a licence to choose or not of the product, another currency", async () => {
    const [seller, buyer, banned] = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
    const draft = await makeProduct(seller.id, { status: "draft" });
    const inactive = await makeProduct(seller.id, { status: "inactive" });
    const soldOut = await makeProduct(seller.id, { status: "sold_out" });
    const leased = await makeProduct(seller.id);
    const lease = await makeLicense(leased.id, { limit: 1 });
    const withdrawn = await makeLicense(leased.id, { active: false });
    const other = await makeProduct(seller.id);
    const otherLease = await makeLicense(other.id);
    const euro = await makeProduct(seller.id, { currency: "EUR" });
    const bannedProduct = await makeProduct(banned.id);
    await banUser(banned.id);

    expect((await add(buyer, { product_id: MISSING })).status).toBe(404);
    expect((await add(buyer, { product_id: draft.id })).status).toBe(404);
    expect((await add(buyer, { product_id: bannedProduct.id })).status).toBe(404);
    expect((await add(seller, { product_id: leased.id, license_id: lease.id })).status).toBe(403);
    expect((await add(buyer, { product_id: inactive.id })).status).toBe(409);
    expect((await add(buyer, { product_id: soldOut.id })).body.detail).toMatch(/sold out/);
    const noLicence = await add(buyer, { product_id: leased.id });
    expect(noLicence.status).toBe(422);
    expect(noLicence.body.errors[0].path).toBe("json.license_id");
    expect((await add(buyer, { product_id: leased.id, license_id: otherLease.id })).status).toBe(422);
    expect((await add(buyer, { product_id: leased.id, license_id: withdrawn.id })).status).toBe(409);
    expect((await add(buyer, { product_id: euro.id, license_id: otherLease.id })).status).toBe(422);
    expect((await add(buyer, { product_id: "not-a-uuid" })).status).toBe(422);

    await addToCart(buyer, leased.id, { license_id: lease.id });
    const mixed = await add(buyer, { product_id: euro.id });
    expect(mixed.status).toBe(409);
    expect(mixed.body.detail).toMatch(/one currency/);
    // A capped licence whose units are gone.
    await sql.query(`UPDATE product_licenses SET sold_count = 1 WHERE id = $1`, [lease.id]);
    expect((await add(buyer, { product_id: leased.id, license_id: lease.id })).body.detail).toMatch(/sold out/);
    const cart = await api("GET", "/v1/me/cart", { headers: buyer.headers });
    expect(cart.body.items[0]).toMatchObject({ available: false, unavailable_reason: "sold_out" });
  });

  it("hides the lines of a seller who is banned (not counted, not bought), and shows them again when the ban is lifted", async () => {
    const [seller, buyer] = await Promise.all([signedInUser(), signedInUser()]);
    const beat = await makeProduct(seller.id, { price: "5.00" });
    await addToCart(buyer, beat.id);
    await banUser(seller.id);
    const hidden = await api("GET", "/v1/me/cart", { headers: buyer.headers });
    expect(hidden.body).toMatchObject({ items: [], item_count: 0, total: "0.00" });
    await sql.query(`UPDATE users SET is_banned = false WHERE id = $1`, [seller.id]);
    expect((await api("GET", "/v1/me/cart", { headers: buyer.headers })).body.item_count).toBe(1);
  });
});

describe("blocks", () => {
  useFakeStripe();

  it("keep a buyer and a seller apart either way: nothing added, an earlier line hidden and not bought", async () => {
    const [seller, buyer, other] = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
    const beat = await makeProduct(seller.id, { price: "5.00" });
    const kit = await makeProduct(other.id, { price: "3.00" });
    await addToCart(buyer, beat.id);
    await addToCart(buyer, kit.id);
    const block = (who: typeof seller, whom: typeof buyer) => api("PUT", `/v1/me/blocks/${whom.username}`, { headers: who.headers });

    expect((await block(seller, buyer)).status).toBeLessThan(300);
    const cart = await api("GET", "/v1/me/cart", { headers: buyer.headers });
    expect(cart.body).toMatchObject({ item_count: 1, total: "3.00" });
    expect(cart.body.items.map((l: { product_id: string }) => l.product_id)).toEqual([kit.id]);
    expect((await add(buyer, { product_id: beat.id })).status).toBe(404);
    const placed = await api("POST", "/v1/me/checkout", { headers: buyer.headers, body: {} });
    expect(placed.status, placed.text).toBe(201);
    expect(await sql.query(`SELECT product_id FROM order_items WHERE order_id = $1`, [placed.body.order.id])).toEqual([{ product_id: kit.id }]);

    // The other way round: a buyer who blocked a seller cannot add the seller's products either.
    const [blocker, shop] = await Promise.all([signedInUser(), signedInUser()]);
    const pack = await makeProduct(shop.id, { price: "2.00" });
    expect((await block(blocker, shop)).status).toBeLessThan(300);
    expect((await add(blocker, { product_id: pack.id })).status).toBe(404);
  });
});

describe("discount codes in the cart", () => {
  it("applies a seller's code to that seller's items only, case-insensitively, capped by its maximum, shared to the cent", async () => {
    const [seller, other, buyer] = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
    const a = await makeProduct(seller.id, { price: "10.00" });
    const b = await makeProduct(seller.id, { price: "20.00" });
    const c = await makeProduct(other.id, { price: "50.00" });
    for (const p of [a, b, c]) await addToCart(buyer, p.id);
    const fixed = await makeCode(seller.id, { type: "fixed_amount", value: "10.00" });
    const res = await applyCode(buyer, fixed.code.toLowerCase());
    expect(res.status, res.text).toBe(200);
    // 10.00 over 10.00 : 20.00 → 3.33 and 6.66, the cent left to the larger line: 6.67
    expect(res.body.items.map((l: any) => l.discount)).toEqual(["3.33", "6.67", "0.00"]);
    expect(res.body).toMatchObject({ subtotal: "80.00", discount: "10.00", total: "70.00" });
    expect(res.body.discount_code).toMatchObject({ code: fixed.code, applies: true, reason: null });

    const capped = await makeCode(seller.id, { value: "50", maximum: "4.00" });
    expect((await applyCode(buyer, capped.code)).body.discount).toBe("4.00");

    // The minimum counts the items the code applies to (30.00 here, not the cart's 80.00).
    const minimum = await makeCode(seller.id, { value: "10", minimum: "40.00" });
    const below = await applyCode(buyer, minimum.code);
    expect(below.status).toBe(422);
    expect(below.body.errors[0].message).toMatch(/at least 40\.00/);

    // An administrator's code applies to the whole cart.
    const admin = await signedInUser({ role: "admin" });
    await sql.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [admin.id]);
    const platform = await makeCode(admin.id, { value: "12.5" });
    const whole = await applyCode(buyer, platform.code);
    expect(whole.body.discount).toBe("10.00");
    expect(whole.body.items.map((l: any) => l.discount)).toEqual(["1.25", "2.50", "6.25"]);

    // A code for nothing in the cart.
    const stranger = await signedInUser();
    await makeProduct(stranger.id);
    const unrelated = await makeCode(stranger.id);
    expect((await applyCode(buyer, unrelated.code)).status).toBe(422);

    const removed = await api("DELETE", "/v1/me/cart/discount", { headers: buyer.headers });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ discount: "0.00", total: "80.00", discount_code: null });
  });

  it("refuses unknown, inactive, not yet valid and expired codes (422) and used-up ones (409); a code that stops applying shows why", async () => {
    const [seller, buyer] = await Promise.all([signedInUser(), signedInUser()]);
    const beat = await makeProduct(seller.id, { price: "10.00" });
    await addToCart(buyer, beat.id);
    const hour = 3600_000;
    const cases: Array<[{ code: string }, number, RegExp]> = [
      [{ code: "NOSUCHCODE" }, 422, /not a valid/],
      [await makeCode(seller.id, { active: false }), 422, /not a valid/],
      [await makeCode(seller.id, { from: new Date(Date.now() + hour).toISOString(), until: new Date(Date.now() + 2 * hour).toISOString() }), 422, /not valid yet/],
      [await makeCode(seller.id, { from: new Date(Date.now() - 2 * hour).toISOString(), until: new Date(Date.now() - hour).toISOString() }), 422, /expired/],
    ];
    for (const [code, status, message] of cases) {
      const res = await applyCode(buyer, code.code);
      expect(res.status, code.code).toBe(status);
      expect(res.body.errors[0].message).toMatch(message);
    }
    const usedUp = await makeCode(seller.id, { limit: 1 });
    await sql.query(`UPDATE discount_codes SET usage_count = 1 WHERE id = $1`, [usedUp.id]);
    const used = await applyCode(buyer, usedUp.code);
    expect(used.status).toBe(409);
    expect(used.body.detail).toMatch(/used up/);

    const good = await makeCode(seller.id, { value: "10" });
    expect((await applyCode(buyer, good.code)).body.discount).toBe("1.00");
    await sql.query(`UPDATE discount_codes SET is_active = false WHERE id = $1`, [good.id]);
    const stale = await api("GET", "/v1/me/cart", { headers: buyer.headers });
    expect(stale.body).toMatchObject({ discount: "0.00", total: "10.00" });
    expect(stale.body.discount_code).toMatchObject({ applies: false });
    expect(stale.body.discount_code.reason).toMatch(/not a valid/);
  });
});

describe("discount codes of a seller", () => {
  it("lets sellers and administrators create codes, unique case-insensitively; lists and deactivates mine; another's is 404", async () => {
    const [seller, nobody, other] = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
    await makeProduct(seller.id);
    const body = {
      code: `Spring${Date.now().toString(36)}`,
      discount_type: "percentage",
      discount_value: "20",
      minimum_purchase_amount: "10.00",
      maximum_discount_amount: "15.00",
      usage_limit: 50,
      valid_from: new Date().toISOString(),
      valid_until: new Date(Date.now() + 86400_000).toISOString(),
    };
    expect((await api("POST", "/v1/me/discount-codes", { headers: nobody.headers, body })).status).toBe(403);
    const created = await api("POST", "/v1/me/discount-codes", { headers: seller.headers, body });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ code: body.code, discount_value: "20.00", usage_limit: 50, usage_count: 0, is_active: true, scope: "seller" });
    const duplicate = await api("POST", "/v1/me/discount-codes", { headers: seller.headers, body: { ...body, code: body.code.toUpperCase() } });
    expect(duplicate.status).toBe(409);
    for (const bad of [{ discount_value: "120" }, { valid_until: body.valid_from }, { code: "x" }, { discount_type: "bogus" }]) {
      expect((await api("POST", "/v1/me/discount-codes", { headers: seller.headers, body: { ...body, ...bad } })).status, JSON.stringify(bad)).toBe(422);
    }

    const listed = await api("GET", "/v1/me/discount-codes?limit=10", { headers: seller.headers });
    expect(listed.body.items.map((c: any) => c.id)).toEqual([created.body.id]);
    expect((await api("GET", "/v1/me/discount-codes", { headers: other.headers })).body.items).toEqual([]);

    const path = `/v1/me/discount-codes/${created.body.id}`;
    expect((await api("PATCH", path, { headers: other.headers, body: { is_active: false } })).status).toBe(404);
    const off = await api("PATCH", path, { headers: seller.headers, body: { is_active: false } });
    expect(off.status).toBe(200);
    expect(off.body.is_active).toBe(false);
    expect((await api("PATCH", path, { headers: seller.headers, body: { valid_until: body.valid_from } })).status).toBe(422);
  });
});

describe("authorisation of the cart's routes", () => {
  it("refuses anonymous, banned and deleted callers everywhere", async () => {
    const seller = await signedInUser();
    const beat = await makeProduct(seller.id);
    await expectSignedInOnly([
      ["GET", "/v1/me/cart"],
      ["POST", "/v1/me/cart/items", { product_id: beat.id }],
      ["DELETE", `/v1/me/cart/items/${beat.id}`],
      ["DELETE", "/v1/me/cart"],
      ["PUT", "/v1/me/cart/discount", { code: "ANY" }],
      ["DELETE", "/v1/me/cart/discount"],
      ["POST", "/v1/me/discount-codes", { code: "NOPE" }],
      ["GET", "/v1/me/discount-codes"],
      ["PATCH", `/v1/me/discount-codes/${MISSING}`, { is_active: false }],
    ]);
  });

  it("keeps each user's cart their own", async () => {
    const [seller, buyer, other] = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
    const beat = await makeProduct(seller.id);
    await addToCart(buyer, beat.id);
    expect((await api("GET", "/v1/me/cart", { headers: other.headers })).body.items).toEqual([]);
    await api("DELETE", `/v1/me/cart/items/${beat.id}`, { headers: other.headers });
    await api("DELETE", "/v1/me/cart", { headers: other.headers });
    expect((await api("GET", "/v1/me/cart", { headers: buyer.headers })).body.item_count).toBe(1);
  });
});
