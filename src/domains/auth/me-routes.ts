import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { bearer, problems } from "./routes";
import { ChangePasswordBodySchema, PasswordChangedSchema, SessionIdParamSchema, SessionListQuerySchema, SessionListSchema } from "./schemas";

export const listMySessions = createRoute({
  method: "get",
  path: "/v1/me/sessions",
  tags: ["Sessions"],
  summary: "My signed-in sessions and devices",
  description: "One entry per live session, most recently used first; `current` marks the request's own. Cursor-paginated.",
  security: bearer,
  middleware: [requireAuth()] as const,
  request: { query: SessionListQuerySchema },
  responses: {
    200: { description: "My sessions", content: { "application/json": { schema: SessionListSchema } } },
    ...problems(401, 403, 422),
  },
});

export const revokeMySession = createRoute({
  method: "delete",
  path: "/v1/me/sessions/{id}",
  tags: ["Sessions"],
  summary: "Sign one of my sessions out",
  description: "Revokes the session's refresh tokens; its access token (if one is out) lapses within 15 minutes. 404 unless it is a live session of mine.",
  security: bearer,
  middleware: [requireAuth()] as const,
  request: { params: SessionIdParamSchema },
  responses: { 204: { description: "Revoked" }, ...problems(401, 403, 404, 422) },
});

export const changeMyPassword = createRoute({
  method: "put",
  path: "/v1/me/password",
  tags: ["Sessions"],
  summary: "Change my password",
  description:
    "Needs the current password (a wrong one answers 403 and counts toward the sign-in lockout). The new one may not be any of the last 5. Every session and access token ends, including the request's; the response carries a fresh session for this device.",
  security: bearer,
  middleware: [requireAuth()] as const,
  request: { body: { content: { "application/json": { schema: ChangePasswordBodySchema } }, required: true } },
  responses: {
    200: { description: "Changed; the new session of this device", content: { "application/json": { schema: PasswordChangedSchema } } },
    ...problems(401, 403, 409, 422, 429),
  },
});
