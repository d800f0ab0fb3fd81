import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { problemDoc as problem } from "../../lib/problem";
import {
  AcceptedSchema,
  PasswordResetBodySchema,
  PasswordResetConfirmBodySchema,
  VerifiedSchema,
  VerifyEmailBodySchema,
} from "./schemas";

const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });

export const verifyEmailRoute = createRoute({
  method: "post",
  path: "/v1/auth/verify-email",
  tags: ["Auth"],
  summary: "Confirm an email address with the token from the emailed link",
  description: "Single use; links expire after 24 hours and only prove the address they were sent to. One round trip.",
  request: { body: { required: true, ...json(VerifyEmailBodySchema) } },
  responses: {
    200: { description: "The account's address is verified", ...json(VerifiedSchema) },
    401: problem("invalid_token: the link is unknown, used, expired, or for a previous address"),
    403: problem("The account is banned"),
    422: problem("Invalid body"),
  },
});

export const resendVerificationRoute = createRoute({
  method: "post",
  path: "/v1/auth/verify-email/resend",
  tags: ["Auth"],
  summary: "Email the signed-in user a new verification link",
  description: "Needs a bearer access token. At most one new link a minute (429 with Retry-After). One round trip.",
  middleware: [requireAuth()] as const,
  responses: {
    202: { description: "A new link is on its way", ...json(AcceptedSchema) },
    401: problem("Not signed in"),
    403: problem("The account is banned"),
    409: problem("The address is already verified"),
    429: problem("A link was sent less than a minute ago"),
  },
});

export const requestPasswordResetRoute = createRoute({
  method: "post",
  path: "/v1/auth/password-reset",
  tags: ["Auth"],
  summary: "Email a password reset link",
  description:
    "Always 202 with the same body, whether or not an account uses the address. The link is single use and expires after 1 hour; at most one a minute is sent. One round trip.",
  request: { body: { required: true, ...json(PasswordResetBodySchema) } },
  responses: {
    202: { description: "If an account uses the address, a link is on its way", ...json(AcceptedSchema) },
    422: problem("Invalid body"),
  },
});

export const confirmPasswordResetRoute = createRoute({
  method: "post",
  path: "/v1/auth/password-reset/confirm",
  tags: ["Auth"],
  summary: "Set a new password with the token from the emailed link",
  description:
    "10–128 characters and at most 72 bytes, different from the last 5 passwords. Signs the account out everywhere: every access and refresh token is revoked. " +
    "If the account's email was unverified, the reset verifies it and removes every linked sign-in provider and the two-factor configuration " +
    "(they may have been added by someone who registered the address before its owner). Two round trips.",
  request: { body: { required: true, ...json(PasswordResetConfirmBodySchema) } },
  responses: {
    204: { description: "The password is changed and every session ended" },
    401: problem("invalid_token: the link is unknown, used or expired"),
    422: problem("Invalid body, or a password used recently"),
  },
});
