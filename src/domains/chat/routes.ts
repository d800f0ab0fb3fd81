import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { jsonDoc, problemDoc } from "../../lib/problem";
import { AttachmentParamSchema, ChatMessageSchema, MessagePageSchema, MessagesQuerySchema, PostMessageSchema, RoomIdParamSchema, SearchQuerySchema, SocketQuerySchema } from "./schemas";
import { optionalBearer as anyone, signedIn } from "../../lib/openapi";

const tags = ["Chat"];
const problems = {
  400: problemDoc("The WebSocket subprotocol list does not offer veza.chat.v1"),
  401: problemDoc("The access token sent is invalid, expired or revoked, or none was sent"),
  403: problemDoc("Banned account; banned from the room; not a member of this public room; or muted"),
  404: problemDoc("No such room (or a private room you are not a member of), message or attachment"),
  409: problemDoc("The room is archived"),
  422: problemDoc("The request is not valid; `errors` lists each field"),
  426: problemDoc("Not a WebSocket upgrade"),
  429: problemDoc("Slow mode: wait (Retry-After) before your next message"),
  503: problemDoc("The room or the database is unavailable; retry shortly"),
} as const;
const READERS = "Public rooms to anyone (but their banned members), private rooms to their members; anyone else gets 404.";

export const roomSocketRoute = createRoute({
  method: "get",
  path: "/v1/rooms/{id}/ws",
  tags,
  summary: "The room, live, over WebSocket (protocol veza.chat.v1)",
  description:
    "Members only (a private room is 404 to others, a public one 403 until you join). Authenticate with `Authorization: Bearer <token>` or (browsers) `Sec-WebSocket-Protocol: veza.chat.v1, bearer.<token>`. On connect: `ready` (room, you, who is online, seq, unread), then `sync` (the last 50 messages, or with `?since=` exactly what changed after that seq). Frames: send, edit, delete, react, unreact, pin, unpin, read, typing, presence, reauth — each with a `request_id`, answered `ack` or `error`. See durable-objects/chat-room/protocol.ts. One database round trip (the membership).",
  security: signedIn,
  request: { params: RoomIdParamSchema, query: SocketQuerySchema },
  responses: { 101: { description: "Switching protocols" }, 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422], 426: problems[426], 503: problems[503] },
});

export const listMessagesRoute = createRoute({
  method: "get",
  path: "/v1/rooms/{id}/messages",
  tags,
  summary: "A room's messages, newest first",
  description: `${READERS} The newest pages come from the room itself (messages not yet in the database included), older ones from the database, seamlessly. Deleted messages keep their place with empty content. One database round trip.`,
  security: anyone,
  request: { params: RoomIdParamSchema, query: MessagesQuerySchema },
  responses: { 200: jsonDoc("A page of messages", MessagePageSchema), 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
});

export const searchMessagesRoute = createRoute({
  method: "get",
  path: "/v1/rooms/{id}/messages/search",
  tags,
  summary: "Full-text search in a room's messages",
  description: `${READERS} English full-text search (web-search syntax: words, "phrases", -exclusions, or), newest first. One database round trip.`,
  security: anyone,
  request: { params: RoomIdParamSchema, query: SearchQuerySchema },
  responses: { 200: jsonDoc("Matching messages", MessagePageSchema), 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
});

export const postMessageRoute = createRoute({
  method: "post",
  path: "/v1/rooms/{id}/messages",
  tags,
  summary: "Send a message (without a socket)",
  description: "Members only. The same rules as over the socket (slow mode 429, mute 403, archived 409), broadcast to every connected member. One database round trip (two with an attachment).",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: RoomIdParamSchema, body: { required: true, content: { "application/json": { schema: PostMessageSchema } } } },
  responses: { 201: jsonDoc("The message", ChatMessageSchema), 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409], 422: problems[422], 429: problems[429], 503: problems[503] },
});

export const attachmentRoute = createRoute({
  method: "get",
  path: "/v1/rooms/{id}/attachments/{fileId}",
  tags,
  summary: "Download a file attached in the room",
  description: `${READERS} Only files attached to a (not deleted) message of this room. Range requests are honoured.`,
  security: anyone,
  request: { params: AttachmentParamSchema },
  responses: { 200: { description: "The file" }, 206: { description: "Part of the file" }, 401: problems[401], 403: problems[403], 404: problems[404] },
});
