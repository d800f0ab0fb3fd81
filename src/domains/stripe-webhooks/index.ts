import { createRoute, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { stripeEvents } from "../../db/schema";
import { postgresCode } from "../../lib/database-errors";
import { ApiError } from "../../lib/errors";
import { ProblemSchema } from "../../lib/problem";
import { createRouter } from "../../lib/router";
import { verifyStripeEvent } from "../../lib/stripe";
import { checkoutEventHandlers } from "./checkout-events";
import { connectEventHandlers } from "./connect-events";
import { RetryLater, type WebhookHandlers } from "./handlers";

const handlers: WebhookHandlers = { ...checkoutEventHandlers, ...connectEventHandlers };

/** SQLSTATE raised by claim_stripe_event() (0025) when another delivery already applied the event. */
const ALREADY_PROCESSED = "VZ409";

const ReceiptSchema = z
  .object({
    received: z.literal(true),
    /** "applied" the first time; "duplicate" when an earlier delivery applied it; "ignored" for types Veza does not use. */
    outcome: z.enum(["applied", "duplicate", "ignored"]),
  })
  .openapi("StripeWebhookReceipt");

const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: ProblemSchema } } });

export const stripeWebhookRoute = createRoute({
  method: "post",
  path: "/v1/webhooks/stripe",
  tags: ["Marketplace"],
  summary: "Stripe webhook endpoint",
  description:
    "Verifies the `Stripe-Signature` over the raw body and applies the event exactly once: the event is recorded, claimed and " +
    "its writes made in one transaction, so a duplicate or concurrent delivery changes nothing. An event that depends on one " +
    "not yet applied (out-of-order delivery) is answered 409, which Stripe retries. At most two database round trips.",
  request: { headers: z.object({ "stripe-signature": z.string().optional() }) },
  responses: {
    200: { description: "Received", content: { "application/json": { schema: ReceiptSchema } } },
    400: problem("Missing or forged signature"),
    409: problem("The event depends on another not yet received; retried by Stripe"),
    503: problem("Webhooks are not configured on this server"),
  },
});

/** Stripe webhooks: one endpoint, a handler per event type (checkout-events.ts, connect-events.ts). */
export const stripeWebhooks = createRouter().openapi(stripeWebhookRoute, async (c) => {
  const rawBody = await c.req.text();
  const event = await verifyStripeEvent(c.env, rawBody, c.req.header("stripe-signature"));
  const handler = handlers[event.type];
  const db = c.var.db;
  const record = db
    .insert(stripeEvents)
    .values({ stripeEventId: event.id, type: event.type, payload: event, processedAt: handler ? null : sql`now()` })
    .onConflictDoNothing({ target: stripeEvents.stripeEventId });

  if (!handler) {
    await record;
    return c.json({ received: true as const, outcome: "ignored" as const }, 200);
  }

  // What the event needs to know (at most one round trip, inside the handler)...
  let outcome;
  try {
    outcome = await handler({ event, db, env: c.env, log: c.var.log });
  } catch (error) {
    if (error instanceof RetryLater) {
      await record; // seen, not applied: the redelivery finds it unprocessed
      c.var.log.info("stripe.webhook.retry_later", { eventId: event.id, type: event.type, reason: error.message });
      throw new ApiError("conflict", `Event ${event.id} cannot be applied yet: ${error.message}`);
    }
    throw error;
  }

  // ...then one transaction: record the event, claim it (a delivery that already applied it makes
  // claim_stripe_event raise, and the whole batch rolls back) and apply its writes.
  try {
    await db.batch([record, db.execute(sql`SELECT claim_stripe_event(${event.id})`), ...outcome.writes]);
  } catch (error) {
    if (postgresCode(error) === ALREADY_PROCESSED) return c.json({ received: true as const, outcome: "duplicate" as const }, 200);
    throw error;
  }
  c.var.log.info("stripe.webhook.applied", { eventId: event.id, type: event.type });
  if (outcome.afterCommit) {
    const after = outcome.afterCommit;
    c.executionCtx.waitUntil(after().catch((error) => c.var.log.error("stripe.webhook.after_commit_failed", { eventId: event.id, error: String(error) })));
  }
  return c.json({ received: true as const, outcome: "applied" as const }, 200);
});
