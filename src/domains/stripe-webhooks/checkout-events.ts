import type { WebhookHandlers } from "./handlers";

/** Buyers' side: checkout.session.completed / expired, charge.refunded. */
export const checkoutEventHandlers: WebhookHandlers = {};
