import { z } from "@hono/zod-openapi";
import { PROVIDERS } from "./providers";

export const ProviderParam = z.object({
  provider: z
    .string()
    .max(50)
    .openapi({ param: { name: "provider", in: "path" }, example: "github", description: `One of ${PROVIDERS.join(", ")}.` }),
});

/**
 * Where the web app goes after the flow: a path on Veza's own origin ("/library?tab=liked"), never
 * another site ("//evil.example", "https://…", "/\\evil.example" are refused): no open redirect.
 */
export const RedirectTo = z
  .string()
  .max(500)
  .regex(/^\/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*$/, "must be a path on this site, starting with a single /")
  .optional()
  .openapi({ example: "/library" });

const Flag = z.enum(["true", "false"]).optional();

export const StartQuery = z.object({
  redirect_to: RedirectTo,
  data_processing_consent: Flag.openapi({
    description: "`true` when the person explicitly consented to data processing; needed only if the callback creates a new account.",
  }),
  marketing_consent: Flag.openapi({ description: "`true` to opt in to marketing email, stored (with its time) only on a new account." }),
});

export const LinkQuery = z.object({ redirect_to: RedirectTo });

/** Re-authentication before a new way into the account is added. */
export const LinkBody = z
  .object({
    password: z.string().min(1).max(1024).optional().openapi({ description: "The account's password: required when it has one." }),
    code: z.string().trim().min(6).max(64).optional().openapi({ description: "A TOTP or backup code: required when two-factor authentication is on." }),
  })
  .strict()
  .openapi("OAuthLinkRequest");

export const SecondFactorBody = z
  .object({
    ticket: z.string().min(1).max(2048).openapi({ description: "The `two_factor_ticket` of the callback" }),
    code: z.string().trim().min(6).max(64).openapi({ description: "A TOTP code or a backup code" }),
  })
  .strict()
  .openapi("OAuthSecondFactorRequest");

export const CallbackQuery = z.object({
  code: z.string().max(2048).optional(),
  state: z.string().max(512).optional(),
  error: z.string().max(256).optional().openapi({ description: "Set by the provider when the person refused or the provider failed." }),
  error_description: z.string().max(1024).optional(),
});

const SessionSchema = z.object({
  accessToken: z.string(),
  tokenType: z.literal("Bearer"),
  expiresIn: z.number().int().openapi({ example: 900 }),
  refreshToken: z.string(),
  sessionId: z.string().uuid(),
});

export const CallbackResultSchema = z
  .object({
    outcome: z.enum(["signed_in", "signed_up", "linked", "two_factor_required"]),
    provider: z.enum(PROVIDERS),
    user: z
      .object({
      id: z.string().uuid(),
      username: z.string(),
      email: z.string(),
      emailVerified: z.boolean(),
      role: z.enum(["user", "creator", "premium", "moderator", "admin"]),
      })
      .nullable()
      .openapi({ description: "The account; null when a second factor is still required." }),
    session: SessionSchema.nullable().openapi({
      description: "The new session; null after a link (the linking user is already signed in) and when a second factor is required.",
    }),
    twoFactorTicket: z.string().optional().openapi({
      description: "Only with `two_factor_required`: send it with a code to POST /v1/auth/oauth/second-factor within 5 minutes.",
    }),
    redirectTo: z.string().nullable(),
  })
  .openapi("OAuthCallbackResult");

export const AuthorizationSchema = z
  .object({ authorizationUrl: z.string().url().openapi({ description: "Send the browser here; the flow cookie was set with this answer." }) })
  .openapi("OAuthAuthorization");

export const LinkedIdentitySchema = z
  .object({
    provider: z.enum(PROVIDERS),
    providerUsername: z.string().nullable(),
    providerEmail: z.string().nullable(),
    providerAvatarUrl: z.string().nullable(),
    isPrimary: z.boolean().openapi({ description: "The identity the account was created with." }),
    linkedAt: z.string().datetime(),
  })
  .openapi("LinkedIdentity");

export const LinkedIdentitiesSchema = z
  .object({
    identities: z.array(LinkedIdentitySchema),
    available: z.array(z.enum(PROVIDERS)).openapi({ description: "The providers this deployment offers." }),
    hasPassword: z.boolean().openapi({ description: "Without a password, the last identity cannot be unlinked." }),
  })
  .openapi("LinkedIdentities");

export { problemDoc as problem } from "../../lib/problem";
