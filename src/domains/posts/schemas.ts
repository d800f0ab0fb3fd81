import { z } from "@hono/zod-openapi";
import { TrackListQuerySchema, UsernameParamSchema, VISIBILITIES } from "../tracks/schemas";

/**
 * The shapes of posts (spec §9.3–§9.7), shared by routes, services, the feed and tests. Limits
 * mirror migrations/0006_social.sql (chk_posts_content_length, chk_post_comments_content_length,
 * hashtags.tag VARCHAR(100)), so bad input is a 422 with a field path, never a 23514.
 */

export { UsernameParamSchema, VISIBILITIES };
export const MAX_POST_LENGTH = 5000;
export const MAX_COMMENT_LENGTH = 2000;
export const MAX_IMAGES = 4;
export const MAX_HASHTAG_LENGTH = 100;

const timestamp = z.string().openapi({ format: "date-time", example: "2026-03-01T12:00:00.000Z" });
const noControlButNewlines = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);

export const PostAuthorSchema = z
  .object({ id: z.uuid(), username: z.string(), display_name: z.string().nullable(), avatar_url: z.string().nullable() })
  .openapi("PostAuthor");

export const PostAttachmentSchema = z
  .object({
    id: z.uuid(),
    url: z.string().openapi({ description: "GET it with the same access as the post (a bearer token for a private post)", example: "/v1/posts/…/attachments/…" }),
    mime_type: z.string(),
  })
  .openapi("PostAttachment");

export const PostGroupSchema = z.object({ id: z.uuid(), slug: z.string(), name: z.string() }).openapi("PostGroup");

const postFields = {
  id: z.uuid(),
  author: PostAuthorSchema,
  content: z.string(),
  visibility: z.enum(VISIBILITIES),
  attachments: z
    .object({ images: z.array(PostAttachmentSchema), audio: PostAttachmentSchema.nullable(), video: PostAttachmentSchema.nullable() })
    .openapi({ description: "Files of the author's that are still live (a deleted file drops out)" }),
  hashtags: z.array(z.string()).openapi({ description: "The post's hashtags, as first spelled on the platform" }),
  like_count: z.number().int(),
  comment_count: z.number().int(),
  repost_count: z.number().int(),
  is_pinned: z.boolean(),
  group: PostGroupSchema.nullable().openapi({ description: "The group it was posted in; null for a profile post" }),
  liked_by_me: z.boolean().openapi({ description: "false when not signed in" }),
  reposted_by_me: z.boolean().openapi({ description: "Whether you plain-reposted it; false when not signed in" }),
  repost_of_id: z.uuid().nullable(),
  created_at: timestamp,
  updated_at: timestamp.openapi({ description: "Last change of the row (an edit, a pin, or a counter moving)" }),
};

/** The reposted original, one level deep (its own `repost_of` is not embedded). */
export const EmbeddedPostSchema = z.object(postFields).openapi("EmbeddedPost");

/** A post as every endpoint and list returns it. */
export const PostSchema = z
  .object({
    ...postFields,
    repost_of: EmbeddedPostSchema.nullable().openapi({
      description: "For a repost or quote: the original, or null when it was deleted or is hidden from you (repost_of_id still says it was one)",
    }),
  })
  .openapi("Post");
export type Post = z.infer<typeof PostSchema>;
export type EmbeddedPost = z.infer<typeof EmbeddedPostSchema>;

export const PostListSchema = z.object({ items: z.array(PostSchema), next_cursor: z.string().nullable() }).openapi("PostList");
export const PostListQuerySchema = TrackListQuerySchema;

const content = (max: number) =>
  z.string().trim().max(max).refine(noControlButNewlines, "must not contain control characters");

export const CreatePostSchema = z
  .object({
    content: content(MAX_POST_LENGTH).optional().openapi({ description: `1 to ${MAX_POST_LENGTH} characters; optional (a quote) when repost_of_id is given` }),
    visibility: z.enum(VISIBILITIES).optional().openapi({
      description: "public (anyone, listed), unlisted (anyone with the link, not listed), private (your followers and you). Defaults to public",
    }),
    image_file_ids: z.array(z.uuid()).max(MAX_IMAGES).optional().openapi({ description: `Up to ${MAX_IMAGES} of your live image files` }),
    audio_file_id: z.uuid().optional().openapi({ description: "One of your live audio files" }),
    video_file_id: z.uuid().optional().openapi({ description: "One of your live video files" }),
    group_id: z.uuid().optional().openapi({ description: "A group you are an active member of" }),
    repost_of_id: z.uuid().optional().openapi({ description: "Quote this post (a plain repost is PUT /v1/posts/{id}/repost)" }),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (!v.repost_of_id && !v.content) ctx.addIssue({ code: "custom", path: ["content"], message: "is required (1 character at least)" });
    if (v.image_file_ids && new Set(v.image_file_ids).size !== v.image_file_ids.length) {
      ctx.addIssue({ code: "custom", path: ["image_file_ids"], message: "must not repeat a file" });
    }
  })
  .openapi("CreatePost");
