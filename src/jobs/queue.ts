import { createDb, type Database } from "../db/client";
import type { Env, QueueMessage } from "../env";
import { analyticsMessageHandlers } from "../domains/analytics/generate-report";
import { cloudMessageHandlers } from "../domains/cloud/queue";
import { gdprMessageHandlers } from "../domains/gdpr/queue";
import { mailMessageHandlers } from "../domains/mail/queue";
import { mediaDeadLetterHandlers, mediaMessageHandlers } from "../domains/media/process-track";
import { createLogger, type Logger } from "../lib/logger";

export interface MessageContext {
  env: Env;
  db: Database;
  log: Logger;
  attempts: number;
}

export type MessageHandler = (body: QueueMessage, ctx: MessageContext) => Promise<void>;

/**
 * Queue message handlers by `type`, from each domain's own list; the dispatcher below owns retries
 * and dead-lettering for all of them.
 */
export const messageHandlers = new Map<string, MessageHandler>([
  ...Object.entries(mailMessageHandlers),
  ...Object.entries(gdprMessageHandlers),
  ...Object.entries(mediaMessageHandlers),
  ...Object.entries(analyticsMessageHandlers),
  ...Object.entries(cloudMessageHandlers),
]);

/** Dead-lettered messages by `type`: the last word on a message that failed every attempt. */
export const deadLetterHandlers = new Map<string, MessageHandler>([...Object.entries(mediaDeadLetterHandlers)]);

/** Exponential backoff between attempts: 10 s, 20 s, 40 s, ... capped at one hour. */
export const retryDelaySeconds = (attempts: number) => Math.min(10 * 2 ** Math.max(attempts - 1, 0), 3600);

const isDeadLetterQueue = (name: string) => name.endsWith("-dlq");

export async function handleQueueBatch(batch: MessageBatch<QueueMessage>, env: Env, _ctx: ExecutionContext): Promise<void> {
  const db = createDb(env);
  const dead = isDeadLetterQueue(batch.queue);
  for (const message of batch.messages) {
    const type = typeof message.body?.type === "string" ? message.body.type : "(none)";
    const log = createLogger({ queue: batch.queue, messageId: message.id, type, attempts: message.attempts });
    const handler = (dead ? deadLetterHandlers : messageHandlers).get(type);
    if (!handler) {
      if (dead) {
        // Nothing more can be done for it: say so loudly and let it go.
        log.error("dead letter without a handler", { body: message.body });
        message.ack();
      } else {
        // An unknown type will never succeed; retrying walks it to the dead-letter queue, where it is kept visible.
        log.error("no handler for message type");
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      }
      continue;
    }
    try {
      await handler(message.body, { env, db, log, attempts: message.attempts });
      message.ack();
    } catch (err) {
      log.warn("message failed; retrying", { error: err instanceof Error ? err.message : String(err) });
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}
