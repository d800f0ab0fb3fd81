import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { authProblems, BackupCodesSchema, CodeBody, ConfirmBody, DisableBody, EnrolmentSchema, problem, StatusSchema } from "./schemas";

const tags = ["Two-factor authentication"];
const json = <T>(schema: T) => ({ content: { "application/json": { schema } } });
const body = <T>(schema: T) => ({ body: { required: true, ...json(schema) } });
const tooManyFailures = problem("Five wrong codes or passwords in 15 minutes; see Retry-After");

export const getStatus = createRoute({
  method: "get",
  path: "/v1/me/2fa",
  tags,
  summary: "Whether two-factor authentication is on",
  middleware: [requireAuth()] as const,
  responses: { 200: { description: "The state of the signed-in user's 2FA", ...json(StatusSchema) }, ...authProblems },
});

export const startTotp = createRoute({
  method: "post",
  path: "/v1/me/2fa/totp",
  tags,
  summary: "Start TOTP enrolment",
  description: "Creates a new secret (replacing one not yet confirmed) for an authenticator app. 2FA stays off until confirmed.",
  middleware: [requireAuth()] as const,
  responses: {
    201: { description: "The secret and its otpauth:// URI", ...json(EnrolmentSchema) },
    ...authProblems,
    409: problem("Two-factor authentication is already enabled"),
  },
});

export const confirmTotp = createRoute({
  method: "post",
  path: "/v1/me/2fa/totp/confirm",
  tags,
  summary: "Confirm TOTP enrolment",
  description: "Checks a code from the app against the pending secret, switches 2FA on, and returns ten single-use backup codes (shown once).",
  middleware: [requireAuth()] as const,
  request: body(ConfirmBody),
  responses: {
    200: { description: "2FA is on", ...json(BackupCodesSchema) },
    ...authProblems,
    409: problem("No enrolment in progress, or 2FA already enabled"),
    422: problem("The code is malformed or wrong (`json.code`)"),
    429: tooManyFailures,
  },
});

export const disable = createRoute({
  method: "delete",
  path: "/v1/me/2fa",
  tags,
  summary: "Switch two-factor authentication off",
  description: "Needs the account password and a current TOTP code or an unused backup code.",
  middleware: [requireAuth()] as const,
  request: body(DisableBody),
  responses: {
    204: { description: "2FA is off; the secret and backup codes are deleted" },
    ...authProblems,
    409: problem("Two-factor authentication is not enabled"),
    422: problem("The password or the code is not right"),
    429: tooManyFailures,
  },
});

export const renewBackupCodes = createRoute({
  method: "post",
  path: "/v1/me/2fa/backup-codes",
  tags,
  summary: "Replace the backup codes",
  description: "Given a current code, invalidates every backup code and returns ten new ones (shown once).",
  middleware: [requireAuth()] as const,
  request: body(CodeBody),
  responses: {
    200: { description: "The new backup codes", ...json(BackupCodesSchema) },
    ...authProblems,
    409: problem("Two-factor authentication is not enabled"),
    422: problem("The code is not valid (`json.code`)"),
    429: tooManyFailures,
  },
});
