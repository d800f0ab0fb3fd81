import Stripe from "stripe";
import { ApiError } from "../../lib/errors";

/**
 * Whether Stripe answered "no" to a request (4xx: invalid, not permitted, insufficient funds), as
 * opposed to not answering at all (network, 5xx, rate limit: the library already retried those with
 * the same idempotency key). A refusal is final; the other kind leaves the outcome unknown.
 */
export function isStripeRefusal(error: unknown): error is Stripe.errors.StripeError {
  const status = error instanceof Stripe.errors.StripeError ? error.statusCode : undefined;
  return typeof status === "number" && status >= 400 && status < 500 && status !== 409 && status !== 429;
}

/** A Stripe failure as the API's error: 503 (retry later) without echoing Stripe's message; anything else as it is. */
export function stripeFailure(error: unknown): unknown {
  if (!(error instanceof Stripe.errors.StripeError)) return error;
  return new ApiError("service_unavailable", "Stripe could not complete this request right now; try again shortly.", {
    headers: { "Retry-After": "30" },
    cause: error,
  });
}
