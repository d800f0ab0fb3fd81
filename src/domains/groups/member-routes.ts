import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { rateLimit } from "../../lib/rate-limit";
import { common, json, jsonBody, optionalBearer, problems, signedIn } from "./responses";
import { tags } from "./routes";
import {
  GroupMemberParamSchema,
  GroupSlugParamSchema,
  JoinResultSchema,
  ListQuerySchema,
  MemberListSchema,
  MemberSchema,
  SetRoleSchema,
  TransferResultSchema,
  TransferSchema,
} from "./schemas";

const MODERATION = "Moderators, admins and the owner, on members strictly below their own role (403 otherwise); the owner is above everyone.";
const STAFF = "Moderators, admins and the owner; anyone else gets 403.";

export const joinGroupRoute = createRoute({
  method: "post",
  path: "/v1/groups/{slug}/join",
  tags,
  summary: "Join a group, or ask to",
  description:
    "A public group without approval: you are a member at once. A private group, or one that requires approval: a pending request for its moderators. Banned from the group: 403. Idempotent: a member or pending request stays as it is (`joined: false`). One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "group-joins")] as const,
  request: { params: GroupSlugParamSchema },
  responses: { 200: json("Your membership or request", JoinResultSchema), ...common, 409: problems[409], 429: problems[429] },
});

export const leaveGroupRoute = createRoute({
  method: "delete",
  path: "/v1/groups/{slug}/membership",
  tags,
  summary: "Leave a group, or withdraw your request",
  description: "The owner cannot leave (409): transfer the group first. Not a member: nothing changes. Banned: 403 (a ban is lifted by the group's moderators). One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: GroupSlugParamSchema },
  responses: { 204: { description: "You are not a member (any more)" }, ...common, 409: problems[409] },
});

export const transferGroupRoute = createRoute({
  method: "post",
  path: "/v1/groups/{slug}/transfer",
  tags,
  summary: "Hand a group over to another member",
  description: "The owner only. The target must be an active member (404 otherwise); they become the owner and you an admin. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: GroupSlugParamSchema, body: jsonBody(TransferSchema) },
  responses: { 200: json("The new owner and you", TransferResultSchema), ...common, 409: problems[409] },
});

export const listMembersRoute = createRoute({
  method: "get",
  path: "/v1/groups/{slug}/members",
  tags,
  summary: "A group's members",
  description:
    "A public group's to anyone, a private group's to its members only (403 to others); banned from the group: 403. Owner first, then admins, moderators and members, each by join time. Banned and deleted accounts, private profiles and people with a block either way with you are left out (`member_count` still counts them). By cursor, `limit` ≤ 100. One database round trip.",
  security: optionalBearer,
  request: { params: GroupSlugParamSchema, query: ListQuerySchema },
  responses: { 200: json("A page of members", MemberListSchema), ...common },
});

export const listRequestsRoute = createRoute({
  method: "get",
  path: "/v1/groups/{slug}/requests",
  tags,
  summary: "Pending join requests",
  description: `${STAFF} Oldest first; banned and deleted accounts and people with a block either way with you are left out. By cursor, \`limit\` ≤ 100. One database round trip.`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: GroupSlugParamSchema, query: ListQuerySchema },
  responses: { 200: json("A page of requests", MemberListSchema), ...common },
});

export const approveRequestRoute = createRoute({
  method: "post",
  path: "/v1/groups/{slug}/requests/{username}/approve",
  tags,
  summary: "Approve a join request",
  description: `${STAFF} No pending request from this user: 404. The requester gets a notification. One database round trip.`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: GroupMemberParamSchema },
  responses: { 200: json("The new member", MemberSchema), ...common, 409: problems[409] },
});

export const rejectRequestRoute = createRoute({
  method: "post",
  path: "/v1/groups/{slug}/requests/{username}/reject",
  tags,
  summary: "Reject a join request",
  description: `${STAFF} The request is removed (they may ask again; ban them to keep them out). No pending request: 404. One database round trip.`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: GroupMemberParamSchema },
  responses: { 204: { description: "Rejected" }, ...common, 409: problems[409] },
});

export const setRoleRoute = createRoute({
  method: "patch",
  path: "/v1/groups/{slug}/members/{username}",
  tags,
  summary: "Change a member's role",
  description:
    "The owner sets anyone else admin, moderator or member; an admin sets moderators and members to moderator or member. Anyone else: 403. Ownership moves only with /transfer. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: GroupMemberParamSchema, body: jsonBody(SetRoleSchema) },
  responses: { 200: json("The member", MemberSchema), ...common, 409: problems[409] },
});

export const kickMemberRoute = createRoute({
  method: "delete",
  path: "/v1/groups/{slug}/members/{username}",
  tags,
  summary: "Remove a member (kick)",
  description: `They may join again (ban them to keep them out). ${MODERATION} Not an active member: 404. One database round trip.`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: GroupMemberParamSchema },
  responses: { 204: { description: "Removed" }, ...common, 409: problems[409] },
});

export const banMemberRoute = createRoute({
  method: "post",
  path: "/v1/groups/{slug}/bans/{username}",
  tags,
  summary: "Ban a user from a group",
  description: `A member, a pending request or someone not in the group: they cannot join until unbanned, and lose their role. ${MODERATION} Idempotent. One database round trip.`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: GroupMemberParamSchema },
  responses: { 200: json("The ban", MemberSchema), ...common, 409: problems[409] },
});

export const unbanMemberRoute = createRoute({
  method: "delete",
  path: "/v1/groups/{slug}/bans/{username}",
  tags,
  summary: "Lift a ban",
  description: `${STAFF} They may join again like anyone (they are not made a member). No ban: 404. One database round trip.`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: GroupMemberParamSchema },
  responses: { 204: { description: "Unbanned" }, ...common, 409: problems[409] },
});
