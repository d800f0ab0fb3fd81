import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../src/index";
import { unique } from "./db";

/**
 * Sends `request` through the Worker with a DATABASE_URL whose user name is a fresh tag, then asks
 * the dev database server how many round trips (HTTP requests) and statements carried that tag:
 * an exact count for this one call, even while other test files share the server.
 */
export async function withRoundTrips(request: Request, overrides: Partial<Cloudflare.Env> = {}) {
  const tag = `rt_${unique()}`;
  const url = new URL(env.DATABASE_URL);
  url.username = tag;
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, { ...env, ...overrides, DATABASE_URL: url.toString() }, ctx);
  await waitOnExecutionContext(ctx);
  const stats = (await (await fetch(`http://${url.host}/stats?tag=${tag}`)).json()) as { queries: number; requests: number };
  return { response, roundTrips: stats.requests, statements: stats.queries };
}
