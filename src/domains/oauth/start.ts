import { createRoute, z } from "@hono/zod-openapi";
import { currentUser, requireAuth } from "../../lib/auth/middleware";
import { loadAuthState } from "../../lib/auth/state";
import { ApiError } from "../../lib/errors";
import { createRouter } from "../../lib/router";
import { beginFlow } from "./flow-cookie";
import { providerClient } from "./providers";
import { AuthorizationSchema, LinkQuery, problem, ProviderParam, StartQuery } from "./schemas";

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
    "token_version, so a logout-all in between voids it). The browser then goes to the URL; the callback links the identity. " +
    "No database round trip (auth state cache warm).",
  middleware: [requireAuth()] as const,
  request: { params: ProviderParam, query: LinkQuery },
  responses: {
    200: { description: "The authorization URL", content: { "application/json": { schema: AuthorizationSchema } } },
    401: problem("Not signed in"),
    403: problem("Banned"),
    404: problem("Unknown provider, or not offered by this deployment"),
    422: problem("Invalid `redirect_to`"),
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
    const client = providerClient(c.env, provider);
    const me = currentUser(c);
    // authenticate loaded this state a moment ago: an edge-cache hit, not a database round trip.
    const state = await loadAuthState(c.var.db, me.userId);
    if (!state || state.deleted) throw new ApiError("invalid_token", "This account no longer exists.");
    const url = await beginFlow(c, client, {
      redirectTo: redirect_to ?? null,
      dataProcessingConsent: false,
      marketingConsent: false,
      link: { userId: me.userId, tokenVersion: state.tokenVersion },
    });
    c.header("Cache-Control", "no-store");
    return c.json({ authorizationUrl: url.toString() }, 200);
  });
