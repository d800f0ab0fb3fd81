import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { json, problems, signedIn } from "./responses";
import { HistoryClearedSchema, HistoryListQuerySchema, HistorySchema, PlayIdParamSchema } from "./schemas";

const tags = ["Listening history"];

export const listHistoryRoute = createRoute({
  method: "get",
  path: "/v1/me/history",
  tags,
  summary: "My listening history",
  description:
    "Every play you reported (POST /v1/tracks/{id}/plays while signed in), newest first, by cursor (`next_cursor`, null on the last page). Plays of tracks you can no longer see are left out. Only ever your own plays. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { query: HistoryListQuerySchema },
  responses: { 200: json("A page of plays", HistorySchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});

export const clearHistoryRoute = createRoute({
  method: "delete",
  path: "/v1/me/history",
  tags,
  summary: "Delete my whole listening history",
  description:
    "Your plays are deleted from the database, not hidden. Tracks' play counts do not go down: the plays happened. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  responses: { 200: json("How many plays were deleted", HistoryClearedSchema), 401: problems[401], 403: problems[403] },
});

export const deleteHistoryEntryRoute = createRoute({
  method: "delete",
  path: "/v1/me/history/{id}",
  tags,
  summary: "Delete one play from my history",
  description: "One of your plays, by its id; 404 for any other id. The track's play count does not go down. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: PlayIdParamSchema },
  responses: { 204: { description: "Deleted" }, 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
});
