import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { problems, stateDoc } from "./responses";
import {
  AddQueueItemsSchema,
  ItemIdParamSchema,
  MoveQueueItemSchema,
  PlaySchema,
  QueueSettingsSchema,
  ReplaceQueueSchema,
  SeekSchema,
  SocketQuerySchema,
  TransportSchema,
  VersionQuerySchema,
} from "./schemas";
import { signedIn as security, jsonBody } from "../../lib/openapi";

const tags = ["Queue"];
const OWN = "Your own queue only (the user comes from the access token; nothing names another user's queue).";
const BROADCAST = "The change is broadcast to every WebSocket of yours. At most one database round trip (the token's check, usually cached at the edge).";
const LIST_EDIT = "A list edit: `version` is required; any other version than the current one is refused with 409 and the current `state`, and nothing changes.";

export const queueSocketRoute = createRoute({
  method: "get",
  path: "/v1/me/queue/ws",
  tags,
  summary: "The live queue over WebSocket (protocol veza.queue.v1)",
  description: `${OWN} Authenticate with \`Authorization: Bearer <token>\`, or (browsers) \`Sec-WebSocket-Protocol: veza.queue.v1, bearer.<token>\`; the server selects \`veza.queue.v1\`. On connect the server sends \`{type:"state"}\`; each operation (\`add\`, \`remove\`, \`move\`, \`clear\`, \`replace\`, \`play\`, \`pause\`, \`seek\`, \`next\`, \`previous\`, \`ended\`, \`shuffle\`, \`repeat\`, \`volume\`) carries a \`request_id\` and is answered \`ack\` (then a \`state\` or \`playback\` broadcast to all your devices), \`rejected\` (stale version, with the state) or \`error\`. Frames ≤ 64 KiB, 20 operations/s (bursts of 40) per socket. See durable-objects/playback-queue/protocol.ts.`,
  security,
  request: { query: SocketQuerySchema },
  responses: { 101: { description: "Switching protocols" }, 400: problems[400], 401: problems[401], 403: problems[403], 422: problems[422], 426: problems[426], 503: problems[503] },
});

export const getQueueRoute = createRoute({
  method: "get",
  path: "/v1/me/queue",
  tags,
  summary: "Your queue",
  description: `${OWN} Served by your PlaybackQueue (no database round trip, except the first time it is loaded from Postgres).`,
  security,
  middleware: [requireAuth()] as const,
  responses: { 200: stateDoc("The queue"), 401: problems[401], 403: problems[403], 503: problems[503] },
});

export const replaceQueueRoute = createRoute({
  method: "put",
  path: "/v1/me/queue",
  tags,
  summary: "Replace your queue: the list, the current item and settings",
  description: `${OWN} ${LIST_EDIT} Every track must be ready and visible to you (422 lists the others). One database round trip for the tracks, plus the token's check. ${BROADCAST}`,
  security,
  middleware: [requireAuth()] as const,
  request: { body: jsonBody(ReplaceQueueSchema) },
  responses: { 200: stateDoc("The new state"), 401: problems[401], 403: problems[403], 409: problems[409], 422: problems[422], 503: problems[503] },
});

export const addQueueItemsRoute = createRoute({
  method: "post",
  path: "/v1/me/queue/items",
  tags,
  summary: "Add tracks to your queue",
  description: `${OWN} ${LIST_EDIT} At the end, at \`position\`, or \`"next"\` (after the current item). Every track must be ready and visible to you (422 lists the others); a queue holds at most 1 000 items (422). One database round trip for the tracks, plus the token's check. ${BROADCAST}`,
  security,
  middleware: [requireAuth()] as const,
  request: { body: jsonBody(AddQueueItemsSchema) },
  responses: { 200: stateDoc("The new state"), 401: problems[401], 403: problems[403], 409: problems[409], 422: problems[422], 503: problems[503] },
});

