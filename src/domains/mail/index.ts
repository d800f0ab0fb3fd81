import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../env";
import { ApiError } from "../../lib/errors";
import { ProblemSchema } from "../../lib/problem";
import { createRouter } from "../../lib/router";
import { readDevMailbox } from "./dev-mailbox";
import { EMAIL_PATTERN } from "./message";

const DevMailSchema = z.object({
  id: z.string(),
  from: z.string(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string().nullable(),
  sentAt: z.string(),
});

const getDevMailbox = createRoute({
  method: "get",
  path: "/dev/mailbox",
  // Not part of the public API: left out of /openapi.json, and 404 outside development and test.
  hide: true,
  tags: ["Development"],
  summary: "The mail the dev provider kept for one address (development and test only)",
  request: {
    query: z.object({
      to: z.string().max(255).regex(EMAIL_PATTERN, "must be an email address"),
      limit: z.coerce.number().int().min(1).max(100).default(20),
    }),
  },
  responses: {
    200: { description: "Newest first", content: { "application/json": { schema: z.object({ messages: z.array(DevMailSchema) }) } } },
    404: { description: "Not a development or test deployment", content: { "application/problem+json": { schema: ProblemSchema } } },
    422: { description: "Invalid query", content: { "application/problem+json": { schema: ProblemSchema } } },
  },
});

/**
 * Outside development and test the dev routes do not exist: the same 404 as any unknown path,
 * answered before validation so not even a 422 gives them away.
 */
const devOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.env.ENVIRONMENT !== "development" && c.env.ENVIRONMENT !== "test") {
    throw new ApiError("not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`);
  }
  await next();
};

export const mail = createRouter();
mail.use("/dev/*", devOnly);
mail.openapi(getDevMailbox, async (c) => {
  const { to, limit } = c.req.valid("query");
  return c.json({ messages: await readDevMailbox(c.env.MEDIA, to, limit) }, 200);
});
