import { accountUpdated } from "./connect-account";
import { transferCreated, transferReversed } from "./connect-transfers";
import type { WebhookHandlers } from "./handlers";

/** Sellers' side: account.updated (Connect onboarding), transfer events (payouts). */
export const connectEventHandlers: WebhookHandlers = {
  "account.updated": accountUpdated,
  "transfer.created": transferCreated,
  "transfer.reversed": transferReversed,
};
