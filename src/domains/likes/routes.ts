import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { rateLimit } from "../../lib/rate-limit";
import { json, problems, signedIn } from "./responses";
import { LikeListQuerySchema, LikeListSchema, LikesContainQuerySchema, LikesContainSchema, LikeStateSchema, TrackIdParamSchema } from "./schemas";

const tags = ["Likes"];

const VISIBLE =
  "The track must be visible to you (public, unlisted, or your own private one); anyone else's private track, a deleted one or one whose creator is banned or deleted is 404.";

export const likeTrackRoute = createRoute({
  method: "put",
  path: "/v1/tracks/{id}/like",
  tags,
  summary: "Like a track",
  description: `Any signed-in user. Idempotent: liking a track you already like changes nothing. ${VISIBLE} Answers the track's like_count. One database round trip.`,
  security: signedIn,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "likes")] as const,
  request: { params: TrackIdParamSchema },
  responses: { 200: json("You like the track", LikeStateSchema), 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422], 429: problems[429] },
});

export const unlikeTrackRoute = createRoute({
  method: "delete",
  path: "/v1/tracks/{id}/like",
  tags,
  summary: "Stop liking a track",
  description: `Any signed-in user. Idempotent: unliking a track you do not like changes nothing. ${VISIBLE} Answers the track's like_count. One database round trip.`,
  security: signedIn,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "likes")] as const,
  request: { params: TrackIdParamSchema },
  responses: { 200: json("You no longer like the track", LikeStateSchema), 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422], 429: problems[429] },
});

export const listLikesRoute = createRoute({
  method: "get",
  path: "/v1/me/likes",
  tags,
  summary: "The tracks I like",
  description:
    "Most recently liked first, by cursor (`next_cursor`, null on the last page). Tracks you can no longer see (deleted, made private by their creator, creator banned) are left out. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { query: LikeListQuerySchema },
  responses: { 200: json("A page of liked tracks", LikeListSchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});

export const likesContainRoute = createRoute({
  method: "get",
  path: "/v1/me/likes/contains",
  tags,
  summary: "Whether I like each of these tracks",
  description:
    "For a player's hearts: up to 50 track ids, answered in the order asked. A track you cannot see (or an id of no track) answers false. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { query: LikesContainQuerySchema },
  responses: { 200: json("One answer per id", LikesContainSchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});
