import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { rateLimit } from "../../lib/rate-limit";
import { bytes } from "../tracks/responses";
import { json, jsonBody, optionalBearer, problems, signedIn } from "./responses";
import {
  AttachmentParamSchema,
  CommentIdParamSchema,
  CreatePostCommentSchema,
  CreatePostSchema,
  GroupSlugParamSchema,
  HashtagListSchema,
  HashtagParamSchema,
  HashtagQuerySchema,
  LikeStateSchema,
  PinStateSchema,
  PostCommentListSchema,
  PostCommentSchema,
  PostIdParamSchema,
  PostLikerListSchema,
  PostListQuerySchema,
  PostListSchema,
  PostSchema,
  RepostStateSchema,
  UpdatePostCommentSchema,
  UpdatePostSchema,
  UsernameParamSchema,
} from "./schemas";

const tags = ["Posts"];

/** Who sees a post: said once, used by every route's description. */
export const VISIBILITY =
  "Who sees a post: its author; others when it is `public` or `unlisted` (unlisted posts are never listed on explore or hashtag pages), or `private` and they follow the author. A group post is also limited by its group (public group: anyone; private group: active members). Posts of deleted or banned accounts, of private profiles (to others), and of anyone with a block either way between them and you are hidden: 404 on direct access, left out of lists.";

const writeAuth = { 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] };
const readResponses = { 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] };

export const createPostRoute = createRoute({
  method: "post",
  path: "/v1/posts",
  tags,
  summary: "Publish a post (or quote one)",
  description: `Any signed-in user. \`visibility\`: public (anyone, listed), unlisted (anyone with the link), private (visible to your followers and you). Attachments: up to 4 of your own live image files, one audio and one video file of yours (422 otherwise). \`group_id\`: a group you are an active member of. \`repost_of_id\` quotes a post you may see (content optional; another's private post: 403; an empty quote is a plain repost, 409 if you already have one). \`#hashtags\` (letters, digits, underscores, up to 100 characters) are indexed case-insensitively; \`@username\` mentions notify those users who may see the post (unless they turned mentions off or a block stands). ${VISIBILITY} One database round trip.`,
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "posts")] as const,
  request: { body: jsonBody(CreatePostSchema) },
  responses: { 201: json("The new post", PostSchema), 401: problems[401], 403: problems[403], 409: problems[409], 422: problems[422], 429: problems[429] },
});

export const getPostRoute = createRoute({
  method: "get",
  path: "/v1/posts/{id}",
  tags,
  summary: "A post",
  description: `Anyone who may see it. ${VISIBILITY} One database round trip.`,
  security: optionalBearer,
  request: { params: PostIdParamSchema },
  responses: { 200: json("The post", PostSchema), ...readResponses },
});

export const updatePostRoute = createRoute({
  method: "patch",
  path: "/v1/posts/{id}",
  tags,
  summary: "Edit a post (its author)",
  description: "Content (its hashtags are read again) and/or visibility. Another's post is 403 (404 if hidden from you). A plain repost cannot be edited. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: PostIdParamSchema, body: jsonBody(UpdatePostSchema) },
  responses: { 200: json("The post as edited", PostSchema), ...writeAuth, 409: problems[409] },
});

export const deletePostRoute = createRoute({
  method: "delete",
  path: "/v1/posts/{id}",
  tags,
  summary: "Delete a post (its author, or a moderator of its group)",
  description: "A soft delete; its hashtags stop counting it. The author, or for a group post the group's owner, admins and moderators. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: PostIdParamSchema },
  responses: { 204: { description: "Deleted" }, ...writeAuth },
});

export const pinPostRoute = createRoute({
  method: "put",
  path: "/v1/posts/{id}/pin",
  tags,
  summary: "Pin a post to my profile",
  description: "One pinned post per user: pinning another unpins the previous one, in the same statement. Idempotent. Your own posts only. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: PostIdParamSchema },
  responses: { 200: json("Pinned", PinStateSchema), ...writeAuth },
});

