import type { ChatRoom } from "../durable-objects/chat-room";
import type { PlaybackQueue } from "../durable-objects/playback-queue";
import type { Database } from "./db/client";
import type { Logger } from "./lib/logger";

/** The Worker's bindings, as wrangler.toml declares them (secrets come from `.dev.vars` / wrangler secrets). */
export interface Env {
  /** Neon connection string; a loopback host (postgres://veza:veza@127.0.0.1:4444/veza) is the dev database server. */
  DATABASE_URL: string;
  ENVIRONMENT: "development" | "test" | "production";
  /** Comma-separated origins allowed by CORS; empty means same-origin only. */
  CORS_ORIGINS?: string;
  MEDIA: R2Bucket;
  MEDIA_QUEUE: Queue<QueueMessage>;
  CHAT_ROOM: DurableObjectNamespace<ChatRoom>;
  PLAYBACK_QUEUE: DurableObjectNamespace<PlaybackQueue>;
}

/** Every message on Veza's queues names its kind; src/jobs/queue.ts dispatches on it. */
export interface QueueMessage {
  type: string;
  [key: string]: unknown;
}

/** Per-request values put on the Hono context by middleware, so handlers never build clients. */
export interface AppVariables {
  requestId: string;
  db: Database;
  log: Logger;
}

export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}
