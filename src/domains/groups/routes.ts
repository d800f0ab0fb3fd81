import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { rateLimit } from "../../lib/rate-limit";
import { common, json, jsonBody, optionalBearer, problem416, problems, signedIn } from "./responses";
import { bytes } from "../tracks/responses";
import type { ImageKind } from "./images";
import {
  CreateGroupSchema,
  DiscoverQuerySchema,
  GroupImageParamSchema,
  GroupListSchema,
  GroupSchema,
  GroupSlugParamSchema,
  MyGroupsQuerySchema,
  UpdateGroupSchema,
} from "./schemas";

export const tags = ["Groups"];

export const VISIBILITY =
  "A live group's page is visible to anyone with its slug, private groups included (so people can ask to join); deleted groups, and groups whose owner's account is banned or deleted, are 404.";

export const createGroupRoute = createRoute({
  method: "post",
  path: "/v1/groups",
  tags,
  summary: "Create a group",
  description:
    "Any signed-in user; they become its owner. An avatar or banner must be one of your image files (422 otherwise). Without a `slug`, one is derived from the name (a suffix is added when that one is taken); a `slug` given and taken is 409. At most a few a minute (429). One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "groups")] as const,
  request: { body: jsonBody(CreateGroupSchema) },
  responses: { 201: json("The new group", GroupSchema), 401: problems[401], 403: problems[403], 409: problems[409], 422: problems[422], 429: problems[429] },
});

export const discoverGroupsRoute = createRoute({
  method: "get",
  path: "/v1/groups",
  tags,
  summary: "Discover public groups",
  description:
    "Public groups, newest first (no ranking by popularity or activity); `q` filters on the name. Private groups are never listed, nor groups you are banned from. By cursor (`next_cursor`, null on the last page), `limit` ≤ 100. One database round trip.",
  security: optionalBearer,
  request: { query: DiscoverQuerySchema },
  responses: { 200: json("A page of groups", GroupListSchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});

export const myGroupsRoute = createRoute({
  method: "get",
  path: "/v1/me/groups",
  tags,
  summary: "Your groups, with your role",
  description: "Groups you are a member of (or, with `status=pending`, have asked to join), latest joined first. By cursor, `limit` ≤ 100. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { query: MyGroupsQuerySchema },
  responses: { 200: json("A page of your groups", GroupListSchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});

export const getGroupRoute = createRoute({
  method: "get",
  path: "/v1/groups/{slug}",
  tags,
  summary: "A group's page",
  description: `${VISIBILITY} With your membership, request or ban (\`my_membership\`). One database round trip.`,
  security: optionalBearer,
  request: { params: GroupSlugParamSchema },
  responses: { 200: json("The group", GroupSchema), ...common },
});

export const updateGroupRoute = createRoute({
  method: "patch",
  path: "/v1/groups/{slug}",
  tags,
  summary: "Change a group",
  description:
    "The owner and admins; other members and non-members get 403. A new avatar or banner must be one of your image files (null removes it). The slug does not change. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: GroupSlugParamSchema, body: jsonBody(UpdateGroupSchema) },
  responses: { 200: json("The group as changed", GroupSchema), ...common, 409: problems[409] },
});

export const deleteGroupRoute = createRoute({
  method: "delete",
  path: "/v1/groups/{slug}",
  tags,
  summary: "Delete a group (its owner)",
  description: "A soft delete: 404 everywhere at once; its slug stays taken. Anyone else gets 403. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: GroupSlugParamSchema },
  responses: { 204: { description: "Deleted" }, ...common },
});

const imageRoute = (kind: ImageKind) =>
  createRoute({
    method: "get",
    path: `/v1/groups/{slug}/${kind}/{fileId}`,
    tags,
    summary: `A group's ${kind} image`,
    description: `The group's \`${kind}_url\`. Anyone (a group's page is public): cached publicly, immutable; an image the group no longer uses is 404. ${VISIBILITY} One database round trip.`,
    request: { params: GroupImageParamSchema },
    responses: { 200: bytes("The image", "image/png", "image/jpeg", "image/webp"), 404: problems[404], 416: problem416, 422: problems[422] },
  });
export const groupAvatarRoute = imageRoute("avatar");
export const groupBannerRoute = imageRoute("banner");
