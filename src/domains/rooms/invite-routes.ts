import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { rateLimit } from "../../lib/rate-limit";
import { JoinResultSchema } from "./member-routes";
import { common, json, jsonBody, problems, signedIn } from "./responses";
import { tags } from "./routes";
import { InviteListSchema, InviteSchema, InviteViewSchema, ListQuerySchema, MyInviteParamSchema, RoomIdParamSchema, RoomInviteParamSchema } from "./schemas";


export const inviteToRoomRoute = createRoute({
  method: "post",
  path: "/v1/rooms/{id}/invites",
  tags,
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "room-invites")] as const,
  summary: "Invite a user to a room",
  description:
    "Members who may invite (moderators and up, or the explicit grant). The user must exist, not be banned from the room and not be a member (409). Inviting again makes the invitation pending with a fresh 7-day expiry. Archived rooms take no invitations (409). One database round trip.",
  request: { params: RoomIdParamSchema, body: jsonBody(InviteSchema) },
  responses: { 201: json("The invitation", InviteViewSchema), ...common, 409: problems[409], 429: problems[429] },
});

export const myInvitesRoute = createRoute({
  method: "get",
  path: "/v1/me/room-invites",
  tags,
  security: signedIn,
  middleware: [requireAuth()] as const,
  summary: "Your pending room invitations",
  description: "Unexpired ones, to rooms that still exist, most recent first. By cursor, `limit` ≤ 100. One database round trip.",
  request: { query: ListQuerySchema },
  responses: { 200: json("A page of invitations", InviteListSchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});

export const acceptInviteRoute = createRoute({
  method: "post",
  path: "/v1/me/room-invites/{inviteId}/accept",
  tags,
  security: signedIn,
  middleware: [requireAuth()] as const,
  summary: "Accept a room invitation (join the room)",
  description:
    "Joins as POST /v1/rooms/{id}/join does, without the room's password (the inviter vouches for you). Expired: 410; archived or full room: 409; accepting again while a member: 200. The room's live connections are told. One database round trip.",
  request: { params: MyInviteParamSchema },
  responses: { 200: json("Your membership", JoinResultSchema), ...common, 409: problems[409], 410: problems[410], 503: problems[503] },
});

export const declineInviteRoute = createRoute({
  method: "post",
  path: "/v1/me/room-invites/{inviteId}/decline",
  tags,
  security: signedIn,
  middleware: [requireAuth()] as const,
  summary: "Decline a room invitation",
  description: "Idempotent; the room may invite you again later. One database round trip.",
  request: { params: MyInviteParamSchema },
  responses: { 204: { description: "Declined" }, ...common },
});

export const revokeInviteRoute = createRoute({
  method: "delete",
  path: "/v1/rooms/{id}/invites/{inviteId}",
  tags,
  security: signedIn,
  middleware: [requireAuth()] as const,
  summary: "Withdraw a pending invitation",
  description: "Whoever sent it (while a member), or those who manage members; other members get 403. One database round trip.",
  request: { params: RoomInviteParamSchema },
  responses: { 204: { description: "Withdrawn" }, ...common },
});
