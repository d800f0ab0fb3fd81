import { OpenAPIHono } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { accountEmail } from "./domains/account-email";
import { analytics } from "./domains/analytics";
import { auth } from "./domains/auth";
import { blocks } from "./domains/blocks";
import { chat } from "./domains/chat";
import { comments } from "./domains/comments";
import { directMessages } from "./domains/direct-messages";
import { feed } from "./domains/feed";
import { follows } from "./domains/follows";
import { gdpr } from "./domains/gdpr";
import { groups } from "./domains/groups";
import { health } from "./domains/health";
import { history } from "./domains/history";
import { inbox } from "./domains/inbox";
import { likes } from "./domains/likes";
import { mail } from "./domains/mail";
import { notifications } from "./domains/notifications";
import { oauth } from "./domains/oauth";
import { playlists } from "./domains/playlists";
import { posts } from "./domains/posts";
import { playbackQueue } from "./domains/queue";
import { rooms } from "./domains/rooms";
import { search } from "./domains/search";
import { products } from "./domains/products";
import { cart } from "./domains/cart";
import { orders } from "./domains/orders";
import { reviews } from "./domains/reviews";
import { sellers } from "./domains/sellers";
import { stripeWebhooks } from "./domains/stripe-webhooks";
import { courses } from "./domains/courses";
import { quizzes } from "./domains/quizzes";
import { certificates } from "./domains/certificates";
import { equipment } from "./domains/equipment";
import { cloud } from "./domains/cloud";
import { moderation } from "./domains/moderation";
import { admin } from "./domains/admin";
import { flags } from "./domains/flags";
import { operations } from "./domains/operations";
import { tracks } from "./domains/tracks";
import { twoFactor } from "./domains/two-factor";
import { uploads } from "./domains/uploads";
import { users } from "./domains/users";
import type { AppEnv } from "./env";
import { ApiError } from "./lib/errors";
import { authenticate } from "./lib/auth/middleware";
import { streamingBodyLimit } from "./lib/body-limit";
import { services } from "./lib/middleware";
import { ProblemSchema, problemResponse, toApiError } from "./lib/problem";
import { requestMetrics } from "./lib/request-metrics/middleware";
import { BINARY_BODY_LIMIT, createRouter, JSON_BODY_LIMIT, type Router } from "./lib/router";

/**
 * The whole HTTP surface: middleware, every domain router, the OpenAPI document and its docs page,
 * and the one error path. `mount` lets a caller add routers before the catch-alls (tests use it to
 * drive the shared error path through a route of their own).
 */
export function createApp(mount: (app: Router) => void = () => undefined) {
  const app = createRouter();

  // First, so it times everything after it (errors included: onError answers inside it).
  app.use(requestMetrics);
  app.use(requestId({ limitLength: 128 }));
  app.use(services);
  app.use(
    "*",
    cors({
      origin: (origin, c) => {
        const allowed = (c.env.CORS_ORIGINS ?? "").split(",").map((s: string) => s.trim()).filter(Boolean);
        return allowed.includes("*") || allowed.includes(origin) ? origin : null;
      },
      // Range, and the headers around it, for players (hls.js, <audio>) and resumable downloads.
      allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id", "Range"],
      exposeHeaders: ["X-Request-Id", "Retry-After", "Location", "Content-Range", "Accept-Ranges", "Content-Length", "ETag", "X-Stream-Expires-At"],
      credentials: true,
      maxAge: 600,
    }),
  );
  app.use("*", secureHeaders({ crossOriginResourcePolicy: false, contentSecurityPolicy: undefined }));
  // JSON bodies are capped at 1 MiB; binary bodies (avatars, upload parts) at the platform's
  // 100 MB, and each such route sets its own, tighter limit.
  const jsonLimit = bodyLimit({
    maxSize: JSON_BODY_LIMIT,
    onError: () => {
      throw new ApiError("payload_too_large", `The request body exceeds ${JSON_BODY_LIMIT} bytes.`);
    },
  });
  // Binary bodies (upload parts, images) may be large: never buffered by the limit itself.
  const binaryLimit = streamingBodyLimit(BINARY_BODY_LIMIT);
  app.use("*", (c, next) => {
    const type = c.req.header("content-type") ?? "";
    return /^(application|image|audio|video)\/(?!json)/.test(type) && !/\+json/.test(type) ? binaryLimit(c, next) : jsonLimit(c, next);
  });

  app.use("*", authenticate);

  app.route("/", health);
  app.route("/", auth);
  app.route("/", accountEmail);
  app.route("/", twoFactor);
  app.route("/", oauth);
  app.route("/", users);
  app.route("/", gdpr);
  app.route("/", mail);
  app.route("/", uploads);
  // Before tracks: GET /v1/tracks/trending must not be taken for GET /v1/tracks/:id.
  app.route("/", analytics);
  app.route("/", tracks);
  app.route("/", playlists);
  app.route("/", likes);
  app.route("/", comments);
  app.route("/", history);
  app.route("/", playbackQueue);
  app.route("/", rooms);
  app.route("/", blocks);
  app.route("/", follows);
  app.route("/", directMessages);
  app.route("/", inbox);
  app.route("/", notifications);
  app.route("/", chat);
  app.route("/", posts);
  app.route("/", groups);
  app.route("/", feed);
  app.route("/", search);
  app.route("/", products);
  app.route("/", cart);
  app.route("/", orders);
  app.route("/", reviews);
  app.route("/", sellers);
  app.route("/", stripeWebhooks);
  app.route("/", courses);
  app.route("/", quizzes);
  app.route("/", certificates);
  app.route("/", equipment);
  app.route("/", cloud);
  app.route("/", moderation);
  app.route("/", admin);
  app.route("/", flags);
  app.route("/", operations);
  mount(app);

  // Every route's error responses share this body; published even before a route names it.
  app.openAPIRegistry.register("Problem", ProblemSchema);
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Veza API",
      version: "1.0.0",
      description:
        "The API of Veza, an ethical platform for musicians and listeners. Errors are RFC 9457 problem+json bodies with a machine `code` and the `requestId`.",
    },
    servers: [{ url: "/" }],
  });
  app.get("/docs", Scalar({ url: "/openapi.json", pageTitle: "Veza API reference" }));

  app.notFound((c) => problemResponse(c, new ApiError("not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`)));
  app.onError((err, c) => {
    const apiError = toApiError(err);
    if (apiError.status >= 500) {
      const cause = apiError.code === "internal" ? err : apiError.cause;
      c.get("log")?.error("request failed", {
        code: apiError.code,
        error: cause instanceof Error ? { name: cause.name, message: cause.message, stack: cause.stack } : String(cause),
      });
    }
    return problemResponse(c, apiError);
  });
  return app;
}
