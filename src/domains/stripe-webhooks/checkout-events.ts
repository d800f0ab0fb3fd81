import { completeCheckout, expireCheckout } from "./checkout-payment";
import { refundCharge } from "./checkout-refund";
import type { WebhookHandlers } from "./handlers";

/** Buyers' side: checkout.session.completed / expired, charge.refunded. */
export const checkoutEventHandlers: WebhookHandlers = {
  "checkout.session.completed": completeCheckout,
  "checkout.session.async_payment_succeeded": completeCheckout,
  "checkout.session.expired": expireCheckout,
  "checkout.session.async_payment_failed": expireCheckout,
  "charge.refunded": refundCharge,
};
