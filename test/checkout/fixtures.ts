import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import Stripe from "stripe";
import { expect } from "vitest";
import worker from "../../src/index";
import type { QueueMessage } from "../../src/env";
import { api, readResponse, type SignedInUser } from "../helpers/auth";
import { insert, sql, uniq } from "../helpers/db";
import { capturingQueue } from "../mail/outbox";

/**
 * Marketplace fixtures written straight to the database (the catalogue's API is another domain's):
 * products, licences and discount codes as a seller would have made them.
 */

export async function makeProduct(
  sellerId: string,
  options: {
    price?: string;
    currency?: string;
    pricingModel?: "fixed" | "pwyw" | "free";
    minimumPrice?: string;
    status?: string;
    downloadFileIds?: string[];
    name?: string;
  } = {},
): Promise<{ id: string; slug: string; name: string }> {
  const tag = uniq();
  const pricingModel = options.pricingModel ?? "fixed";
  return (await insert(
    "products",
    {
      seller_id: sellerId,
      name: options.name ?? `Beat ${tag}`,
      slug: `beat-${tag}`,
      description: `A beat called ${tag}`,
      category: "beat",
      price: options.price ?? (pricingModel === "free" ? "0" : "20.00"),
      currency: options.currency ?? "USD",
      pricing_model: pricingModel,
      minimum_price: options.minimumPrice ?? null,
      status: options.status ?? "active",
      download_file_ids: options.downloadFileIds?.length ? `{${options.downloadFileIds.join(",")}}` : null,
    },
    "id, slug, name",
  )) as { id: string; slug: string; name: string };
}

export async function makeLicense(
  productId: string,
  options: { price?: string; exclusive?: boolean; limit?: number | null; name?: string; active?: boolean } = {},
): Promise<{ id: string; name: string }> {
  return (await insert(
    "product_licenses",
    {
      product_id: productId,
      name: options.name ?? (options.exclusive ? "Exclusive" : "Basic lease"),
      price: options.price ?? "30.00",
      terms: options.exclusive ? "Exclusive rights: the beat is yours alone." : "Non-exclusive: up to 10 000 streams.",
      is_exclusive: options.exclusive ?? false,
      distribution_limit: options.exclusive ? 1 : (options.limit ?? null),
      is_active: options.active ?? true,
    },
    "id, name",
  )) as { id: string; name: string };
}

export async function makeCode(
  creatorId: string,
  options: {
    code?: string;
    type?: "percentage" | "fixed_amount";
    value?: string;
    minimum?: string;
    maximum?: string;
    limit?: number;
    from?: string;
    until?: string;
    active?: boolean;
  } = {},
): Promise<{ id: string; code: string }> {
  return (await insert(
    "discount_codes",
    {
      code: options.code ?? `CODE${uniq().toUpperCase()}`,
      discount_type: options.type ?? "percentage",
      discount_value: options.value ?? "10",
      minimum_purchase_amount: options.minimum ?? null,
      maximum_discount_amount: options.maximum ?? null,
      usage_limit: options.limit ?? null,
      valid_from: options.from ?? new Date(Date.now() - 3600_000).toISOString(),
      valid_until: options.until ?? new Date(Date.now() + 86400_000).toISOString(),
      is_active: options.active ?? true,
      creator_id: creatorId,
    },
    "id, code",
  )) as { id: string; code: string };
}

/** POST /v1/me/cart/items as `buyer`, expecting the line to be added. */
export async function addToCart(buyer: SignedInUser, productId: string, extra: { license_id?: string; amount?: string } = {}) {
  const res = await api("POST", "/v1/me/cart/items", { headers: buyer.headers, body: { product_id: productId, ...extra } });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** POST /v1/me/checkout as `buyer` (with an Idempotency-Key when given). */
export const checkout = (buyer: SignedInUser, key?: string, body: object = {}) =>
  api("POST", "/v1/me/checkout", { headers: { ...buyer.headers, ...(key ? { "Idempotency-Key": key } : {}) }, body });

/**
 * Delivers a Stripe event, signed like Stripe signs it, through the Worker with a JOBS_QUEUE that
 * keeps what was sent (the receipt), waiting for the after-response work.
 */
export async function deliverCapturing(event: object): Promise<{ status: number; body: any; outbox: QueueMessage[] }> {
  const payload = JSON.stringify(event);
  const signature = await Stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret: env.STRIPE_WEBHOOK_SECRET!.split(",")[0]!,
    cryptoProvider: Stripe.createSubtleCryptoProvider(),
  });
  const outbox: QueueMessage[] = [];
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request("https://veza.test/v1/webhooks/stripe", { method: "POST", headers: { "content-type": "application/json", "stripe-signature": signature }, body: payload }),
    { ...env, JOBS_QUEUE: capturingQueue(outbox) },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  const read = await readResponse(res);
  return { status: read.status, body: read.body, outbox };
}

/** The ledger rows of an order, as cents, by type. */
export async function ledgerOf(orderId: string) {
  const rows = await sql.query(
    `SELECT transaction_type, user_id, round(amount * 100)::int AS cents, provider, provider_transaction_id FROM transactions WHERE order_id = $1 ORDER BY created_at, transaction_type`,
    [orderId],
  );
  const sum = (type: string, userId?: string) =>
    rows.filter((r) => r.transaction_type === type && (userId === undefined || r.user_id === userId)).reduce((s, r) => s + Number(r.cents), 0);
  return { rows, sum };
}

/** Asserts the ledger's identity for an order: payments + refunds = sales + commissions, to the cent. */
export async function expectBalanced(orderId: string) {
  const { sum } = await ledgerOf(orderId);
  expect(sum("payment") + sum("refund")).toBe(sum("sale") + sum("commission"));
}

export const order = async (orderId: string) =>
  (await sql.query(`SELECT status, total::text, discount_total::text, payment_intent_id, paid_at, stripe_checkout_session_id FROM orders WHERE id = $1`, [orderId]))[0]!;

export const soldCount = async (licenseId: string) =>
  Number((await sql.query(`SELECT sold_count FROM product_licenses WHERE id = $1`, [licenseId]))[0]!.sold_count);

export const usageCount = async (codeId: string) =>
  Number((await sql.query(`SELECT usage_count FROM discount_codes WHERE id = $1`, [codeId]))[0]!.usage_count);
