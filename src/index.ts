import { createApp } from "./app";
import type { Env, QueueMessage } from "./env";
import { handleQueueBatch } from "./jobs/queue";
import { runScheduledJobs } from "./jobs/schedule";

export { ChatRoom } from "../durable-objects/chat-room";
export { PlaybackQueue } from "../durable-objects/playback-queue";
export { RequestMetrics } from "../durable-objects/request-metrics";
export { UserInbox } from "../durable-objects/user-inbox";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: (batch, env, ctx) => handleQueueBatch(batch, env, ctx),
  scheduled: (controller, env, ctx) => runScheduledJobs(controller, env, ctx),
} satisfies ExportedHandler<Env, QueueMessage>;
