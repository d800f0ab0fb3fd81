import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { rateLimit } from "../../lib/rate-limit";
import { evenSuspended, json, jsonBody, problems, readErrors, signedIn, writeErrors } from "./responses";
import {
  ActionListSchema,
  ActionSchema,
  AppealDecisionSchema,
  AppealSchema,
  CreateActionSchema,
  CreateReportSchema,
  IdParamSchema,
  QueueQuerySchema,
  ReasonSchema,
  ReportPageSchema,
  ReportSchema,
  SuspendSchema,
  UpdateReportSchema,
} from "./schemas";

const tags = ["Moderation"];
const PageQuery = z.object({ cursor: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(100).default(20) });
const ActionPageSchema = z.object({ items: z.array(ActionSchema), next_cursor: z.string().nullable() }).openapi("ModerationActionPage");

export const createReportRoute = createRoute({
  method: "post",
  path: "/v1/reports",
  tags,
  summary: "Report a user, track, comment, post, message, product, group, playlist, review, course or room",
  description:
    "Anyone signed in. The target must be visible to you: a message in a room you belong to, or a direct message you received; a private playlist you collaborate on; a course off the catalogue you are enrolled in; a private room you are a member of. Your own content cannot be reported (422). One open report per reporter and target (409); reporting again after it is closed is allowed. Rate-limited. One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "reports")] as const,
  request: { body: jsonBody(CreateReportSchema) },
  responses: { 201: json("The report", ReportSchema), ...writeErrors, 429: problems[429] },
});

export const listReportsRoute = createRoute({
  method: "get",
  path: "/v1/moderation/reports",
  tags,
  summary: "The moderation queue",
  description: "Moderators and admins. Oldest first; by default the open queue (open and in_review); filter by status, target_type, assignee. One database round trip.",
  security: signedIn,
  middleware: [requireAuth("moderator")] as const,
  request: { query: QueueQuerySchema },
  responses: { 200: json("A page of reports", ReportPageSchema), ...readErrors },
});

export const updateReportRoute = createRoute({
  method: "patch",
  path: "/v1/moderation/reports/{id}",
  tags,
  summary: "Assign, review, resolve or dismiss a report",
  description: "Moderators and admins. Assigning an open report puts it in review; resolved / dismissed close it (with an optional note), open / in_review reopen it. Audited. One database round trip.",
  security: signedIn,
  middleware: [requireAuth("moderator")] as const,
  request: { params: IdParamSchema, body: jsonBody(UpdateReportSchema) },
  responses: { 200: json("The report", ReportSchema), ...writeErrors },
});

export const createActionRoute = createRoute({
  method: "post",
  path: "/v1/moderation/actions",
  tags,
  summary: "Warn, hide or remove content, suspend or ban",
  description:
    "Moderators and admins. Account actions name `user_id`: a suspension (duration_hours) or a ban revokes the account's tokens and closes its live sockets (chat rooms, inbox) at once; a ban also ends its sessions. Content actions name the content (`target_type`, `target_id`): it leaves every list, page and feed at once. Tracks, comments, posts, groups, playlists and reviews are taken down; a hidden product is suspended, a removed one deleted; a course is archived (off the catalogue, no new learners, enrolled learners keep their access) and its product suspended; a room is closed (its open sockets too); a room's message is hidden in the room, live (every open socket hears it; history shows it deleted); a direct message disappears from both sides and their inboxes. 404 for content that is unknown or out of view already. A `report_id` is resolved with the action. The person is notified; audited. Moderators cannot sanction moderators or admins, admins not admins. One database round trip (two for a room's message: its room hides it first, then the action is recorded).",
  security: signedIn,
  middleware: [requireAuth("moderator")] as const,
  request: { body: jsonBody(CreateActionSchema) },
  responses: { 201: json("The action", ActionSchema), ...writeErrors },
});

export const listActionsRoute = createRoute({
  method: "get",
  path: "/v1/moderation/users/{id}/actions",
  tags,
  summary: "A user's moderation history",
  description: "Moderators and admins. Every action against the account or its content, newest first (the latest 100). One database round trip.",
  security: signedIn,
  middleware: [requireAuth("moderator")] as const,
  request: { params: IdParamSchema },
  responses: { 200: json("The actions", ActionListSchema), ...readErrors },
});

