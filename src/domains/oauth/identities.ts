import { createRoute } from "@hono/zod-openapi";
import { currentUser, requireAuth } from "../../lib/auth/middleware";
import { ApiError } from "../../lib/errors";
import { auditOriginOf } from "../../lib/audit";
import { createRouter } from "../../lib/router";
import { listIdentities, unlinkIdentity } from "./identity-queries";
import { configuredProviders, isProviderName } from "./providers";
import { LinkedIdentitiesSchema, problem, ProviderParam } from "./schemas";

export const listMyIdentities = createRoute({
  method: "get",
  path: "/v1/me/oauth",
  tags: ["Auth"],
  summary: "My linked sign-in providers",
  description: "The provider accounts linked to mine, the providers on offer, and whether I have a password. One database round trip.",
  middleware: [requireAuth()] as const,
  responses: {
    200: { description: "Linked identities", content: { "application/json": { schema: LinkedIdentitiesSchema } } },
    401: problem("Not signed in"),
    403: problem("Banned"),
  },
});

export const unlinkMyIdentity = createRoute({
  method: "delete",
  path: "/v1/me/oauth/{provider}",
  tags: ["Auth"],
  summary: "Unlink a provider from my account",
  description:
    "Forgets the identity and its (encrypted) provider tokens, with an audit row. Refused (409) when it is my only way to sign in: " +
    "no password and no other linked provider. One database round trip.",
  middleware: [requireAuth()] as const,
  request: { params: ProviderParam },
  responses: {
    204: { description: "Unlinked" },
    401: problem("Not signed in"),
    403: problem("Banned"),
    404: problem("No identity at this provider is linked to my account"),
    409: problem("It is my only way to sign in"),
  },
});

export const identityRoutes = createRouter()
  .openapi(listMyIdentities, async (c) => {
    const { hasPassword, identities } = await listIdentities(c.var.db, currentUser(c).userId);
    return c.json(
      {
        identities: identities.map((identity) => ({ ...identity, linkedAt: identity.linkedAt.toISOString() })),
        available: configuredProviders(c.env),
        hasPassword,
      },
      200,
    );
  })
  .openapi(unlinkMyIdentity, async (c) => {
    const { provider } = c.req.valid("param");
    // Any known provider, configured here or not: an identity outlives its provider's credentials.
    if (!isProviderName(provider)) throw new ApiError("not_found", `No ${provider} account is linked to yours.`);
    await unlinkIdentity(c.var.db, currentUser(c).userId, provider, auditOriginOf(c));
    return c.body(null, 204);
  });
