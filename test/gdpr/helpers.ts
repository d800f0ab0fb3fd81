import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../src/index";
import type { QueueMessage } from "../../src/env";
import { sql } from "../helpers/db";

export { capturingQueue } from "../helpers/queues";

/** Delivers `bodies` to the Worker's queue consumer as one batch; resolves to the acked ids. */
export async function consume(bodies: QueueMessage[], bindings: Partial<Cloudflare.Env> = {}) {
  const batch = createMessageBatch<QueueMessage>(
    "veza-jobs",
    bodies.map((body, i) => ({ id: `m${i}-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, { ...env, ...bindings }, ctx);
  const result = await getQueueResult(batch, ctx);
  return { acked: result.explicitAcks, retried: result.retryMessages.map((m: { msgId: string }) => m.msgId), ids: batch.messages.map((m) => m.id) };
}

/** Runs a Cron Trigger of wrangler.toml with the given clock. */
export async function runCron(cron: string, at: Date) {
  const controller = createScheduledController({ cron, scheduledTime: at.getTime() });
  const ctx = createExecutionContext();
  await worker.scheduled(controller, env, ctx);
  await waitOnExecutionContext(ctx);
}

/** audit_logs rows of `action` about `userId`, oldest first. */
export async function auditRows(userId: string, action: string) {
  return sql.query(
    `SELECT action, user_id, actor_id, host(ip_address) AS ip, user_agent, request_id, severity, old_data, new_data, metadata
       FROM audit_logs WHERE user_id = $1 AND action = $2 ORDER BY created_at, id`,
    [userId, action],
  );
}

export const DAY_MS = 86_400_000;
