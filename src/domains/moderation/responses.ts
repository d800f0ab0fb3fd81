import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../env";
import { AccountSuspended } from "../../lib/auth/middleware";
import { jsonDoc, problemDoc as problem } from "../../lib/problem";
export { signedIn, jsonBody } from "../../lib/openapi";
export { jsonDoc as json };

/** The problem+json responses routes of this domain declare, by status. */
export const problems = {
  401: problem("The access token sent is invalid, expired or revoked (or none was sent where one is needed)"),
  403: problem("Not allowed: a banned or suspended account, a role missing, or a sanction on someone you may not sanction"),
  404: problem("No such report, action, account or content (or content you cannot see)"),
  409: problem("Conflict: an open report of yours on this already, an account banned already, an action reversed or appealed already"),
  422: problem("The request is not valid; `errors` lists each field"),
  429: problem("Too many of these in a minute: wait (Retry-After) and try again"),
} as const;

export const writeErrors = { 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409], 422: problems[422] };
export const readErrors = { 401: problems[401], 403: problems[403], 422: problems[422] };

/**
 * Lets a suspended account through (before requireAuth): the routes where a suspended person sees
 * their sanctions and appeals them. Everything else keeps refusing their token (AccountSuspended).
 */
export const evenSuspended: MiddlewareHandler<AppEnv> = async (c, next) => {
  const error = c.get("authError");
  if (!c.get("auth") && error instanceof AccountSuspended) {
    c.set("auth", error.auth);
    c.set("authError", undefined);
  }
  await next();
};
