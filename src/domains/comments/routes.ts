import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { rateLimit } from "../../lib/rate-limit";
import { json, jsonBody, optionalBearer, problems, signedIn } from "./responses";
import {
  CommentIdParamSchema,
  CommentListQuerySchema,
  CommentListSchema,
  CommentSchema,
  CreateCommentSchema,
  ReplyListQuerySchema,
  TrackIdParamSchema,
  UpdateCommentSchema,
} from "./schemas";

const tags = ["Comments"];

const VISIBLE =
  "The track must be visible to you: anyone else's private track, a deleted one, or one whose creator is banned or deleted is 404, as for a track that does not exist.";

export const createCommentRoute = createRoute({
  method: "post",
  path: "/v1/tracks/{id}/comments",
  tags,
  summary: "Comment on a track",
  description: `Any signed-in user. ${VISIBLE} A reply names its parent (a live, top-level comment of the same track: threads are one level deep). A timed comment names a second of the track: the track must have been processed (its length known) and the second must start before its end (for a 200.0 s track, 0-199); otherwise 422 on \`json.timestamp_seconds\`. One database round trip.`,
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "comments")] as const,
  request: { params: TrackIdParamSchema, body: jsonBody(CreateCommentSchema) },
  responses: { 201: json("The new comment", CommentSchema), 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422], 429: problems[429] },
});

export const listCommentsRoute = createRoute({
  method: "get",
  path: "/v1/tracks/{id}/comments",
  tags,
  summary: "A track's comments",
  description: `Anyone, signed in or not. ${VISIBLE} By default the threads: top-level comments, newest first, by cursor; a deleted one that still has live replies stays as a placeholder (\`deleted: true\`, no author or content). \`?at=S&span=W\` (W 1-600, default 10): the timed comments placed at S <= second < S+W; \`?timed=true\`: every timed comment (up to 500) — both by position in the track, replies included, never placeholders, without a cursor. One database round trip.`,
  security: optionalBearer,
  request: { params: TrackIdParamSchema, query: CommentListQuerySchema },
  responses: { 200: json("Comments", CommentListSchema), 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
});

export const listRepliesRoute = createRoute({
  method: "get",
  path: "/v1/comments/{id}/replies",
  tags,
  summary: "A thread's replies",
  description:
    "Anyone who may see the comment's track. Live replies, oldest first, by cursor. 404 when the track is not visible to you, or when the thread's first comment was deleted and has no live reply left. One database round trip.",
  security: optionalBearer,
  request: { params: CommentIdParamSchema, query: ReplyListQuerySchema },
  responses: { 200: json("A page of replies", CommentListSchema), 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
});

export const updateCommentRoute = createRoute({
  method: "patch",
  path: "/v1/comments/{id}",
  tags,
  summary: "Edit a comment (its author)",
  description:
    "The author only (403 for anyone else); the comment is marked as edited when its content changes. A deleted comment, or one on a track you cannot see, is 404. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: CommentIdParamSchema, body: jsonBody(UpdateCommentSchema) },
  responses: { 200: json("The comment as edited", CommentSchema), 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
});

export const deleteCommentRoute = createRoute({
  method: "delete",
  path: "/v1/comments/{id}",
  tags,
  summary: "Delete a comment (its author, the track's creator, or a moderator)",
  description:
    "A soft delete. Its author, the creator of the track it is on, or a moderator/admin (whose deletion of others' comments is written to the audit log); anyone else 403. Replies stay: a deleted comment with live replies is listed as a placeholder. A deleted comment, or one on a track you cannot see (and may not moderate), is 404. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: CommentIdParamSchema },
  responses: { 204: { description: "Deleted" }, 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
});
