import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { jsonDoc, problemDoc } from "../../lib/problem";
import { rateLimit } from "../../lib/rate-limit";
import {
  ConversationListQuerySchema,
  ConversationListSchema,
  DirectMessageSchema,
  MarkReadSchema,
  MessageIdParamSchema,
  MessageListQuerySchema,
  MessagePageSchema,
  ReadReceiptSchema,
  SendMessageSchema,
  UsernameParamSchema,
} from "./schemas";
import { signedIn as security } from "../../lib/openapi";

const tags = ["Direct messages"];
const problems = {
  401: problemDoc("The access token sent is invalid, expired or revoked, or none was sent"),
  403: problemDoc("The account is banned, or (sending) one of you blocked the other"),
  404: problemDoc("No live user has this username, or no such message of yours"),
  416: problemDoc("The requested byte range starts past the end of the file"),
  422: problemDoc("The request is not valid (or names yourself); `errors` lists each field"),
  429: problemDoc("Too many messages in a minute: wait (Retry-After) and try again"),
} as const;
const common = { 401: problems[401], 403: problems[403] };
const LIVE = "Pushed live to both users' inbox sockets (GET /v1/me/inbox/ws) after the answer; a delivery that fails never fails the request.";

export const sendMessageRoute = createRoute({
  method: "post",
  path: "/v1/me/conversations/{username}/messages",
  tags,
  summary: "Send a direct message",
  description: `Refused with 403 while either of you has blocked the other; a banned or deleted user is 404; yourself is 422. \`attachment_file_id\` must name a file of yours whose upload completed. ${LIVE} One database round trip (plus the token's check when it is not cached).`,
  security,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "dm")] as const,
  request: { params: UsernameParamSchema, body: { required: true, content: { "application/json": { schema: SendMessageSchema } } } },
  responses: { 201: jsonDoc("The message, stored", DirectMessageSchema), ...common, 404: problems[404], 422: problems[422], 429: problems[429] },
});

export const listConversationsRoute = createRoute({
  method: "get",
  path: "/v1/me/conversations",
  tags,
  summary: "My conversations",
  description:
    "Everyone you exchanged direct messages with, most recent conversation first (by cursor), each with the last message you have not deleted and your unread count. Conversations with someone you blocked or who blocked you stay listed with `blocked: true` (sending is refused). One database round trip.",
  security,
  middleware: [requireAuth()] as const,
  request: { query: ConversationListQuerySchema },
  responses: { 200: jsonDoc("A page of conversations", ConversationListSchema), ...common, 422: problems[422] },
});

export const listMessagesRoute = createRoute({
  method: "get",
  path: "/v1/me/conversations/{username}/messages",
  tags,
  summary: "A conversation's messages",
  description: "Newest first; `before` = `next_cursor` for older ones. Messages you deleted are left out. Reading does not mark anything read. One database round trip.",
  security,
  middleware: [requireAuth()] as const,
  request: { params: UsernameParamSchema, query: MessageListQuerySchema },
  responses: { 200: jsonDoc("A page of messages", MessagePageSchema), ...common, 404: problems[404], 422: problems[422] },
});

export const markReadRoute = createRoute({
  method: "post",
  path: "/v1/me/conversations/{username}/read",
  tags,
  summary: "Mark their messages read",
  description: `Marks the other user's messages to you read: all, or those up to \`up_to_id\` (inclusive). Idempotent. The sender's devices get a \`dm_read\` frame (unless one of you blocked the other), yours too. One database round trip.`,
  security,
  middleware: [requireAuth()] as const,
  request: { params: UsernameParamSchema, body: { required: false, content: { "application/json": { schema: MarkReadSchema } } } },
  responses: { 200: jsonDoc("What was marked", ReadReceiptSchema), ...common, 404: problems[404], 422: problems[422] },
});

export const deleteMessageRoute = createRoute({
  method: "delete",
  path: "/v1/me/direct-messages/{id}",
  tags,
  summary: "Delete a message for me",
  description: "Hides it from you only; the other side still sees it. Idempotent. A message you are not part of is 404. One database round trip.",
  security,
  middleware: [requireAuth()] as const,
  request: { params: MessageIdParamSchema },
  responses: { 204: { description: "Deleted for you" }, ...common, 404: problems[404], 422: problems[422] },
});

export const attachmentRoute = createRoute({
  method: "get",
  path: "/v1/me/direct-messages/{id}/attachment",
  tags,
  summary: "Download a message's attachment",
  description: "For the message's two participants only (anyone else: 404), while the message is not deleted for you. Streams from storage; a single `Range` is honoured (206). One database round trip.",
  security,
  middleware: [requireAuth()] as const,
  request: { params: MessageIdParamSchema },
  responses: {
    200: { description: "The file", content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } },
    206: { description: "The requested range of the file" },
    ...common,
    404: problems[404],
    416: problems[416],
    422: problems[422],
  },
});
