import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { jsonDoc, problemDoc } from "../../lib/problem";
import { rateLimit } from "../../lib/rate-limit";
import { BlockBodySchema, BlockListQuerySchema, BlockListSchema, BlockSchema, UsernameParamSchema } from "./schemas";
import { signedIn as security } from "../../lib/openapi";

const tags = ["Blocks"];
const problems = {
  401: problemDoc("The access token sent is invalid, expired or revoked, or none was sent"),
  403: problemDoc("The account is banned"),
  404: problemDoc("No live user has this username"),
  422: problemDoc("The request is not valid (or names yourself); `errors` lists each field"),
  429: problemDoc("Too many of these in a minute: wait (Retry-After) and try again"),
} as const;

export const blockUserRoute = createRoute({
  method: "put",
  path: "/v1/me/blocks/{username}",
  tags,
  summary: "Block a user",
  description:
    "Idempotent. Removes the follows between you, both ways, in the same transaction; while the block stands neither of you can send the other a direct message (your conversation stays readable). A banned or deleted account is 404; yourself is 422. One database round trip.",
  security,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "blocks")] as const,
  request: { params: UsernameParamSchema, body: { required: false, content: { "application/json": { schema: BlockBodySchema } } } },
  responses: { 200: jsonDoc("The block", BlockSchema), 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422], 429: problems[429] },
});

export const unblockUserRoute = createRoute({
  method: "delete",
  path: "/v1/me/blocks/{username}",
  tags,
  summary: "Unblock a user",
  description: "Idempotent: unblocking someone you have not blocked changes nothing. Follows removed by the block are not restored. One database round trip.",
  security,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "blocks")] as const,
  request: { params: UsernameParamSchema },
  responses: { 204: { description: "Not blocked (any more)" }, 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422], 429: problems[429] },
});

export const listBlocksRoute = createRoute({
  method: "get",
  path: "/v1/me/blocks",
  tags,
  summary: "The users I blocked",
  description: "Most recent first, by cursor (`next_cursor`, null on the last page). One database round trip.",
  security,
  middleware: [requireAuth()] as const,
  request: { query: BlockListQuerySchema },
  responses: { 200: jsonDoc("A page of blocks", BlockListSchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});
