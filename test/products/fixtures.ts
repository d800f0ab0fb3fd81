import { expect } from "vitest";
import { api, type SignedInUser } from "../helpers/auth";
import { insert, sql, uniq } from "../helpers/db";

/** Fixtures of the catalogue's tests: products and licences through the API, purchases and blocks straight in the tables. */

export { banUser, imageFile, makeFile, ramp, softDeleteUser } from "../tracks/fixtures";

export const LICENSE = { name: "Basic lease", price: "29.99", terms: "Non-exclusive, 100 000 streams." };

/** POST /v1/products as `user`: a fixed-price sample named uniquely unless told. */
export const create = (user: SignedInUser, body: Record<string, unknown> = {}) =>
  api("POST", "/v1/products", { body: { name: `Kit ${uniq()}`, description: "Drums.", category: "sample", price: "10.00", ...body }, headers: user.headers });

/** A product that must be created (a draft); resolves to its JSON. */
export async function draft(user: SignedInUser, body: Record<string, unknown> = {}) {
  const res = await create(user, body);
  expect(res.status, res.text).toBe(201);
  return res.body;
}

export async function license(user: SignedInUser, productId: string, body: Record<string, unknown> = {}) {
  const res = await api("POST", `/v1/products/${productId}/licenses`, { body: { ...LICENSE, ...body }, headers: user.headers });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

export const patch = (user: SignedInUser, productId: string, body: Record<string, unknown>) =>
  api("PATCH", `/v1/products/${productId}`, { body, headers: user.headers });

/** A product on sale: created, with a licence (unless free), published. Resolves to {product, license}. */
export async function listed(user: SignedInUser, body: Record<string, unknown> = {}, licenseBody: Record<string, unknown> = {}) {
  const product = await draft(user, body);
  const lic = body.pricing_model === "free" ? null : await license(user, product.id, licenseBody);
  const res = await patch(user, product.id, { status: "active" });
  expect(res.status, res.text).toBe(200);
  return { product: res.body, license: lic };
}

/** A paid order of `buyerId` holding one live item of the product (and licence): a purchase, as checkout leaves it. */
export async function purchase(buyerId: string, product: { id: string; name: string; seller: { id: string } }, licenseId: string | null = null, status = "paid") {
  const order = await insert("orders", { user_id: buyerId, subtotal: "10.00", tax_total: "0", total: "10.00", billing_email: "buyer@example.com", status });
  const item = await insert("order_items", {
    order_id: order.id,
    product_id: product.id,
    license_id: licenseId,
    product_name: product.name,
    seller_id: product.seller.id,
    price: "10.00",
  });
  return { orderId: order.id as string, itemId: item.id as string };
}

export const block = (blocker: { id: string }, blocked: { id: string }) =>
  sql.query("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)", [blocker.id, blocked.id]);

export const productRow = async (id: string) => (await sql.query("SELECT * FROM products WHERE id = $1", [id]))[0]!;