export const reverseActionRoute = createRoute({
  method: "post",
  path: "/v1/moderation/actions/{id}/reverse",
  tags,
  summary: "Reverse an action",
  description:
    "Moderators and admins. Hidden or removed content comes back as it was (a hidden product unpublished; a course republished; a room reopened; a room's message shown again on every open socket; a direct message back on the sides that had not deleted it themselves), a suspension or ban is lifted at once, a warning withdrawn; the person is notified; audited. 409 when reversed already. One database round trip (two for a room's message). A message is purged 30 days after it was hidden: reversing later records the reversal only.",
  security: signedIn,
  middleware: [requireAuth("moderator")] as const,
  request: { params: IdParamSchema, body: jsonBody(ReasonSchema) },
  responses: { 200: json("The reversed action", ActionSchema), ...writeErrors },
});

export const listAppealsRoute = createRoute({
  method: "get",
  path: "/v1/moderation/appeals",
  tags,
  summary: "Pending appeals",
  description: "Moderators and admins. Oldest first. One database round trip.",
  security: signedIn,
  middleware: [requireAuth("moderator")] as const,
  request: { query: PageQuery },
  responses: { 200: json("A page of appealed actions", ActionPageSchema), ...readErrors },
});

export const decideAppealRoute = createRoute({
  method: "post",
  path: "/v1/moderation/appeals/{id}/decision",
  tags,
  summary: "Accept or reject an appeal",
  description: "Moderators and admins; `id` is the appealed action. Accepting reverses the action; either way the person is notified. 409 without a pending appeal. One database round trip.",
  security: signedIn,
  middleware: [requireAuth("moderator")] as const,
  request: { params: IdParamSchema, body: jsonBody(AppealDecisionSchema) },
  responses: { 200: json("The action", ActionSchema), ...writeErrors },
});

export const myActionsRoute = createRoute({
  method: "get",
  path: "/v1/me/appeals",
  tags,
  summary: "The moderation actions against me, and their appeals",
  description: "Works for a suspended account too (its other requests are refused). Newest first, the latest 100. One database round trip.",
  security: signedIn,
  middleware: [evenSuspended, requireAuth()] as const,
  responses: { 200: json("The actions", ActionListSchema), ...readErrors },
});

export const appealRoute = createRoute({
  method: "post",
  path: "/v1/me/appeals",
  tags,
  summary: "Appeal a suspension, a warning or a takedown",
  description: "Works for a suspended account too. One appeal per action while it stands (409); a ban is not appealed here. Rate-limited. One database round trip.",
  security: signedIn,
  middleware: [evenSuspended, requireAuth(), rateLimit("POSTING_LIMITER", "appeals")] as const,
  request: { body: jsonBody(AppealSchema.extend({ action_id: z.string().uuid() }).strict().openapi("CreateAppealForAction")) },
  responses: { 200: json("The appealed action", ActionSchema), ...writeErrors, 429: problems[429] },
});

const adminTags = ["Administration"];
const accountNote = "Admins only. Recorded as a moderation action and in the audit log; the person is notified. One database round trip.";

export const suspendAccountRoute = createRoute({
  method: "post",
  path: "/v1/admin/users/{id}/suspend",
  tags: adminTags,
  summary: "Suspend an account",
  description: `Its tokens and live sockets die at once; it may still sign in to see and appeal the suspension. ${accountNote}`,
  security: signedIn,
  middleware: [requireAuth("admin")] as const,
  request: { params: IdParamSchema, body: jsonBody(SuspendSchema) },
  responses: { 201: json("The suspension", ActionSchema), ...writeErrors },
});

export const banAccountRoute = createRoute({
  method: "post",
  path: "/v1/admin/users/{id}/ban",
  tags: adminTags,
  summary: "Ban an account",
  description: `Its sessions, tokens and live sockets end at once (409 when banned already). ${accountNote}`,
  security: signedIn,
  middleware: [requireAuth("admin")] as const,
  request: { params: IdParamSchema, body: jsonBody(ReasonSchema) },
  responses: { 201: json("The ban", ActionSchema), ...writeErrors },
});

export const unbanAccountRoute = createRoute({
  method: "post",
  path: "/v1/admin/users/{id}/unban",
  tags: adminTags,
  summary: "Lift an account's ban",
  description: `Every standing ban is reversed (409 when not banned); the account signs in again. ${accountNote}`,
  security: signedIn,
  middleware: [requireAuth("admin")] as const,
  request: { params: IdParamSchema, body: jsonBody(ReasonSchema) },
  responses: { 200: json("The lifted ban", ActionSchema), ...writeErrors },
});
