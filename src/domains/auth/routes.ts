import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { ProblemSchema } from "../../lib/problem";
import {
  LoginBodySchema, LogoutBodySchema, RefreshBodySchema, RegisterBodySchema, SignedInSchema, IssuedSessionSchema,
} from "./schemas";

const problemDescriptions = {
  401: "Not signed in, or the credentials or token are not valid",
  403: "The account is banned, or the action is not allowed",
  404: "Not found (or not yours)",
  409: "Conflicts with existing data",
  422: "The request is not valid (field paths in `errors`)",
  429: "Too many attempts; see Retry-After",
} as const;

/** The problem+json responses a route can answer, for its OpenAPI entry. */
export function problems<S extends keyof typeof problemDescriptions>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: problemDescriptions[s], content: { "application/problem+json": { schema: ProblemSchema } } }]),
  ) as unknown as { [K in S]: { description: string; content: { "application/problem+json": { schema: typeof ProblemSchema } } } };
}

export const bearer = [{ bearerAuth: [] }];
const json = <T extends z.ZodType>(schema: T) => ({ content: { "application/json": { schema } }, required: true });

export const register = createRoute({
  method: "post",
  path: "/v1/auth/register",
  tags: ["Auth"],
  summary: "Create an account and sign in",
  description:
    "Needs `data_processing_consent: true`; `marketing_consent` is separate and optional (each stamped with its time). Password: 10–128 characters and at most 72 bytes in UTF-8. Sends the verification email. A taken email or username answers 409.",
  request: { body: json(RegisterBodySchema) },
  responses: {
    201: { description: "The account and its first session", content: { "application/json": { schema: SignedInSchema } } },
    ...problems(409, 422),
  },
});

export const login = createRoute({
  method: "post",
  path: "/v1/auth/login",
  tags: ["Auth"],
  summary: "Sign in with email or username and password",
  description:
    "When two-factor authentication is on, `code` (a TOTP code or an unused backup code) is required: without it the answer is 401 with `errors: [{path: \"json.code\", message: \"required\"}]`, with a wrong one `message: \"invalid\"`. After 5 failures for an identifier or 20 for an IP address within 15 minutes: 429 with Retry-After. Unknown account and wrong password answer the same 401.",
  request: { body: json(LoginBodySchema) },
  responses: {
    200: { description: "Signed in", content: { "application/json": { schema: SignedInSchema } } },
    ...problems(401, 403, 422, 429),
  },
});

export const refresh = createRoute({
  method: "post",
  path: "/v1/auth/refresh",
  tags: ["Auth"],
  summary: "Rotate a refresh token",
  description:
    "Answers a new access token and a new refresh token of the same session; the presented one is used up. Presenting a used-up token again ends the whole session (reuse detection).",
  request: { body: json(RefreshBodySchema) },
  responses: {
    200: { description: "The session, with new tokens", content: { "application/json": { schema: z.object({ session: IssuedSessionSchema }) } } },
    ...problems(401, 403, 422),
  },
});

export const logout = createRoute({
  method: "post",
  path: "/v1/auth/logout",
  tags: ["Auth"],
  summary: "Sign out of this session",
  description: "Revokes the refresh tokens of the request's session (and of `refresh_token`'s session if it is mine).",
  security: bearer,
  middleware: [requireAuth()] as const,
  request: { body: { content: { "application/json": { schema: LogoutBodySchema } }, required: false } },
  responses: { 204: { description: "Signed out" }, ...problems(401, 403, 422) },
});

export const logoutAll = createRoute({
  method: "post",
  path: "/v1/auth/logout-all",
  tags: ["Auth"],
  summary: "Sign out everywhere",
  description: "Bumps token_version (every access token issued so far is refused) and revokes every refresh token.",
  security: bearer,
  middleware: [requireAuth()] as const,
  responses: { 204: { description: "Every session ended" }, ...problems(401, 403) },
});
