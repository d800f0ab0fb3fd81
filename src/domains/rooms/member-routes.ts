import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { rateLimit } from "../../lib/rate-limit";
import { common, json, jsonBody, optionalBearer, problems, signedIn } from "./responses";
import { tags, VISIBILITY_RULES } from "./routes";
import {
  BanSchema,
  JoinSchema,
  MemberListSchema,
  MemberSchema,
  MembersQuerySchema,
  MembershipSchema,
  MuteSchema,
  ReadMarkerResultSchema,
  ReadMarkerSchema,
  RoomIdParamSchema,
  RoomMemberParamSchema,
  TransferResultSchema,
  TransferSchema,
  UpdateMemberSchema,
  UpdateMyMembershipSchema,
} from "./schemas";

const TOLD = "The room's live connections are told (a 503 means the change is saved but they were not: repeat the request).";
const MODERATION = "Needs the permission to manage members (moderators and up, or the explicit grant) and a role above the member's (the owner is above everyone).";

export const JoinResultSchema = z
  .object({ room_id: z.uuid(), joined: z.boolean().openapi({ description: "false when you already were a member" }), membership: MembershipSchema })
  .openapi("RoomJoin");


export const joinRoomRoute = createRoute({
  method: "post",
  path: "/v1/rooms/{id}/join",
  tags,
  security: signedIn,
  // Limited like posting: each try at a room's password costs a bcrypt comparison, and guesses must stay slow.
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "room-joins")] as const,
  summary: "Join a room",
  description: `Public rooms: anyone signed in. Private rooms: with a pending invitation, or the room's \`code\` (otherwise 404). A password-protected room needs its \`password\` (403 when missing or wrong) unless you were invited. Banned: 403; archived: 409; full: 409. Already a member: 200, nothing changes. At most 20 joins a minute (429). ${TOLD} One database round trip (two for a password).`,
  request: { params: RoomIdParamSchema, body: jsonBody(JoinSchema, false) },
  responses: { 200: json("Your membership", JoinResultSchema), ...common, 409: problems[409], 429: problems[429], 503: problems[503] },
});

export const leaveRoomRoute = createRoute({
  method: "post",
  path: "/v1/rooms/{id}/leave",
  tags,
  security: signedIn,
  middleware: [requireAuth()] as const,
  summary: "Leave a room",
  description: `You may join again later. The owner cannot leave (409): delete the room or transfer it first. Leaving a room you are not in changes nothing. ${TOLD} One database round trip.`,
  request: { params: RoomIdParamSchema },
  responses: { 204: { description: "You are not a member (any more)" }, ...common, 409: problems[409], 503: problems[503] },
});

export const transferRoomRoute = createRoute({
  method: "post",
  path: "/v1/rooms/{id}/transfer",
  tags,
  security: signedIn,
  middleware: [requireAuth()] as const,
  summary: "Hand a room over to another member",
  description: `The owner only. The member becomes the owner and you an admin. ${TOLD} One database round trip.`,
  request: { params: RoomIdParamSchema, body: jsonBody(TransferSchema) },
  responses: { 200: json("The new owner and you", TransferResultSchema), ...common, 503: problems[503] },
});

export const markReadRoute = createRoute({
  method: "put",
  path: "/v1/rooms/{id}/read",
  tags,
  security: signedIn,
  middleware: [requireAuth()] as const,
  summary: "Move your read marker",
  description: "Members only. The marker only moves forward: an older `seq` leaves it where it is. One database round trip.",
  request: { params: RoomIdParamSchema, body: jsonBody(ReadMarkerSchema) },
  responses: { 200: json("Your read marker", ReadMarkerResultSchema), ...common },
});