export const clearQueueRoute = createRoute({
  method: "delete",
  path: "/v1/me/queue/items",
  tags,
  summary: "Empty your queue",
  description: `${OWN} ${LIST_EDIT} ${BROADCAST}`,
  security,
  middleware: [requireAuth()] as const,
  request: { query: VersionQuerySchema },
  responses: { 200: stateDoc("The new state"), 401: problems[401], 403: problems[403], 409: problems[409], 422: problems[422] },
});

export const removeQueueItemRoute = createRoute({
  method: "delete",
  path: "/v1/me/queue/items/{itemId}",
  tags,
  summary: "Remove an item from your queue",
  description: `${OWN} ${LIST_EDIT} Removing the current item moves to the next one. ${BROADCAST}`,
  security,
  middleware: [requireAuth()] as const,
  request: { params: ItemIdParamSchema, query: VersionQuerySchema },
  responses: { 200: stateDoc("The new state"), 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409], 422: problems[422] },
});

export const moveQueueItemRoute = createRoute({
  method: "patch",
  path: "/v1/me/queue/items/{itemId}",
  tags,
  summary: "Move an item of your queue",
  description: `${OWN} ${LIST_EDIT} \`position\` is the item's new 0-based index in play order. ${BROADCAST}`,
  security,
  middleware: [requireAuth()] as const,
  request: { params: ItemIdParamSchema, body: jsonBody(MoveQueueItemSchema) },
  responses: { 200: stateDoc("The new state"), 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409], 422: problems[422] },
});

const TRANSPORT = {
  play: "Play: the given item from its start, or resume the current one (the first available item when there is none); 409 when there is nothing to play.",
  pause: "Pause at the current position.",
  next: "Skip to the next available item; at the end it wraps with repeat `queue`, else playback stops on the last item.",
  previous: "Within the first 3 seconds, go to the previous item (wrapping with repeat `queue`); later, restart the current one.",
  ended: "The current track finished by itself: repeat `track` plays it again, otherwise as next.",
} as const;

function transportRoute<A extends keyof typeof TRANSPORT>(action: A) {
  return createRoute({
    method: "post",
    path: `/v1/me/queue/${action}`,
    tags,
    summary: `${action[0]!.toUpperCase()}${action.slice(1)} (your queue)`,
    description: `${OWN} ${TRANSPORT[action]} \`version\` is optional: when given, a stale one is refused (409). ${BROADCAST}`,
    security,
    middleware: [requireAuth()] as const,
    request: { body: jsonBody(action === "play" ? PlaySchema : TransportSchema, false) },
    responses: { 200: stateDoc("The new state"), 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409], 422: problems[422] },
  });
}

export const playRoute = transportRoute("play");
export const pauseRoute = transportRoute("pause");
export const nextRoute = transportRoute("next");
export const previousRoute = transportRoute("previous");
export const endedRoute = transportRoute("ended");

export const seekRoute = createRoute({
  method: "post",
  path: "/v1/me/queue/seek",
  tags,
  summary: "Seek in the current track",
  description: `${OWN} Capped at the track's duration; 409 when there is no current item. \`version\` is optional. ${BROADCAST}`,
  security,
  middleware: [requireAuth()] as const,
  request: { body: jsonBody(SeekSchema) },
  responses: { 200: stateDoc("The new state"), 401: problems[401], 403: problems[403], 409: problems[409], 422: problems[422] },
});

export const queueSettingsRoute = createRoute({
  method: "patch",
  path: "/v1/me/queue/settings",
  tags,
  summary: "Shuffle, repeat, volume",
  description: `${OWN} Shuffle on shuffles the items after the current one; off restores their original order. \`version\` is optional. ${BROADCAST}`,
  security,
  middleware: [requireAuth()] as const,
  request: { body: jsonBody(QueueSettingsSchema) },
  responses: { 200: stateDoc("The new state"), 401: problems[401], 403: problems[403], 409: problems[409], 422: problems[422] },
});
