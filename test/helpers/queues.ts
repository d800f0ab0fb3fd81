import type { QueueMessage } from "../../src/env";

/** A queue binding that keeps what is sent to it: the test decides when (and whether) it is consumed. */
export function capturingQueue() {
  const sent: QueueMessage[] = [];
  const queue = {
    async send(body: QueueMessage) {
      sent.push(structuredClone(body));
    },
    async sendBatch(messages: Iterable<{ body: QueueMessage }>) {
      for (const m of messages) sent.push(structuredClone(m.body));
    },
  } as unknown as Queue<QueueMessage>;
  return { queue, sent };
}
