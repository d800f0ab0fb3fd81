import type { BatchItem } from "drizzle-orm/batch";
import type { Database } from "../../db/client";
import type { Env } from "../../env";
import type { Logger } from "../../lib/logger";
import type { Stripe } from "../../lib/stripe";

/** What a handler sees: the verified event and the request's services. */
export interface WebhookContext {
  event: Stripe.Event;
  db: Database;
  env: Env;
  log: Logger;
}

/**
 * What applying an event takes: the writes, run in ONE batch (one transaction) after the event is
 * recorded and claimed in that same batch, so an event is applied entirely and exactly once or not at
 * all; and what to do once they are committed (send a receipt, push a notification), which must
 * tolerate being skipped. Reads a handler needs go inside its statements (INSERT … SELECT, CTEs), or
 * before, in at most one round trip (the endpoint's budget is two). A handler may run for a delivery
 * that turns out to be a duplicate: only its writes are exactly-once.
 */
export interface WebhookOutcome {
  writes: BatchItem<"pg">[];
  afterCommit?: () => Promise<void>;
}

/**
 * Applies one event type. Throw `RetryLater` when the event cannot be applied yet (it arrived before
 * the event it depends on): Stripe gets a 409 and delivers it again later, with backoff.
 */
export type WebhookHandler = (ctx: WebhookContext) => Promise<WebhookOutcome>;
export type WebhookHandlers = Partial<Record<Stripe.Event.Type, WebhookHandler>>;

export class RetryLater extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "RetryLater";
  }
}
