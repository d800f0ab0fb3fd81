import type { MessageHandler } from "../../jobs/queue";
import { CLOUD_BACKUP } from "./backup-message";
import { runBackup } from "./backup-run";

/** The cloud domain's queue messages (src/jobs/queue.ts dispatches on `type`). */
export const cloudMessageHandlers: Record<string, MessageHandler> = {
  [CLOUD_BACKUP]: runBackup,
};
