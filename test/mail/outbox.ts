import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import worker from "../../src/index";
import type { QueueMessage } from "../../src/env";
import { api } from "../helpers/auth";
import type { DevMail } from "../../src/domains/mail/dev-mailbox";
export type { DevMail };

/**
 * Drives mail deterministically: requests go through the Worker's fetch with a JOBS_QUEUE that
 * keeps what is sent (`outbox`), and `deliver` hands those messages to the Worker's real queue
 * handler, which sends them through the configured provider (the dev mailbox in tests).
 */
export interface Sent {
  status: number;
  headers: Headers;
  body: any;
  /** Every message the request put on JOBS_QUEUE, in order. */
  outbox: QueueMessage[];
}

export function capturingQueue(outbox: QueueMessage[]): Queue<QueueMessage> {
  return {
    send: async (body: QueueMessage) => void outbox.push(structuredClone(body)),
    sendBatch: async (messages: Iterable<MessageSendRequest<QueueMessage>>) => {
      for (const m of messages) outbox.push(structuredClone(m.body));
    },
  } as unknown as Queue<QueueMessage>;
}

export async function send(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; env?: Partial<Cloudflare.Env> } = {},
): Promise<Sent> {
  const outbox: QueueMessage[] = [];
  const ctx = createExecutionContext();
  const request = new Request(`https://veza.test${path}`, {
    method,
    headers: { ...(options.body !== undefined ? { "content-type": "application/json" } : {}), ...options.headers },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  const res = await worker.fetch(request as Parameters<typeof worker.fetch>[0], { ...env, JOBS_QUEUE: capturingQueue(outbox), ...options.env }, ctx);
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null, outbox };
}

/** Runs `messages` through the Worker's queue handler; resolves to the ids acked and retried. */
export async function runQueue(messages: QueueMessage[], overrides: Partial<Cloudflare.Env> = {}) {
  const batch = createMessageBatch<QueueMessage>(
    "veza-jobs",
    messages.map((body, i) => ({ id: `msg-${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, { ...env, ...overrides }, ctx);
  const result = await getQueueResult(batch, ctx);
  return { acked: result.explicitAcks, retried: result.retryMessages.map((m: { msgId: string }) => m.msgId) };
}

/** `runQueue`, expecting every message to be delivered (acked). */
export async function deliver(messages: QueueMessage[]): Promise<void> {
  const { acked, retried } = await runQueue(messages);
  expect(retried).toEqual([]);
  expect(acked).toEqual(messages.map((_, i) => `msg-${i}`));
}


/** GET /dev/mailbox?to=… through the real Worker. */
export async function mailbox(to: string): Promise<DevMail[]> {
  const res = await api("GET", `/dev/mailbox?to=${encodeURIComponent(to)}`);
  expect(res.status).toBe(200);
  return res.body.messages as DevMail[];
}

/** The token of the first `${APP_URL}/<path>?token=…` link in a mail's text. */
export function tokenIn(mail: { text: string }, path: "verify-email" | "reset-password"): string {
  const match = new RegExp(`^${env.APP_URL}/${path}\\?token=([A-Za-z0-9_-]+)$`, "m").exec(mail.text);
  expect(match, `a ${path} link in:\n${mail.text}`).not.toBeNull();
  return match![1]!;
}