export type CreatePostInput = z.infer<typeof CreatePostSchema>;

export const UpdatePostSchema = z
  .object({
    content: content(MAX_POST_LENGTH).optional().openapi({ description: `1 to ${MAX_POST_LENGTH} characters (a quote may be empty); hashtags are read again` }),
    visibility: z.enum(VISIBILITIES).optional(),
  })
  .strict()
  .refine((v) => v.content !== undefined || v.visibility !== undefined, { message: "change content or visibility" })
  .openapi("UpdatePost");
export type UpdatePostInput = z.infer<typeof UpdatePostSchema>;

export const PostIdParamSchema = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });

export const LikeStateSchema = z.object({ liked: z.boolean(), like_count: z.number().int() }).openapi("PostLikeState");
export const RepostStateSchema = z.object({ reposted: z.boolean(), repost_count: z.number().int() }).openapi("PostRepostState");
export const PinStateSchema = z.object({ pinned: z.boolean() }).openapi("PostPinState");

export const PostLikerSchema = PostAuthorSchema.extend({ liked_at: timestamp }).openapi("PostLiker");
export const PostLikerListSchema = z.object({ items: z.array(PostLikerSchema), next_cursor: z.string().nullable() }).openapi("PostLikerList");

export const PostCommentSchema = z
  .object({
    id: z.uuid(),
    post_id: z.uuid(),
    parent_comment_id: z.uuid().nullable(),
    author: PostAuthorSchema,
    content: z.string(),
    reply_count: z.number().int().openapi({ description: "Live replies you may see; 0 for a reply" }),
    created_at: timestamp,
    updated_at: timestamp,
    edited: z.boolean(),
  })
  .openapi("PostComment");
export type PostComment = z.infer<typeof PostCommentSchema>;
export const PostCommentListSchema = z.object({ items: z.array(PostCommentSchema), next_cursor: z.string().nullable() }).openapi("PostCommentList");

export const CreatePostCommentSchema = z
  .object({
    content: content(MAX_COMMENT_LENGTH).pipe(z.string().min(1)).openapi({ description: `1 to ${MAX_COMMENT_LENGTH} characters` }),
    parent_comment_id: z.uuid().optional().openapi({ description: "Reply to this top-level comment of the same post" }),
  })
  .strict()
  .openapi("CreatePostComment");
export const UpdatePostCommentSchema = z
  .object({ content: content(MAX_COMMENT_LENGTH).pipe(z.string().min(1)) })
  .strict()
  .openapi("UpdatePostComment");

export const HashtagSchema = z
  .object({ tag: z.string(), slug: z.string(), usage_count: z.number().int(), last_used_at: timestamp })
  .openapi("Hashtag");
export const HashtagListSchema = z.object({ items: z.array(HashtagSchema) }).openapi("HashtagList");
export const HashtagQuerySchema = z.object({
  prefix: z.string().trim().min(1).max(MAX_HASHTAG_LENGTH).regex(/^#?[\p{L}\p{N}_]+$/u, "must be letters, digits or underscores").openapi({ example: "jaz" }),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
export const HashtagParamSchema = z.object({
  tag: z.string().min(1).max(MAX_HASHTAG_LENGTH).regex(/^[\p{L}\p{N}_]+$/u, "must be letters, digits or underscores").openapi({ param: { name: "tag", in: "path" }, example: "jazz" }),
});
export const GroupSlugParamSchema = z.object({
  slug: z.string().min(1).max(100).openapi({ param: { name: "slug", in: "path" }, example: "modular-synths" }),
});
export const CommentIdParamSchema = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });
export const AttachmentParamSchema = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" } }),
  fileId: z.uuid().openapi({ param: { name: "fileId", in: "path" } }),
});
