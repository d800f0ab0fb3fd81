import { sql } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { postgresCode, postgresConstraint } from "../../lib/database-errors";
import { ApiError } from "../../lib/errors";
import { fromMinorUnits, stripeClient, toMinorUnits, type Stripe } from "../../lib/stripe";
import { cartQuery, type CartLineRow, type CartRow } from "../cart/cart-view";
import { discountFor } from "../cart/discount";
import { licenseKeysFor, markPaidStatements } from "./mark-paid";
import { orderJson } from "./order-view";
import { sendReceipt } from "./receipt";
import type { CheckoutInput, Order } from "./schemas";

/** Stripe wants a session to live 30 minutes at least; a minute more absorbs clock skew. */
const SESSION_LIFETIME_SECONDS = 31 * 60;

type CheckoutRead = CartRow & { existing: Order | null; username: string };
type CheckoutResult = { order: Order; checkout_url: string | null };

const conflict = (detail: string) => new ApiError("conflict", detail);

/**
 * POST /v1/me/checkout: the cart becomes a pending order and a Stripe Checkout Session. Two database
 * round trips (one when the Idempotency-Key was seen before):
 *
 *  1. read the cart as it is priced (cart-view.ts), the account's email, and any order already made
 *     with this Idempotency-Key (a retry answers that order and its payment link, never a second one);
 *  2. after the Stripe session is created (its id is the order's, fixed here), ONE batch inserts the
 *     order, its items — each takes a unit of its licence, and chk_product_licenses_sold_count_limit
 *     refuses a unit that is gone, whatever the concurrency — and the discount use, whose trigger
 *     takes one use of the code under chk_discount_codes_usage_count_limit.
 *
 * The session is made before the order so that the order is written once, complete: a failure of
 * Stripe leaves nothing reserved (there is no order yet), and a refusal of the batch expires the
 * session, which nobody has seen. A free order (total 0) is completed in the same batch, no Stripe.
 *
 * A line whose price changed since it was added, or that is no longer on sale, refuses the checkout
 * (409): the buyer is charged the price they saw, and only a price the seller still asks — never a
 * stale one (Gumroad and Bandcamp charge the current price; a silent change at the till is what this
 * avoids). Adding the product again takes the current price.
 */
export async function checkout(c: Context<AppEnv>, userId: string, input: CheckoutInput, idempotencyKey: string | null): Promise<CheckoutResult> {
  const db = c.var.db;
  const { rows } = await db.execute<CheckoutRead>(sql`
    SELECT cart.*, (SELECT username FROM users WHERE id = ${userId}::uuid) AS username,
           (SELECT ${orderJson} FROM orders o WHERE o.user_id = ${userId}::uuid AND o.idempotency_key = ${idempotencyKey}) AS existing
      FROM (${cartQuery(userId)}) AS cart`);
  const read = rows[0]!;
  if (read.existing) return replay(read.existing);

  const lines = read.items;
  if (lines.length === 0) throw conflict("Your cart is empty.");
  const unavailable = lines.filter((l) => l.unavailable_reason !== null);
  if (unavailable.length) throw conflict(`No longer available: ${unavailable.map((l) => l.product_name).join(", ")}. Remove them from your cart to check out.`);
  const changed = lines.filter((l) => l.price_changed);
  if (changed.length) {
    throw conflict(`The price changed since you added ${changed.map((l) => l.product_name).join(", ")}: add them again at the current price, or remove them.`);
  }
  const discount = discountFor(read.discount_code, lines);
  if (read.discount_code && !discount.applies) throw conflict(`${discount.reason} Remove it from your cart to check out.`);

  const currency = lines[0]!.currency;
  const priced = lines.map((l) => ({ line: l, id: crypto.randomUUID(), price: toMinorUnits(l.price) - (discount.perLine.get(l.product_id) ?? 0) }));
  const subtotal = lines.reduce((sum, l) => sum + toMinorUnits(l.price), 0);
  const total = subtotal - discount.amount;
  const orderId = crypto.randomUUID();
  const billingEmail = input.billing_email ?? read.email;

  const session = total > 0 ? await createSession(c, { orderId, currency, billingEmail, priced, codeId: read.discount_code?.id ?? null }) : null;

  const insertOrder = sql`
    INSERT INTO orders (id, user_id, subtotal, tax_total, discount_total, total, currency, idempotency_key, discount_code_id,
                        billing_email, billing_name, stripe_checkout_session_id, stripe_checkout_url)
    VALUES (${orderId}::uuid, ${userId}::uuid, ${fromMinorUnits(subtotal)}::numeric, 0, ${fromMinorUnits(discount.amount)}::numeric,
            ${fromMinorUnits(total)}::numeric, ${currency}, ${idempotencyKey}, ${discount.applies ? read.discount_code!.id : null}::uuid,
            ${billingEmail}, ${input.billing_name ?? null}, ${session?.id ?? null}, ${session?.url ?? null})`;
  const insertItems = sql`
    INSERT INTO order_items (id, order_id, product_id, license_id, product_name, product_description, seller_id, price, download_file_ids, license_terms)
    VALUES ${sql.join(
      // In licence order: concurrent checkouts then lock the licences they share in the same order.
      [...priced].sort((a, b) => (a.line.license_id ?? "~").localeCompare(b.line.license_id ?? "~")).map(
        ({ line, id, price }) => sql`(${id}::uuid, ${orderId}::uuid, ${line.product_id}::uuid, ${line.license_id}::uuid, ${line.product_name},
          ${line.product_description}, ${line.seller_id}::uuid, ${fromMinorUnits(price)}::numeric, ${uuidArray(line.download_file_ids)}::uuid[], ${line.license_terms})`,
      ),
      sql`, `,
    )}`;
  const useCode = discount.applies
    ? [sql`INSERT INTO discount_code_usage (discount_code_id, order_id, user_id, discount_amount)
           VALUES (${read.discount_code!.id}::uuid, ${orderId}::uuid, ${userId}::uuid, ${fromMinorUnits(discount.amount)}::numeric)`]
    : [];
  const complete = total === 0 ? markPaidStatements({ orderId, buyerId: userId, licenseKeys: licenseKeysFor(priced.map((p) => p.id)), paymentIntentId: null }) : [];

  let order: Order;
  try {
    const results = await db.batch([
      db.execute(insertOrder),
      db.execute(insertItems),
      ...[...useCode, ...complete].map((statement) => db.execute(statement)),
      db.execute<{ order: Order }>(sql`SELECT ${orderJson} AS order FROM orders o WHERE o.id = ${orderId}::uuid`),
    ]);
    order = (results[results.length - 1]!.rows[0] as { order: Order }).order;
  } catch (error) {
    if (session) await expireQuietly(c, session.id);
    const constraint = postgresConstraint(error);
    if (postgresCode(error) === "23505" && constraint === "uq_orders_user_idempotency_key") {
      // The same key raced itself: the other request's order is the answer.
      const { rows: again } = await db.execute<{ order: Order }>(
        sql`SELECT ${orderJson} AS order FROM orders o WHERE o.user_id = ${userId}::uuid AND o.idempotency_key = ${idempotencyKey}`,
      );
      if (again[0]) return replay(again[0].order);
    }
    if (postgresCode(error) === "23514" && constraint === "chk_product_licenses_sold_count_limit") {
      throw conflict("An item in your cart is no longer available: its licence sold out while you checked out. Remove it to check out.");
    }
    if (postgresCode(error) === "23514" && constraint === "chk_discount_codes_usage_count_limit") {
      throw conflict(`The discount code ${read.discount_code?.code ?? ""} has just been used up. Remove it from your cart to check out.`);
    }
    throw error;
  }
  if (total === 0) c.executionCtx.waitUntil(sendReceipt(c.env, c.var.log, order, read.username));
  c.var.log.info("checkout.order_created", { orderId, total: order.total, free: total === 0 });
  return { order, checkout_url: session?.url ?? null };
}

