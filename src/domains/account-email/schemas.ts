import { z } from "@hono/zod-openapi";
import { EmailSchema, NewPasswordSchema } from "../auth/schemas";

/** A token from an emailed link: 256 random bits, base64url. Anything else simply matches nothing (401). */
export const EmailedTokenSchema = z.string().min(1).max(512).openapi({ example: "pZ3cV0l9yM2q8c1dQ4xXb7nR5tE6wK0aJ2hF9gS3uYk" });

export const VerifyEmailBodySchema = z.object({ token: EmailedTokenSchema }).openapi("VerifyEmailRequest");

export const VerifiedSchema = z.object({ verified: z.literal(true) }).openapi("EmailVerified");

export const AcceptedSchema = z.object({ status: z.literal("accepted"), detail: z.string() }).openapi("Accepted");

// The address and password rules are sign-up's (auth/schemas.ts): one rule each, everywhere.
export const PasswordResetBodySchema = z.object({ email: EmailSchema }).openapi("PasswordResetRequest");

export const PasswordResetConfirmBodySchema = z
  .object({ token: EmailedTokenSchema, new_password: NewPasswordSchema })
  .openapi("PasswordResetConfirmation");
