import type { WebhookHandlers } from "./handlers";

/** Sellers' side: account.updated (Connect onboarding), transfer events (payouts). */
export const connectEventHandlers: WebhookHandlers = {};
