import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { jsonDoc, problemDoc } from "../../lib/problem";
import { rateLimit } from "../../lib/rate-limit";
import { FollowListQuerySchema, FollowListSchema, FollowStateSchema, IsFollowingSchema, UsernameParamSchema } from "./schemas";
import { signedIn as security } from "../../lib/openapi";

const tags = ["Follows"];
const problems = {
  401: problemDoc("The access token sent is invalid, expired or revoked, or none was sent"),
  403: problemDoc("The account is banned, or a block stands between you and this user"),
  404: problemDoc("No profile you may see has this username"),
  422: problemDoc("The request is not valid (or names yourself); `errors` lists each field"),
  429: problemDoc("Too many of these in a minute: wait (Retry-After) and try again"),
} as const;
const writeResponses = { 200: jsonDoc("Whether you follow the user, and their followers", FollowStateSchema), 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422], 429: problems[429] };
const listResponses = { 200: jsonDoc("A page of users", FollowListSchema), 404: problems[404], 422: problems[422] };

export const followUserRoute = createRoute({
  method: "put",
  path: "/v1/users/{username}/follow",
  tags,
  summary: "Follow a user",
  description:
    "Idempotent: following someone you follow changes nothing. Banned and deleted accounts, and others' private profiles, are 404; yourself is 422; a block either way is 403. One database round trip.",
  security,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "follows")] as const,
  request: { params: UsernameParamSchema },
  responses: writeResponses,
});

export const unfollowUserRoute = createRoute({
  method: "delete",
  path: "/v1/users/{username}/follow",
  tags,
  summary: "Stop following a user",
  description: "Idempotent: unfollowing someone you do not follow changes nothing. Anyone you follow can be unfollowed, even if since banned or made private. One database round trip.",
  security,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "follows")] as const,
  request: { params: UsernameParamSchema },
  responses: writeResponses,
});

const LIST =
  "Anyone may read it. Newest follow first, by cursor (`next_cursor`, null on the last page). A private profile's lists are 404 to anyone but its owner, as the profile is. Banned, deleted and private users, and users with a block either way between them and you, are left out (the counters still count them). `followed_by_me` only when signed in. One database round trip.";

export const listFollowersRoute = createRoute({
  method: "get",
  path: "/v1/users/{username}/followers",
  tags,
  summary: "Who follows a user",
  description: LIST,
  request: { params: UsernameParamSchema, query: FollowListQuerySchema },
  responses: listResponses,
});

export const listFollowingRoute = createRoute({
  method: "get",
  path: "/v1/users/{username}/following",
  tags,
  summary: "Whom a user follows",
  description: LIST,
  request: { params: UsernameParamSchema, query: FollowListQuerySchema },
  responses: listResponses,
});

export const isFollowingRoute = createRoute({
  method: "get",
  path: "/v1/me/following/{username}",
  tags,
  summary: "Whether I follow a user",
  description: "For a profile's follow button. A name of no live user, or of a banned one, answers false. One database round trip.",
  security,
  middleware: [requireAuth()] as const,
  request: { params: UsernameParamSchema },
  responses: { 200: jsonDoc("Whether you follow them", IsFollowingSchema), 401: problems[401], 403: problemDoc("The account is banned"), 422: problems[422] },
});
