import { z } from "@hono/zod-openapi";

/** The spec's CHECK on users.email (chk_users_email_format), so the database never refuses what we accept. */
export const EMAIL_PATTERN = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;
/** The spec's CHECK on users.username (chk_users_username_format). */
export const USERNAME_PATTERN = /^[a-zA-Z0-9_]{3,30}$/;

/** bcrypt reads only the first 72 bytes of a password: a longer one would be silently truncated. */
export const BCRYPT_MAX_BYTES = 72;

export const EmailSchema = z
  .string()
  .trim()
  .max(255)
  .regex(EMAIL_PATTERN, "must be an email address")
  .openapi({ example: "ada@example.com" });

export const UsernameSchema = z
  .string()
  .trim()
  .regex(USERNAME_PATTERN, "must be 3 to 30 letters, digits or underscores")
  // Erased accounts are renamed deleted_<id> (GDPR anonymisation): nobody may pose as one.
  .refine((name) => !name.toLowerCase().startsWith("deleted_"), "may not start with deleted_")
  .openapi({ example: "ada_l" });

/**
 * A new password: 10 to 128 characters and at most 72 bytes in UTF-8 (bcrypt's limit; refusing is
 * better than ignoring the rest). Never trimmed. Shared with password reset.
 */
export const NewPasswordSchema = z
  .string()
  .min(10, "must be at least 10 characters")
  .max(128, "must be at most 128 characters")
  .refine((p) => new TextEncoder().encode(p).length <= BCRYPT_MAX_BYTES, `must be at most ${BCRYPT_MAX_BYTES} bytes in UTF-8`)
  .openapi({ example: "correct horse battery" });

/** A password being checked (sign-in, confirmation): any non-empty string of sane length. */
export const PasswordInputSchema = z.string().min(1, "is required").max(1024);

/** What a successful sign-in, refresh or password change answers (`IssuedSession` of sessions.ts). */
export const IssuedSessionSchema = z
  .object({
    accessToken: z.string().openapi({ description: "JWT for `Authorization: Bearer`, valid 15 minutes" }),
    tokenType: z.literal("Bearer"),
    expiresIn: z.number().int().openapi({ example: 900, description: "Seconds until the access token expires" }),
    refreshToken: z.string().openapi({ description: "Single use: POST /v1/auth/refresh answers a new one" }),
    sessionId: z.string().uuid().openapi({ description: "The session (refresh-token family), as listed by GET /v1/me/sessions" }),
  })
  .openapi("IssuedSession");

/** The signed-in user as the auth endpoints answer it (the full profile is GET /v1/me). */
export const AuthUserSchema = z
  .object({
    id: z.string().uuid(),
    email: z.string(),
    username: z.string(),
    display_name: z.string().nullable(),
    role: z.enum(["user", "creator", "premium", "moderator", "admin"]),
    email_verified: z.boolean(),
    created_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("AuthUser");

export type AuthUser = z.infer<typeof AuthUserSchema>;

export const SignedInSchema = z.object({ user: AuthUserSchema, session: IssuedSessionSchema }).openapi("SignedIn");

export const RegisterBodySchema = z
  .object({
    email: EmailSchema,
    username: UsernameSchema,
    password: NewPasswordSchema,
    data_processing_consent: z.literal(true, { error: "must be true: Veza cannot run an account without it" }).openapi({
      description: "GDPR consent to process the data the account needs (required, separate from marketing)",
    }),
    marketing_consent: z.boolean().optional().openapi({ description: "Optional, separate consent to marketing email" }),
    display_name: z.string().trim().min(1).max(100).optional(),
  })
  .strict()
  .openapi("RegisterRequest");

export const LoginBodySchema = z
  .object({
    identifier: z.string().trim().min(1, "is required").max(255).openapi({ description: "Email or username", example: "ada_l" }),
    password: PasswordInputSchema,
    code: z
      .string()
      .trim()
      .min(6)
      .max(64)
      .optional()
      .openapi({ description: "TOTP code or a backup code, required when two-factor authentication is on" }),
  })
  .strict()
  .openapi("LoginRequest");

export const RefreshBodySchema = z.object({ refresh_token: z.string().min(1, "is required").max(512) }).strict().openapi("RefreshRequest");

export const LogoutBodySchema = z.object({ refresh_token: z.string().min(1).max(512).optional() }).strict().openapi("LogoutRequest");

export const SessionSchema = z
  .object({
    id: z.string().uuid().openapi({ description: "The session (refresh-token family) id: the `sid` of its access tokens" }),
    device_name: z.string().nullable(),
    device_type: z.string().nullable(),
    user_agent: z.string().nullable(),
    ip: z.string().nullable(),
    created_at: z.string().openapi({ format: "date-time", description: "When the session signed in" }),
    last_used_at: z.string().openapi({ format: "date-time", description: "When it last signed in or refreshed its tokens" }),
    current: z.boolean().openapi({ description: "Whether this is the session of the request" }),
  })
  .openapi("Session");

export const SessionListSchema = z
  .object({ items: z.array(SessionSchema), next_cursor: z.string().nullable() })
  .openapi("SessionList");

export const SessionListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
});

export const SessionIdParamSchema = z.object({
  id: z.string().uuid().openapi({ param: { name: "id", in: "path" } }),
});

export const ChangePasswordBodySchema = z
  .object({ current_password: PasswordInputSchema, new_password: NewPasswordSchema })
  .strict()
  .openapi("ChangePasswordRequest");

export const PasswordChangedSchema = z.object({ session: IssuedSessionSchema }).openapi("PasswordChanged");
