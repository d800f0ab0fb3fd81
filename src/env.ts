import type { ChatRoom } from "../durable-objects/chat-room";
import type { PlaybackQueue } from "../durable-objects/playback-queue";
import type { RequestMetrics } from "../durable-objects/request-metrics";
import type { UserInbox } from "../durable-objects/user-inbox";
import type { Database } from "./db/client";
import type { AuthContext } from "./lib/auth/middleware";
import type { ApiError } from "./lib/errors";
import type { Logger } from "./lib/logger";

/** The Worker's bindings, as wrangler.toml declares them (secrets come from `.dev.vars` / wrangler secrets). */
export interface Env {
  /** Neon connection string; a loopback host (postgres://veza:veza@127.0.0.1:4444/veza) is the dev database server. */
  DATABASE_URL: string;
  ENVIRONMENT: "development" | "test" | "production";
  /** Comma-separated origins allowed by CORS; empty means same-origin only. */
  CORS_ORIGINS?: string;
  /** HS256 key of access tokens, at least 32 characters (secret). */
  JWT_SECRET: string;
  /** AES-256-GCM key of encrypted columns: 32 bytes, base64 (secret). */
  ENCRYPTION_KEY: string;
  /** The public origin of the web app, used in links sent by email (e.g. https://veza.app). */
  APP_URL: string;
  MEDIA: R2Bucket;
  MEDIA_QUEUE: Queue<QueueMessage>;
  /** Small background jobs: outgoing email, GDPR exports. */
  JOBS_QUEUE: Queue<QueueMessage>;
  /** Sender of platform email, e.g. "Veza <no-reply@veza.app>". */
  MAIL_FROM: string;
  /** "dev": mail is kept in the dev mailbox (R2, GET /dev/mailbox); "resend": sent through Resend's API. */
  MAIL_PROVIDER: "dev" | "resend";
  RESEND_API_KEY?: string;
  /** OAuth clients (secrets); a provider without both values is not offered. */
  GOOGLE_CLIENT_ID?: string;
  GOOGLE_CLIENT_SECRET?: string;
  GITHUB_CLIENT_ID?: string;
  GITHUB_CLIENT_SECRET?: string;
  DISCORD_CLIENT_ID?: string;
  DISCORD_CLIENT_SECRET?: string;
  SPOTIFY_CLIENT_ID?: string;
  SPOTIFY_CLIENT_SECRET?: string;
  /** Stripe (secrets): the platform's secret key, and the webhook endpoints' signing secrets (comma-separated). Without them paid checkout answers 503. */
  STRIPE_SECRET_KEY?: string;
  STRIPE_WEBHOOK_SECRET?: string;
  /** Development and tests only (ignored in production): a local stand-in for Stripe's API, e.g. http://127.0.0.1:12111. */
  STRIPE_API_URL?: string;
  /** Ed25519 private key signing course certificates, a JWK as JSON with a kid (secret). */
  CERTIFICATE_SIGNING_KEY: string;
  /** Retired certificate keys (public JWKs, JSON array or JWKS), still published and verified after a rotation. */
  CERTIFICATE_PUBLIC_KEYS?: string;
  /** The platform's commission on marketplace sales, in percent (default 10). */
  MARKETPLACE_COMMISSION_PERCENT?: string;
  /** Per-user write limits (wrangler.toml [[ratelimits]], src/lib/rate-limit.ts). */
  POSTING_LIMITER: RateLimit;
  ACTIONS_LIMITER: RateLimit;
  CHAT_ROOM: DurableObjectNamespace<ChatRoom>;
  /** Per-socket message rate in chat rooms, "<per second>/<burst>" (default "10/30"; "0/0" = unlimited, for benchmarks). */
  CHAT_SOCKET_RATE?: string;
  PLAYBACK_QUEUE: DurableObjectNamespace<PlaybackQueue>;
  /** One per user: the user's live sockets, for direct messages and (later) notifications. */
  USER_INBOX: DurableObjectNamespace<UserInbox>;
  /** One for the platform: request counts and latencies flushed by every isolate, and the request alerts. */
  REQUEST_METRICS: DurableObjectNamespace<RequestMetrics>;
  /** How often an isolate flushes its request counts, in ms (default 10000; tests use 0). */
  REQUEST_METRICS_FLUSH_MS?: string;
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
  /** Set by `authenticate` when the request carries a valid access token. */
  auth?: AuthContext;
  /** Set by `authenticate` instead when the access token is bad: what `requireAuth` answers. */
  authError?: ApiError;
}

export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}
