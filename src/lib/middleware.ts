import type { MiddlewareHandler } from "hono";
import { createDb } from "../db/client";
import type { AppEnv } from "../env";
import { createLogger } from "./logger";

/**
 * Puts the per-request services on the context (STYLE: handlers never build clients) and writes
 * one structured log line per request once the response is known.
 */
export const services: MiddlewareHandler<AppEnv> = async (c, next) => {
  const log = createLogger({ requestId: c.get("requestId") });
  c.set("log", log);
  c.set("db", createDb(c.env));
  const started = Date.now();
  await next();
  const status = c.res.status;
  log[status >= 500 ? "error" : "info"]("request", {
    method: c.req.method,
    path: new URL(c.req.url).pathname,
    status,
    durationMs: Date.now() - started,
  });
};
