import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { rateLimit } from "../../lib/rate-limit";
import { json, jsonBody, optionalBearer, problems, signedIn } from "./responses";
import { VISIBILITY_RULES } from "./routes";
import {
  ChangePermissionSchema,
  CollaboratorListSchema,
  CollaboratorParamSchema,
  CollaboratorSchema,
  FollowSchema,
  InvitationListSchema,
  InvitationParamSchema,
  InviteSchema,
  ListQuerySchema,
  PlaylistIdParamSchema,
  PlaylistListSchema,
  UsernameParamSchema,
} from "./schemas";

const tags = ["Playlists"];
const common = { 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] };
const PAGED = "By cursor (`next_cursor`, null on the last page), `limit` ≤ 100.";

export const listUserPlaylistsRoute = createRoute({
  method: "get",
  path: "/v1/users/{username}/playlists",
  tags,
  summary: "A user's playlists",
  description: `Newest first. ${PAGED} The owner sees all theirs; everyone else the public ones (unlisted ones are never listed). A deleted or banned account, or a private profile, is 404 to others. One database round trip.`,
  security: optionalBearer,
  request: { params: UsernameParamSchema, query: ListQuerySchema },
  responses: { 200: json("A page of playlists", PlaylistListSchema), ...common },
});

export const listMyPlaylistsRoute = createRoute({
  method: "get",
  path: "/v1/me/playlists",
  tags,
  summary: "Your playlists and those you collaborate on",
  description: `Newest first, each with your role (\`my_role\`). ${PAGED} One database round trip.`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { query: ListQuerySchema },
  responses: { 200: json("A page of playlists", PlaylistListSchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});

export const listFollowedPlaylistsRoute = createRoute({
  method: "get",
  path: "/v1/me/followed-playlists",
  tags,
  summary: "Playlists you follow",
  description: `Most recently followed first; playlists you can no longer see are left out. ${PAGED} One database round trip.`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { query: ListQuerySchema },
  responses: { 200: json("A page of playlists", PlaylistListSchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});

const followRoute = (method: "put" | "delete") =>
  createRoute({
    method,
    path: "/v1/playlists/{id}/follow",
    tags,
    summary: method === "put" ? "Follow a playlist" : "Stop following a playlist",
    description: `Idempotent. ${method === "put" ? "Following your own playlist is refused (409). " : ""}${VISIBILITY_RULES} One database round trip.`,
    security: signedIn,
    middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "follows")] as const,
    request: { params: PlaylistIdParamSchema },
    responses: { 200: json("Whether you follow it, and its follower count", FollowSchema), ...common, 409: problems[409], 429: problems[429] },
  });
export const followPlaylistRoute = followRoute("put");
export const unfollowPlaylistRoute = followRoute("delete");

export const listCollaboratorsRoute = createRoute({
  method: "get",
  path: "/v1/playlists/{id}/collaborators",
  tags,
  summary: "A playlist's collaborators",
  description: `Members only (the owner and accepted collaborators; others who can see the playlist get 403). The owner and admins also see pending and declined invitations. ${VISIBILITY_RULES} One database round trip.`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: PlaylistIdParamSchema },
  responses: { 200: json("The collaborators", CollaboratorListSchema), ...common },
});

export const inviteCollaboratorRoute = createRoute({
  method: "post",
  path: "/v1/playlists/{id}/collaborators",
  tags,
  summary: "Invite a collaborator",
  description:
    "The owner or an admin collaborator invites a user by username, as view (may see a private playlist), edit (may add, remove and reorder tracks) or admin (edit + manage collaborators + name, description and cover). The invitation can be accepted until it expires (default 7 days, at most 30). Inviting with edit or admin makes the playlist collaborative. Inviting someone who declined sends a new invitation; an accepted collaborator is 409. One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "invitations")] as const,
  request: { params: PlaylistIdParamSchema, body: jsonBody(InviteSchema) },
  responses: { 201: json("The invitation", CollaboratorSchema), ...common, 409: problems[409], 429: problems[429] },
});

export const changePermissionRoute = createRoute({
  method: "patch",
  path: "/v1/playlists/{id}/collaborators/{userId}",
  tags,
  summary: "Change a collaborator's permission",
  description: "The owner or an admin collaborator. Promoting to edit or admin makes the playlist collaborative. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: CollaboratorParamSchema, body: jsonBody(ChangePermissionSchema) },
  responses: { 200: json("The collaborator", CollaboratorSchema), ...common },
});

export const removeCollaboratorRoute = createRoute({
  method: "delete",
  path: "/v1/playlists/{id}/collaborators/{userId}",
  tags,
  summary: "Remove a collaborator, withdraw an invitation, or leave",
  description: "The owner or an admin collaborator removes anyone; any collaborator removes themselves (leaves). One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: CollaboratorParamSchema },
  responses: { 204: { description: "Removed" }, ...common },
});

export const listInvitationsRoute = createRoute({
  method: "get",
  path: "/v1/me/playlist-invitations",
  tags,
  summary: "Your pending playlist invitations",
  description: `Unexpired ones, newest first, with the playlist's name and owner. ${PAGED} One database round trip.`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { query: ListQuerySchema },
  responses: { 200: json("A page of invitations", InvitationListSchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});

const respondRoute = (answer: "accept" | "decline") =>
  createRoute({
    method: "post",
    path: `/v1/me/playlist-invitations/{playlistId}/${answer}`,
    tags,
    summary: answer === "accept" ? "Accept a playlist invitation" : "Decline a playlist invitation",
    description:
      answer === "accept"
        ? "Makes you a collaborator with the invited permission. An expired invitation is 410; accepting twice answers the same. One database round trip."
        : "The owner may invite you again later. Declining after accepting is 409 (leave instead). One database round trip.",
    security: signedIn,
    middleware: [requireAuth()] as const,
    request: { params: InvitationParamSchema },
    responses: { 200: json("You as a collaborator", CollaboratorSchema), ...common, 409: problems[409], 410: problems[410] },
  });
export const acceptInvitationRoute = respondRoute("accept");
export const declineInvitationRoute = respondRoute("decline");
