import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { json, problems, signedIn } from "./responses";
import { MarkReadBodySchema, MAX_READ_IDS, NotificationIdParamSchema, NotificationListQuerySchema, NotificationListSchema, UnreadCountSchema } from "./schemas";

const tags = ["Notifications"];
const HIDDEN = "Notifications caused by someone you blocked, or who blocked you, are left out.";

export const listNotificationsRoute = createRoute({
  method: "get",
  path: "/v1/me/notifications",
  tags,
  summary: "My notifications",
  description: `Newest first, by cursor (\`next_cursor\`, null on the last page); \`?unread=true\` for the unread ones only. Deleted ones are gone. ${HIDDEN} One database round trip.`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { query: NotificationListQuerySchema },
  responses: { 200: json("A page of notifications", NotificationListSchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});

export const countUnreadRoute = createRoute({
  method: "get",
  path: "/v1/me/notifications/unread-count",
  tags,
  summary: "How many of my notifications are unread",
  description: `For a badge: counts what \`?unread=true\` lists. ${HIDDEN} One database round trip.`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  responses: { 200: json("The unread count", UnreadCountSchema), 401: problems[401], 403: problems[403] },
});

export const markReadRoute = createRoute({
  method: "post",
  path: "/v1/me/notifications/read",
  tags,
  summary: "Mark notifications read",
  description: `\`{ids}\` (1 to ${MAX_READ_IDS}) marks those; no body or \`{}\` marks all of yours. Ids that are not your notifications change nothing. Answers how many stay unread. One database round trip.`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { body: { required: false, content: { "application/json": { schema: MarkReadBodySchema } } } },
  responses: { 200: json("How many stay unread", UnreadCountSchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});

export const deleteNotificationRoute = createRoute({
  method: "delete",
  path: "/v1/me/notifications/{id}",
  tags,
  summary: "Delete one of my notifications",
  description: "One of your notifications, by its id; 404 for any other id (or one already deleted). One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: NotificationIdParamSchema },
  responses: { 204: { description: "Deleted" }, 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
});
