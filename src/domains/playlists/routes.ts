import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { rateLimit } from "../../lib/rate-limit";
import { bytes } from "../tracks/responses";
import { SignedQuerySchema } from "../tracks/schemas";
import { json, jsonBody, optionalBearer, problems, signedIn } from "./responses";
import {
  AddTrackSchema,
  CreatePlaylistSchema,
  DuplicatePlaylistSchema,
  MAX_PLAYLIST_TRACKS,
  MoveTrackSchema,
  PlaylistCoverParamSchema,
  PlaylistIdParamSchema,
  PlaylistPositionSchema,
  PlaylistSchema,
  PlaylistTrackParamSchema,
  PlaylistTracksQuerySchema,
  PlaylistWithTracksSchema,
  UpdatePlaylistSchema,
} from "./schemas";

const tags = ["Playlists"];
const common = { 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] };

export const VISIBILITY_RULES =
  "Public and unlisted playlists are visible to anyone; private ones to their owner and accepted collaborators only (not pending invitees); anyone else gets 404, as for a playlist that does not exist. Deleted playlists, and those of deleted or banned accounts, are 404.";

const EDIT_RULES = `The owner, or an accepted edit/admin collaborator while the playlist is collaborative; view collaborators and others who can see it get 403. Edits of one playlist are serialised (a row lock, then one statement, in one transaction): positions stay 0..n-1 under concurrent edits. One database round trip.`;

export const createPlaylistRoute = createRoute({
  method: "post",
  path: "/v1/playlists",
  tags,
  summary: "Create a playlist",
  description: "Any signed-in user. The cover, if any, must be one of your image files (from /v1/uploads). One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "playlists")] as const,
  request: { body: jsonBody(CreatePlaylistSchema) },
  responses: { 201: json("The new playlist", PlaylistSchema), 401: problems[401], 403: problems[403], 422: problems[422], 429: problems[429] },
});

export const getPlaylistRoute = createRoute({
  method: "get",
  path: "/v1/playlists/{id}",
  tags,
  summary: "A playlist with a page of its tracks",
  description: `${VISIBILITY_RULES} Tracks are paged by position (\`offset\`, \`limit\` ≤ 500); tracks you may not see (another's private track, deleted ones, those of banned creators) are left out, the others keep their positions. A private playlist's cover URL is signed. One database round trip.`,
  security: optionalBearer,
  request: { params: PlaylistIdParamSchema, query: PlaylistTracksQuerySchema },
  responses: { 200: json("The playlist", PlaylistWithTracksSchema), ...common },
});

export const updatePlaylistRoute = createRoute({
  method: "patch",
  path: "/v1/playlists/{id}",
  tags,
  summary: "Change a playlist",
  description:
    "Name, description and cover (one of your image files, or null): the owner or an admin collaborator. Visibility and is_collaborative: the owner only. A private playlist is 404 to non-members; others get 403. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: PlaylistIdParamSchema, body: jsonBody(UpdatePlaylistSchema) },
  responses: { 200: json("The playlist as changed", PlaylistSchema), ...common },
});

export const deletePlaylistRoute = createRoute({
  method: "delete",
  path: "/v1/playlists/{id}",
  tags,
  summary: "Delete a playlist (its owner)",
  description: "A soft delete: 404 everywhere at once. Collaborators and others who can see it get 403. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: PlaylistIdParamSchema },
  responses: { 204: { description: "Deleted" }, ...common },
});

export const duplicatePlaylistRoute = createRoute({
  method: "post",
  path: "/v1/playlists/{id}/duplicate",
  tags,
  summary: "Copy a playlist into a new one of yours",
  description: `Any playlist you can see. The copy (default name "<name> (copy)", default private) has the tracks you may see, in order, renumbered from 0; not the cover. ${VISIBILITY_RULES} One database round trip.`,
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "playlists")] as const,
  request: { params: PlaylistIdParamSchema, body: jsonBody(DuplicatePlaylistSchema) },
  responses: { 201: json("The copy", PlaylistSchema), ...common, 429: problems[429] },
});

export const addTrackRoute = createRoute({
  method: "post",
  path: "/v1/playlists/{id}/tracks",
  tags,
  summary: "Add a track to a playlist",
  description: `Appended, or inserted at \`position\` (the tracks from there on move down one). The track must be one you can see (422 otherwise); a track is in a playlist once (409 again); at most ${MAX_PLAYLIST_TRACKS} tracks (409). ${EDIT_RULES}`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: PlaylistIdParamSchema, body: jsonBody(AddTrackSchema) },
  responses: { 201: json("Where it went, and the playlist's new counts", PlaylistPositionSchema), ...common, 409: problems[409] },
});

export const moveTrackRoute = createRoute({
  method: "patch",
  path: "/v1/playlists/{id}/tracks/{trackId}",
  tags,
  summary: "Move a track to another position",
  description: `The tracks between the old and the new position shift by one; past the end means the end. ${EDIT_RULES}`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: PlaylistTrackParamSchema, body: jsonBody(MoveTrackSchema) },
  responses: { 200: json("Its new position", PlaylistPositionSchema), ...common, 409: problems[409] },
});

export const removeTrackRoute = createRoute({
  method: "delete",
  path: "/v1/playlists/{id}/tracks/{trackId}",
  tags,
  summary: "Remove a track from a playlist",
  description: `The tracks after it move up one. ${EDIT_RULES}`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: PlaylistTrackParamSchema },
  responses: { 204: { description: "Removed" }, ...common, 409: problems[409] },
});

export const playlistCoverRoute = createRoute({
  method: "get",
  path: "/v1/playlists/{id}/cover/{fileId}",
  tags,
  summary: "A playlist's cover image",
  description: `The playlist's \`cover_url\`. Public and unlisted playlists: anyone (cached publicly, immutable). Private ones: members, by the signed URL (\`exp\`, \`sig\`) the playlist gave them or a bearer token. A forged or expired signature is 403. ${VISIBILITY_RULES} One database round trip.`,
  security: optionalBearer,
  request: { params: PlaylistCoverParamSchema, query: SignedQuerySchema },
  responses: { 200: bytes("The image", "image/png", "image/jpeg", "image/webp"), ...common, 416: problems[416] },
});