export const unpinPostRoute = createRoute({
  method: "delete",
  path: "/v1/posts/{id}/pin",
  tags,
  summary: "Unpin a post",
  description: "Idempotent. Your own posts only. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: PostIdParamSchema },
  responses: { 200: json("Not pinned", PinStateSchema), ...writeAuth },
});

export const likePostRoute = createRoute({
  method: "put",
  path: "/v1/posts/{id}/like",
  tags,
  summary: "Like a post",
  description: `Idempotent. The author is notified (once per liker and post). ${VISIBILITY} One database round trip.`,
  security: signedIn,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "post-likes")] as const,
  request: { params: PostIdParamSchema },
  responses: { 200: json("Liked, and the post's likes", LikeStateSchema), ...writeAuth, 429: problems[429] },
});

export const unlikePostRoute = createRoute({
  method: "delete",
  path: "/v1/posts/{id}/like",
  tags,
  summary: "Stop liking a post",
  description: "Idempotent. One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "post-likes")] as const,
  request: { params: PostIdParamSchema },
  responses: { 200: json("Not liked, and the post's likes", LikeStateSchema), ...writeAuth, 429: problems[429] },
});

export const listLikesRoute = createRoute({
  method: "get",
  path: "/v1/posts/{id}/likes",
  tags,
  summary: "Who liked a post",
  description: `Newest like first, by cursor. Likers who are deleted, banned, private profiles or blocked either way with you are left out (like_count still counts them). ${VISIBILITY} One database round trip.`,
  security: optionalBearer,
  request: { params: PostIdParamSchema, query: PostListQuerySchema },
  responses: { 200: json("A page of likers", PostLikerListSchema), ...readResponses },
});

export const repostRoute = createRoute({
  method: "put",
  path: "/v1/posts/{id}/repost",
  tags,
  summary: "Repost a post (plain, without a quote)",
  description: "Idempotent. Another's private post cannot be reposted (403). The repost is as visible as the original. To quote, POST /v1/posts with `repost_of_id`. One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "reposts")] as const,
  request: { params: PostIdParamSchema },
  responses: { 200: json("Reposted, and the post's reposts", RepostStateSchema), ...writeAuth, 429: problems[429] },
});

export const unrepostRoute = createRoute({
  method: "delete",
  path: "/v1/posts/{id}/repost",
  tags,
  summary: "Remove my plain repost",
  description: "Idempotent. Works even when the original has since become hidden from you. One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "reposts")] as const,
  request: { params: PostIdParamSchema },
  responses: { 200: json("Not reposted, and the post's reposts", RepostStateSchema), ...writeAuth, 429: problems[429] },
});

export const listPostCommentsRoute = createRoute({
  method: "get",
  path: "/v1/posts/{id}/comments",
  tags,
  summary: "A post's comments",
  description: `Top-level comments, newest first, by cursor, with their reply counts (threads are one level deep: GET /v1/post-comments/{id}/replies). Comments of deleted or banned accounts, or of anyone blocked either way with you, are left out. ${VISIBILITY} One database round trip.`,
  security: optionalBearer,
  request: { params: PostIdParamSchema, query: PostListQuerySchema },
  responses: { 200: json("A page of comments", PostCommentListSchema), ...readResponses },
});

export const listRepliesRoute = createRoute({
  method: "get",
  path: "/v1/post-comments/{id}/replies",
  tags,
  summary: "A post comment's replies",
  description: "Oldest first, by cursor. 404 when the comment or its post is hidden from you. One database round trip.",
  security: optionalBearer,
  request: { params: CommentIdParamSchema, query: PostListQuerySchema },
  responses: { 200: json("A page of replies", PostCommentListSchema), ...readResponses },
});

export const createPostCommentRoute = createRoute({
  method: "post",
  path: "/v1/posts/{id}/comments",
  tags,
  summary: "Comment on a post",
  description: `Any signed-in user who may see the post. A reply names a live top-level comment of the same post. The post's author (and, for a reply, the comment's author) is notified. ${VISIBILITY} One database round trip.`,
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "post-comments")] as const,
  request: { params: PostIdParamSchema, body: jsonBody(CreatePostCommentSchema) },
  responses: { 201: json("The new comment", PostCommentSchema), ...writeAuth, 429: problems[429] },
});

