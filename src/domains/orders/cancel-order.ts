import { sql } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { ApiError, notFound } from "../../lib/errors";
import { stripeClient } from "../../lib/stripe";
import { orderJson } from "./order-view";
import type { Order } from "./schemas";

/**
 * The statements that cancel a pending order: the order's trigger revokes its items (releasing their
 * licence units) and the discount use is deleted (the code gets its use back). Shared with the
 * checkout.session.expired webhook. Nothing happens unless the order is still pending.
 */
export function cancelStatements(orderId: string, sessionId?: string) {
  const ofSession = sessionId === undefined ? sql`` : sql`AND stripe_checkout_session_id = ${sessionId}`;
  return [
    sql`UPDATE orders SET status = 'cancelled', cancelled_at = now() WHERE id = ${orderId}::uuid AND status = 'pending' ${ofSession}`,
    sql`DELETE FROM discount_code_usage u USING orders o
         WHERE u.order_id = o.id AND o.id = ${orderId}::uuid AND o.status = 'cancelled' AND o.cancelled_at = now()`,
  ];
}

/**
 * POST /v1/me/orders/:id/cancel: the buyer gives up a pending order. Its Stripe session is expired
 * first, so it can no longer be paid; a session Stripe already completed means the payment is in
 * (409: the webhook will mark the order paid). Two database round trips.
 */
export async function cancelOrder(c: Context<AppEnv>, userId: string, orderId: string): Promise<Order> {
  const db = c.var.db;
  const { rows } = await db.execute<{ status: string; session_id: string | null }>(sql`
    SELECT status, stripe_checkout_session_id AS session_id FROM orders WHERE id = ${orderId}::uuid AND user_id = ${userId}::uuid`);
  const found = rows[0];
  if (!found) throw notFound("This order");
  if (found.status !== "pending") throw new ApiError("conflict", `Only a pending order can be cancelled; this one is ${found.status}.`);
  if (found.session_id) await expireSession(c, found.session_id);

  const [cancel, releaseCode] = cancelStatements(orderId);
  const [, , view] = await db.batch([
    db.execute(cancel!),
    db.execute(releaseCode!),
    db.execute<{ order: Order }>(sql`SELECT ${orderJson} AS order FROM orders o WHERE o.id = ${orderId}::uuid`),
  ]);
  const order = view.rows[0]!.order;
  if (order.status !== "cancelled") throw new ApiError("conflict", `Only a pending order can be cancelled; this one is ${order.status}.`);
  return order;
}

async function expireSession(c: Context<AppEnv>, sessionId: string): Promise<void> {
  const stripe = stripeClient(c.env);
  try {
    await stripe.checkout.sessions.expire(sessionId);
    return;
  } catch (error) {
    // Stripe refuses to expire a session that is no longer open: find out whether it was paid.
    let status: string | null = null;
    try {
      status = (await stripe.checkout.sessions.retrieve(sessionId)).status;
    } catch {
      status = null;
    }
    if (status === "expired") return;
    if (status === "complete") throw new ApiError("conflict", "This order has just been paid; it will show as paid in a moment.");
    c.var.log.error("orders.cancel_expire_failed", { sessionId, error: String(error) });
    throw new ApiError("service_unavailable", "The payment provider cannot be reached to cancel this order; try again shortly.", {
      headers: { "Retry-After": "10" },
      cause: error,
    });
  }
}