export const updateMyMembershipRoute = createRoute({
  method: "patch",
  path: "/v1/rooms/{id}/members/me",
  tags,
  security: signedIn,
  middleware: [requireAuth()] as const,
  summary: "Your nickname and notifications in a room",
  description: `Members only. \`nickname: null\` goes back to your username. ${TOLD} One database round trip.`,
  request: { params: RoomIdParamSchema, body: jsonBody(UpdateMyMembershipSchema) },
  responses: { 200: json("Your membership", MembershipSchema), ...common, 503: problems[503] },
});

export const listMembersRoute = createRoute({
  method: "get",
  path: "/v1/rooms/{id}/members",
  tags,
  summary: "A room's members",
  description: `${VISIBILITY_RULES} Oldest members first; \`banned=true\` lists the banned instead, to those who manage members only (403 otherwise). By cursor, \`limit\` ≤ 100. One database round trip.`,
  security: optionalBearer,
  request: { params: RoomIdParamSchema, query: MembersQuerySchema },
  responses: { 200: json("A page of members", MemberListSchema), ...common },
});

export const updateMemberRoute = createRoute({
  method: "patch",
  path: "/v1/rooms/{id}/members/{userId}",
  tags,
  security: signedIn,
  middleware: [requireAuth()] as const,
  summary: "Change a member's role or permissions",
  description: `The owner changes anyone; admins change moderators and members, and grant only roles below their own. Ownership moves with /transfer. ${TOLD} One database round trip.`,
  request: { params: RoomMemberParamSchema, body: jsonBody(UpdateMemberSchema) },
  responses: { 200: json("The member", MemberSchema), ...common, 503: problems[503] },
});

export const muteMemberRoute = createRoute({
  method: "post",
  path: "/v1/rooms/{id}/members/{userId}/mute",
  tags,
  security: signedIn,
  middleware: [requireAuth()] as const,
  summary: "Mute a member",
  description: `For \`minutes\`, or until unmuted. ${MODERATION} ${TOLD} One database round trip.`,
  request: { params: RoomMemberParamSchema, body: jsonBody(MuteSchema, false) },
  responses: { 200: json("The member", MemberSchema), ...common, 503: problems[503] },
});

export const unmuteMemberRoute = createRoute({
  method: "post",
  path: "/v1/rooms/{id}/members/{userId}/unmute",
  tags,
  security: signedIn,
  middleware: [requireAuth()] as const,
  summary: "Unmute a member",
  description: `${MODERATION} ${TOLD} One database round trip.`,
  request: { params: RoomMemberParamSchema },
  responses: { 200: json("The member", MemberSchema), ...common, 503: problems[503] },
});

export const kickMemberRoute = createRoute({
  method: "delete",
  path: "/v1/rooms/{id}/members/{userId}",
  tags,
  security: signedIn,
  middleware: [requireAuth()] as const,
  summary: "Remove a member (kick)",
  description: `They may join again (ban them to keep them out). ${MODERATION} ${TOLD} One database round trip.`,
  request: { params: RoomMemberParamSchema },
  responses: { 204: { description: "Removed" }, ...common, 503: problems[503] },
});

export const banMemberRoute = createRoute({
  method: "post",
  path: "/v1/rooms/{id}/members/{userId}/ban",
  tags,
  security: signedIn,
  middleware: [requireAuth()] as const,
  summary: "Ban a user from a room",
  description: `A member or not: a banned user cannot join until unbanned; their role and grants are dropped and a pending invitation revoked. ${MODERATION} ${TOLD} One database round trip.`,
  request: { params: RoomMemberParamSchema, body: jsonBody(BanSchema, false) },
  responses: { 200: json("The ban", MemberSchema), ...common, 503: problems[503] },
});

export const unbanMemberRoute = createRoute({
  method: "delete",
  path: "/v1/rooms/{id}/bans/{userId}",
  tags,
  security: signedIn,
  middleware: [requireAuth()] as const,
  summary: "Lift a ban",
  description: `They may join again like anyone (they are not made a member). ${MODERATION} One database round trip.`,
  request: { params: RoomMemberParamSchema },
  responses: { 204: { description: "Unbanned" }, ...common },
});
