import { createRoute } from "@hono/zod-openapi";
import { currentUser, requireAuth } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { UpdateMeSchema } from "./inputs";
import { findMe, updateMe } from "./me-queries";
import { json, problems } from "./responses";
import { MeSchema } from "./schemas";

const getMe = createRoute({
  method: "get",
  path: "/v1/me",
  tags: ["Account"],
  summary: "My account",
  description:
    "The signed-in account: identity, role, verified roles, consents, profile (with its counters), settings and badges in display order. One database round trip.",
  security: [{ bearerAuth: [] }],
  middleware: [requireAuth()] as const,
  responses: { 200: json("My account", MeSchema), 401: problems[401], 403: problems[403] },
});

const patchMe = createRoute({
  method: "patch",
  path: "/v1/me",
  tags: ["Account"],
  summary: "Update my account and profile",
  description:
    "Partial update: only the fields present change; `null` clears a nullable field. Answers the updated account. One database round trip (both updates and the read in one transaction).",
  security: [{ bearerAuth: [] }],
  middleware: [requireAuth()] as const,
  request: { body: { required: true, content: { "application/json": { schema: UpdateMeSchema } } } },
  responses: { 200: json("The updated account", MeSchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});

export const me = createRouter()
  .openapi(getMe, async (c) => c.json(await findMe(c.var.db, currentUser(c).userId), 200))
  .openapi(patchMe, async (c) => c.json(await updateMe(c.var.db, currentUser(c).userId, c.req.valid("json")), 200));
