import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { rateLimit } from "../../lib/rate-limit";
import { common, json, jsonBody, optionalBearer, problems, signedIn } from "./responses";
import {
  CreateRoomSchema,
  DiscoverQuerySchema,
  ListQuerySchema,
  MyRoomListSchema,
  RoomByCodeSchema,
  RoomCodeParamSchema,
  RoomIdParamSchema,
  RoomListSchema,
  RoomSchema,
  UpdateRoomSchema,
} from "./schemas";

export const tags = ["Rooms"];

export const VISIBILITY_RULES =
  "Public rooms are visible to anyone; private ones to their members only: anyone else gets 404, as for a room that does not exist (deleted rooms are 404 to everyone). A member banned from the room gets 403.";
const MANAGE = "The room's owner and admins; other members get 403.";
const TOLD = "The room's live connections are told (a 503 means the change is saved but they were not: repeat the request).";

export const createRoomRoute = createRoute({
  method: "post",
  path: "/v1/rooms",
  tags,
  summary: "Create a chat room",
  description:
    "Any signed-in user; they become its owner. A shareable `room_code` is generated. A password (optional) is stored as a bcrypt hash and never returned (`has_password`). A taken slug is 409. One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "rooms")] as const,
  request: { body: jsonBody(CreateRoomSchema) },
  responses: { 201: json("The new room", RoomSchema), 401: problems[401], 403: problems[403], 409: problems[409], 422: problems[422], 429: problems[429] },
});

export const discoverRoomsRoute = createRoute({
  method: "get",
  path: "/v1/rooms",
  tags,
  summary: "Discover public rooms",
  description:
    "Public rooms that are not archived, most recently active first (rooms without messages last); `q` filters on the name. By cursor (`next_cursor`, null on the last page), `limit` ≤ 100. One database round trip.",
  security: optionalBearer,
  request: { query: DiscoverQuerySchema },
  responses: { 200: json("A page of rooms", RoomListSchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});

export const myRoomsRoute = createRoute({
  method: "get",
  path: "/v1/me/rooms",
  tags,
  summary: "Your rooms, with their last message and your unread count",
  description:
    "Rooms you are a member of, most recently active first, each with its last message and how many messages after your read marker (`PUT /v1/rooms/{id}/read`) others sent. By cursor, `limit` ≤ 100. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { query: ListQuerySchema },
  responses: { 200: json("A page of your rooms", MyRoomListSchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});

export const getRoomRoute = createRoute({
  method: "get",
  path: "/v1/rooms/{id}",
  tags,
  summary: "A room",
  description: `${VISIBILITY_RULES} With your membership when you are a member. One database round trip.`,
  security: optionalBearer,
  request: { params: RoomIdParamSchema },
  responses: { 200: json("The room", RoomSchema), ...common },
});

export const roomByCodeRoute = createRoute({
  method: "get",
  path: "/v1/rooms/by-code/{code}",
  tags,
  summary: "The room a shareable code opens",
  description:
    "A room code is an invitation link: it resolves private rooms too, but only to what one needs to decide to join (then `POST /v1/rooms/{id}/join` with the code). Case-insensitive. One database round trip.",
  security: optionalBearer,
  request: { params: RoomCodeParamSchema },
  responses: { 200: json("The room to join", RoomByCodeSchema), 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
});

export const updateRoomRoute = createRoute({
  method: "patch",
  path: "/v1/rooms/{id}",
  tags,
  summary: "Change a room's settings",
  description: `${MANAGE} \`password: null\` removes the password; a max_members below the current member count is 409. ${TOLD} One database round trip.`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: RoomIdParamSchema, body: jsonBody(UpdateRoomSchema) },
  responses: { 200: json("The room as changed", RoomSchema), ...common, 409: problems[409], 503: problems[503] },
});

const archiveRoute = (archived: boolean) =>
  createRoute({
    method: "post",
    path: `/v1/rooms/{id}/${archived ? "archive" : "unarchive"}`,
    tags,
    summary: archived ? "Archive a room (read-only)" : "Bring an archived room back",
    description: `${MANAGE} ${archived ? "An archived room keeps its messages but takes no new members or messages." : ""} Idempotent. ${TOLD} One database round trip.`,
    security: signedIn,
    middleware: [requireAuth()] as const,
    request: { params: RoomIdParamSchema },
    responses: { 200: json("The room", RoomSchema), ...common, 503: problems[503] },
  });
export const archiveRoomRoute = archiveRoute(true);
export const unarchiveRoomRoute = archiveRoute(false);

export const deleteRoomRoute = createRoute({
  method: "delete",
  path: "/v1/rooms/{id}",
  tags,
  summary: "Delete a room (its owner)",
  description: `A soft delete: 404 everywhere at once, and every live connection is closed. Other members get 403. ${TOLD} One database round trip.`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: RoomIdParamSchema },
  responses: { 204: { description: "Deleted" }, ...common, 503: problems[503] },
});
