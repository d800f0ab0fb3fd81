import { createRoute, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { currentUser, requireAuth } from "../../lib/auth/middleware";
import { DUMMY_HASH, verifyPassword } from "../../lib/auth/passwords";
import { loadAuthState } from "../../lib/auth/state";
import { ApiError } from "../../lib/errors";
import { createRouter } from "../../lib/router";
import { readTwoFactor, recordFailure } from "../two-factor/queries";
import { assertNotLocked, refuse, verifySecondFactor } from "../two-factor/service";
import { unverifiedLinkTarget } from "./complete-flow";
import { beginFlow } from "./flow-cookie";
import { providerClient } from "./providers";
import { AuthorizationSchema, LinkBody, LinkQuery, problem, ProviderParam, StartQuery } from "./schemas";

export const startSignIn = createRoute({
  method: "get",
  path: "/v1/auth/oauth/{provider}/start",
  tags: ["Auth"],
  summary: "Start signing in with a provider",
  description:
    "Sends the browser to the provider's consent page (authorization-code flow with state, and PKCE for Google, Discord and Spotify). " +
    "The state and code verifier travel in a sealed (AES-256-GCM), HttpOnly, Secure, SameSite=Lax cookie valid for ten minutes. " +
    "Pass `data_processing_consent=true` when the person consented: a new account is created only with it. No database round trip.",
  request: { params: ProviderParam, query: StartQuery },
  responses: {
    302: {
      description: "To the provider's authorization page",
      headers: z.object({ Location: z.string(), "Set-Cookie": z.string() }),
    },
    404: problem("Unknown provider, or not offered by this deployment"),
    422: problem("Invalid `redirect_to` or flag"),
  },
});

export const startLink = createRoute({
  method: "post",
  path: "/v1/me/oauth/{provider}/link",
  tags: ["Auth"],
  summary: "Start linking a provider to my account",
  description:
    "For a signed-in user: answers the provider's authorization URL and sets the flow cookie, which names this user (and their " +
    "token_version, so a logout-all in between voids it). The browser then goes to the URL; the callback links the identity, and a " +
    "notice is mailed to the account's address.\n\n" +
    "A new way into the account needs re-authentication: the JSON body carries `password` (when the account has one) and `code` " +
    "(a TOTP or backup code, when two-factor authentication is on), checked before the URL is given. The account's email must be " +
    "verified (409 otherwise). Wrong passwords and codes count toward the 2FA lock (5 in 15 minutes, then 429). Two round trips, " +
    "plus bcrypt when there is a password.",
  middleware: [requireAuth()] as const,
  request: { params: ProviderParam, query: LinkQuery, body: { required: false, content: { "application/json": { schema: LinkBody } } } },
  responses: {
    200: { description: "The authorization URL", content: { "application/json": { schema: AuthorizationSchema } } },
    401: problem("Not signed in"),
    403: problem("Banned, or the password is wrong"),
    404: problem("Unknown provider, or not offered by this deployment"),
    409: problem("My email address is not verified yet"),
    422: problem("Invalid `redirect_to` or body; password or code missing; wrong code (or, with 2FA on, wrong password or code)"),
    429: problem("Too many wrong passwords or codes"),
  },
});

export const startRoutes = createRouter()
  .openapi(startSignIn, async (c) => {
    const { provider } = c.req.valid("param");
    const query = c.req.valid("query");
    const client = providerClient(c.env, provider);
    const url = await beginFlow(c, client, {
      redirectTo: query.redirect_to ?? null,
      dataProcessingConsent: query.data_processing_consent === "true",
      marketingConsent: query.marketing_consent === "true",
      link: null,
    });
    c.header("Cache-Control", "no-store");
    return c.redirect(url.toString(), 302);
  })
  .openapi(startLink, async (c) => {
    const { provider } = c.req.valid("param");
    const { redirect_to } = c.req.valid("query");
    const body = c.req.valid("json");
    const client = providerClient(c.env, provider);
    const me = currentUser(c);
    // authenticate loaded this state a moment ago: an edge-cache hit, not a database round trip.
    const state = await loadAuthState(c.var.db, me.userId);
    if (!state || state.deleted) throw new ApiError("invalid_token", "This account no longer exists.");
    await reauthenticate(c, me.userId, body);
    const url = await beginFlow(c, client, {
      redirectTo: redirect_to ?? null,
      dataProcessingConsent: false,
      marketingConsent: false,
      link: { userId: me.userId, tokenVersion: state.tokenVersion },
    });
    c.header("Cache-Control", "no-store");
    return c.json({ authorizationUrl: url.toString() }, 200);
  });

/**
 * Linking adds a way into the account, so a stolen access token must not be enough: the password
 * (if the account has one) and, with 2FA on, a code. With 2FA on, which of the two was wrong is
 * not said (as when disabling 2FA); without, a wrong password is 403 as when changing it. Every
 * wrong answer counts toward the 2FA lock. Refused while the email is unverified (409).
 */
async function reauthenticate(c: Context<AppEnv>, userId: string, body: { password?: string; code?: string }): Promise<void> {
  const [twoFactor, verified] = await Promise.all([
    readTwoFactor(c.var.db, userId, { withPassword: true }),
    c.var.db.execute<{ verified: boolean }>(sql`SELECT email_verified_at IS NOT NULL AS verified FROM users WHERE id = ${userId}`),
  ]);
  if (!twoFactor) throw new ApiError("invalid_token", "This account no longer exists.");
  if (verified.rows[0]?.verified !== true) throw unverifiedLinkTarget();
  assertNotLocked(twoFactor);
  const hasPassword = twoFactor.passwordHash !== null;
  const totp = twoFactor.config?.enabled === true;
  const missing = [
    ...(hasPassword && !body.password ? [{ path: "json.password", message: "is required to link a provider" }] : []),
    ...(totp && !body.code ? [{ path: "json.code", message: "is required to link a provider (two-factor authentication is on)" }] : []),
  ];
  if (missing.length > 0) throw new ApiError("validation_failed", "Confirm it is you before linking a provider.", { errors: missing });

  const passwordOk = !hasPassword || (await verifyPassword(body.password!, twoFactor.passwordHash ?? DUMMY_HASH));
  if (totp) {
    // The password first, so a wrong one never consumes a code.
    if (passwordOk && (await verifySecondFactor(c, userId, body.code!))) return;
    await refuse(c, userId, "oauth_link", hasPassword ? "The password or the code is not right." : "The code is not valid.", [
      ...(hasPassword ? [{ path: "json.password", message: "or the code is not right" }] : []),
      { path: "json.code", message: hasPassword ? "or the password is not right" : "is not a valid code, or was already used" },
    ]);
  }
  if (!passwordOk) {
    await recordFailure(c, userId, "oauth_link");
    throw new ApiError("forbidden", "The password is not correct.", { errors: [{ path: "json.password", message: "is not correct" }] });
  }
}
