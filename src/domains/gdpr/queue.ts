import type { MessageHandler } from "../../jobs/queue";
import { exportUserData } from "./export-job";
import { GDPR_EXPORT } from "./export-message";

/** The GDPR domain's queue messages (src/jobs/queue.ts dispatches on `type`). */
export const gdprMessageHandlers: Record<string, MessageHandler> = {
  [GDPR_EXPORT]: exportUserData,
};
