import { ApiError, post } from "../../api";
import { paths } from "../../paths";
import type { CheckoutResult } from "./types";

/**
 * The Idempotency-Key of the checkout in progress. A retry after a failure that may have reached the
 * server (network error, 5xx) sends the same key, so it answers the same order and payment link
 * instead of making a second order; a definitive answer (success, or a 4xx refusal) ends it.
 */
let pendingKey: string | null = null;

/** Where the browser goes to pay: Stripe's page (https only), never anything else the answer might hold. */
function paymentPage(url: string): string {
  const parsed = new URL(url, location.href);
  if (parsed.protocol !== "https:" && parsed.origin !== location.origin) throw new Error("The payment page's address is not secure; nothing was charged.");
  return parsed.toString();
}

/**
 * POST /v1/me/checkout, then send the browser on: to Stripe Checkout for a paid order (its success
 * and cancel URLs bring the buyer back to /orders/:id and /cart), or straight to the order for a
 * free one, which is complete at once. `navigate` is the router's, for the in-app case.
 */
export async function checkOut(navigate: (url: string) => void): Promise<CheckoutResult> {
  pendingKey ??= crypto.randomUUID();
  let result: CheckoutResult;
  try {
    result = await post<CheckoutResult>("/v1/me/checkout", {}, { headers: { "Idempotency-Key": pendingKey } });
  } catch (err) {
    if (err instanceof ApiError && err.status >= 400 && err.status < 500) pendingKey = null;
    throw err;
  }
  pendingKey = null;
  if (result.checkout_url) location.assign(paymentPage(result.checkout_url));
  else navigate(`${paths.order(result.order.id)}?checkout=success`);
  return result;
}