/** A retried checkout: the order made the first time, or 409 when it was cancelled since. */
function replay(order: Order): CheckoutResult {
  if (order.status === "cancelled") {
    throw conflict(`The checkout made with this Idempotency-Key (order ${order.order_number}) was cancelled; check out again with a new key.`);
  }
  return { order, checkout_url: order.checkout_url };
}

const uuidArray = (ids: string[] | null) => (ids && ids.length ? `{${ids.join(",")}}` : null);

/**
 * The Checkout Session of an order: one line per item at its price after discount (free items are
 * in the order, not on Stripe's page), the order id as client_reference_id and metadata (the
 * webhook finds the order by it; the payment intent carries it too, for refunds), and Stripe's own
 * idempotency key per order. Stripe failing is 503: nothing was written.
 */
async function createSession(
  c: Context<AppEnv>,
  args: { orderId: string; currency: string; billingEmail: string; priced: Array<{ line: CartLineRow; price: number }>; codeId: string | null },
): Promise<{ id: string; url: string }> {
  const stripe = stripeClient(c.env);
  const app = c.env.APP_URL.replace(/\/+$/, "");
  let session: Stripe.Checkout.Session;
  try {
    session = await stripe.checkout.sessions.create(
      {
        mode: "payment",
        line_items: args.priced
          .filter((p) => p.price > 0)
          .map(({ line, price }) => ({
            quantity: 1,
            price_data: {
              currency: args.currency.toLowerCase(),
              unit_amount: price,
              product_data: { name: line.license_name ? `${line.product_name} (${line.license_name})` : line.product_name, metadata: { productId: line.product_id } },
            },
          })),
        client_reference_id: args.orderId,
        metadata: { orderId: args.orderId },
        payment_intent_data: { metadata: { orderId: args.orderId } },
        customer_email: args.billingEmail,
        success_url: `${app}/orders/${args.orderId}?checkout=success`,
        cancel_url: `${app}/cart?checkout=cancelled`,
        expires_at: Math.floor(Date.now() / 1000) + SESSION_LIFETIME_SECONDS,
      },
      { idempotencyKey: `checkout-${args.orderId}` },
    );
  } catch (error) {
    c.var.log.error("checkout.stripe_failed", { orderId: args.orderId, error: String(error) });
    throw new ApiError("service_unavailable", "The payment provider cannot take this payment right now; nothing was charged. Try again shortly.", {
      headers: { "Retry-After": "10" },
      cause: error,
    });
  }
  if (!session.url) throw new ApiError("service_unavailable", "The payment provider gave no payment page; nothing was charged. Try again shortly.");
  return { id: session.id, url: session.url };
}

/** Expires a session nobody will pay (its order was refused); a failure only leaves it to lapse. */
async function expireQuietly(c: Context<AppEnv>, sessionId: string): Promise<void> {
  try {
    await stripeClient(c.env).checkout.sessions.expire(sessionId);
  } catch (error) {
    c.var.log.warn("checkout.session_expire_failed", { sessionId, error: String(error) });
  }
}
