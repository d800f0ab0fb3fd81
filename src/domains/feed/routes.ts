import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { jsonDoc, problemDoc } from "../../lib/problem";
import { FeedQuerySchema, FeedSchema } from "./schemas";
import { signedIn } from "../../lib/openapi";


export const feedRoute = createRoute({
  method: "get",
  path: "/v1/feed",
  tags: ["Feed"],
  summary: "My home feed",
  description:
    "What the people you follow did, newest first and nothing else: their posts and reposts (not unlisted ones, not group posts), the tracks they published and their public playlists that hold tracks. " +
    "Strictly chronological (spec §17: no ranking, no engagement optimisation, no suggested content), by cursor (`next_cursor`, null on the last page). " +
    "Accounts since banned, deleted or made private, and anyone with a block either way between you, are left out; a plain repost whose original you may no longer see is dropped, so a page may hold fewer than `limit` items while `next_cursor` says more remain. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { query: FeedQuerySchema },
  responses: {
    200: jsonDoc("A page of the feed", FeedSchema),
    401: problemDoc("The access token sent is invalid, expired or revoked, or none was sent"),
    403: problemDoc("Not allowed: the account is banned"),
    422: problemDoc("The request is not valid; `errors` lists each field"),
  },
});
