import { sql } from "drizzle-orm";
import type { Stripe } from "../../lib/stripe";
import { toMinorUnits } from "../../lib/stripe";
import { cancelStatements } from "../orders/cancel-order";
import { commissionRate, ledgerInsert, paymentEntries } from "../orders/ledger";
import { licenseKeysFor, markPaidStatements, paidNow } from "../orders/mark-paid";
import { orderJson } from "../orders/order-view";
import { sendReceipt } from "../orders/receipt";
import type { Order } from "../orders/schemas";
import { RetryLater, type WebhookHandler } from "./handlers";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The order a session pays: checkout put its id in metadata and client_reference_id. */
export function orderIdOf(session: Pick<Stripe.Checkout.Session, "metadata" | "client_reference_id">): string | null {
  const id = session.metadata?.orderId ?? session.client_reference_id ?? null;
  return id && UUID.test(id) ? id : null;
}

const idOf = (ref: string | { id: string } | null | undefined) => (typeof ref === "string" ? ref : (ref?.id ?? null));

type OrderState = {
  id: string;
  user_id: string | null;
  status: string;
  total: string;
  currency: string;
  username: string | null;
  order: Order;
  items: Array<{ id: string; seller_id: string; price: string; revoked: boolean }>;
};

/**
 * checkout.session.completed (and async_payment_succeeded): the order becomes paid. One read (the
 * order and its items, found by the id checkout gave Stripe or by the session), then one batch with
 * the claim: licence keys, status (the triggers count the sales and take an exclusive licence's
 * product off sale), the bought products out of the cart, and the ledger — the buyer's payment, and
 * per seller the sale and the platform's commission. The receipt is mailed once it is committed.
 * A session not paid yet (a delayed payment method) changes nothing; its async_payment_succeeded will.
 */
export const completeCheckout: WebhookHandler = async ({ event, db, env, log }) => {
  const session = event.data.object as Stripe.Checkout.Session;
  if (session.payment_status !== "paid") return { writes: [] };
  const orderId = orderIdOf(session);
  // Every session Veza makes carries its order's id: one without it was made by someone else on
  // this Stripe account (a payment link, another integration) and is none of ours to wait for.
  if (!orderId) {
    log.info("checkout.foreign_session", { sessionId: session.id });
    return { writes: [] };
  }
  const { rows } = await db.execute<OrderState>(sql`
    SELECT o.id, o.user_id, o.status, o.total::text AS total, o.currency, u.username, ${orderJson} AS order,
           COALESCE((SELECT json_agg(json_build_object('id', oi.id, 'seller_id', oi.seller_id, 'price', oi.price::text, 'revoked', oi.revoked_at IS NOT NULL))
                       FROM order_items oi WHERE oi.order_id = o.id), '[]'::json) AS items
      FROM orders o LEFT JOIN users u ON u.id = o.user_id
     WHERE o.id = ${orderId}::uuid OR o.stripe_checkout_session_id = ${session.id}
     LIMIT 1`);
  const state = rows[0];
  if (!state) throw new RetryLater(`no order for checkout session ${session.id} yet`);
  if (state.status !== "pending") {
    if (state.status === "cancelled") log.error("checkout.paid_after_cancel", { orderId: state.id, sessionId: session.id });
    return { writes: [] };
  }
  const paymentIntentId = idOf(session.payment_intent) ?? session.id;
  if (session.amount_total !== null && session.amount_total !== toMinorUnits(state.total)) {
    log.error("checkout.amount_mismatch", { orderId: state.id, expected: state.total, paid: session.amount_total });
  }
  const live = state.items.filter((i) => !i.revoked);
  const licenseKeys = licenseKeysFor(live.map((i) => i.id));
  const statements = [
    ...markPaidStatements({ orderId: state.id, buyerId: state.user_id, licenseKeys, paymentIntentId }),
    ledgerInsert(
      state.id,
      state.currency,
      paymentEntries({ buyerId: state.user_id, total: state.total, paymentIntentId, items: live, rate: commissionRate(env) }),
      paidNow(state.id),
    ),
  ];
  const paid: Order = {
    ...state.order,
    status: "paid",
    paid_at: new Date().toISOString(),
    payment_method: "stripe",
    checkout_url: null,
    items: state.order.items.map((item) => ({ ...item, license_key: licenseKeys.get(item.id) ?? item.license_key })),
  };
  return { writes: statements.map((s) => db.execute(s)), afterCommit: () => sendReceipt(env, log, paid, state.username) };
};

/**
 * checkout.session.expired (and async_payment_failed): the pending order of that session is
 * cancelled — its items are revoked by the order's trigger, releasing their licence units — and its
 * discount use deleted, giving the code its use back. No read: the writes hold only for a pending
 * order of this session, so a late or repeated event changes nothing.
 */
export const expireCheckout: WebhookHandler = async ({ event, db }) => {
  const session = event.data.object as Stripe.Checkout.Session;
  const orderId = orderIdOf(session);
  if (!orderId) return { writes: [] };
  return { writes: cancelStatements(orderId, session.id).map((s) => db.execute(s)) };
};
