import type { MiddlewareHandler } from "hono";
import type { AppEnv, Env } from "../env";
import { ApiError } from "./errors";
import { edgeIpOf } from "./request-client";

/**
 * Per-user limits on writing (DESIGN §3), with Workers Rate Limiting bindings (wrangler.toml
 * `[[ratelimits]]`): counted at the edge location, no database round trip, no Durable Object. Each
 * binding is a budget shared by several actions of the same kind; `scope` keeps the actions apart, so
 * posting comments quickly does not eat into creating playlists.
 *
 *  - POSTING_LIMITER: things other people will read (comments, playlists, invitations).
 *  - ACTIONS_LIMITER: one-click actions (likes, follows).
 *
 * The key is the signed-in user (these routes are behind requireAuth), or the address Cloudflare saw
 * for anonymous ones. The bindings' counters are per location and approximate by design: they stop
 * floods and scripts, not a patient person.
 */
export type RateLimiterBinding = keyof Pick<Env, "POSTING_LIMITER" | "ACTIONS_LIMITER">;

/** The period of every limiter in wrangler.toml, for Retry-After. */
const PERIOD_SECONDS = 60;

export function rateLimit(binding: RateLimiterBinding, scope: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const who = c.get("auth")?.userId ?? `ip:${edgeIpOf(c) ?? "unknown"}`;
    const { success } = await c.env[binding].limit({ key: `${scope}:${who}` });
    if (!success) {
      throw new ApiError("rate_limited", "You are doing this too often; wait a minute and try again.", {
        headers: { "Retry-After": String(PERIOD_SECONDS) },
      });
    }
    await next();
  };
}
