import type { Context } from "hono";
import type { AppEnv } from "../../env";
import type { AuthContext } from "../../lib/auth/middleware";

/**
 * The viewer of a route that answers anonymous requests too. A request that sends a token which
 * does not verify (expired, revoked, a banned or deleted account) gets that error (401/403) rather
 * than an anonymous answer: an owner whose token expired must learn to refresh it, not be told
 * that their private track does not exist.
 */
export function viewerOf(c: Context<AppEnv>): AuthContext | null {
  const error = c.get("authError");
  if (error) throw error;
  return c.get("auth") ?? null;
}