export const updatePostCommentRoute = createRoute({
  method: "patch",
  path: "/v1/post-comments/{id}",
  tags,
  summary: "Edit a post comment (its author)",
  description: "One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: CommentIdParamSchema, body: jsonBody(UpdatePostCommentSchema) },
  responses: { 200: json("The comment as edited", PostCommentSchema), ...writeAuth },
});

export const deletePostCommentRoute = createRoute({
  method: "delete",
  path: "/v1/post-comments/{id}",
  tags,
  summary: "Delete a post comment (its author, or the post's author)",
  description: "A soft delete; its replies leave the lists with it. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: CommentIdParamSchema },
  responses: { 204: { description: "Deleted" }, ...writeAuth },
});

export const listUserPostsRoute = createRoute({
  method: "get",
  path: "/v1/users/{username}/posts",
  tags,
  summary: "A profile's posts",
  description: `The pinned post first (on the first page, in addition to \`limit\`), then newest first, by cursor; reposts included. A profile you may not see (private, banned, deleted, or a block either way) is 404. ${VISIBILITY} One database round trip.`,
  security: optionalBearer,
  request: { params: UsernameParamSchema, query: PostListQuerySchema },
  responses: { 200: json("A page of posts", PostListSchema), ...readResponses },
});

export const exploreRoute = createRoute({
  method: "get",
  path: "/v1/explore",
  tags,
  summary: "Recent public posts",
  description: `Every public post (quotes included, plain reposts not), strictly newest first — no ranking, no personalisation (spec §17). By cursor. ${VISIBILITY} One database round trip.`,
  security: optionalBearer,
  request: { query: PostListQuerySchema },
  responses: { 200: json("A page of posts", PostListSchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});

export const hashtagPostsRoute = createRoute({
  method: "get",
  path: "/v1/hashtags/{tag}/posts",
  tags,
  summary: "Public posts with a hashtag",
  description: `The tag is matched case-insensitively (#Jazz and #jazz are one tag). Newest first, by cursor; public posts only. 404 for a tag never used. ${VISIBILITY} One database round trip.`,
  security: optionalBearer,
  request: { params: HashtagParamSchema, query: PostListQuerySchema },
  responses: { 200: json("A page of posts", PostListSchema), ...readResponses },
});

export const suggestHashtagsRoute = createRoute({
  method: "get",
  path: "/v1/hashtags",
  tags,
  summary: "Hashtags starting with a prefix",
  description: "Type-ahead: tags in use whose name starts with `prefix` (case-insensitive, a leading # ignored), most used first. One database round trip.",
  request: { query: HashtagQuerySchema },
  responses: { 200: json("Matching hashtags", HashtagListSchema), 422: problems[422] },
});

export const groupPostsRoute = createRoute({
  method: "get",
  path: "/v1/groups/{slug}/posts",
  tags,
  summary: "A group's posts",
  description: `Newest first, by cursor. A private group's posts are for its active members (404 for anyone else, as for a deleted group). ${VISIBILITY} One database round trip.`,
  security: optionalBearer,
  request: { params: GroupSlugParamSchema, query: PostListQuerySchema },
  responses: { 200: json("A page of posts", PostListSchema), ...readResponses },
});

export const attachmentRoute = createRoute({
  method: "get",
  path: "/v1/posts/{id}/attachments/{fileId}",
  tags,
  summary: "A post's attached file",
  description: `An attachment's \`url\`: to whoever may see the post (send a bearer token for a private or private-group post). Cached publicly for public and unlisted posts. ${VISIBILITY} One database round trip.`,
  security: optionalBearer,
  request: { params: AttachmentParamSchema },
  responses: { 200: bytes("The file", "image/png", "image/jpeg", "audio/mpeg", "video/mp4"), ...readResponses, 416: problems[416] },
});
