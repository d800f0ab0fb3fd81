import { z } from "@hono/zod-openapi";
import { TrackIdParamSchema } from "../tracks/schemas";

/**
 * The shapes of track comments (spec §7.6), shared by routes, services and tests. content mirrors
 * chk_track_comments_content_length (1-5000; zod counts UTF-16 units, LENGTH() code points, so
 * what passes here always passes there).
 */

export { TrackIdParamSchema };

/** `?timed=true` draws a track's comments along its waveform: at most this many, the earliest first. */
export const MAX_TIMED_COMMENTS = 500;
export const DEFAULT_SPAN_SECONDS = 10;
export const MAX_SPAN_SECONDS = 600;

const timestamp = z.string().openapi({ format: "date-time", example: "2026-03-01T12:00:00.000Z" });
const noControlButNewlines = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);

const content = z.string().trim().min(1).max(5000).refine(noControlButNewlines, "must not contain control characters").openapi({ example: "That drop at 1:32!" });

export const CreateCommentSchema = z
  .object({
    content,
    parent_comment_id: z.uuid().nullable().optional().openapi({ description: "The comment this replies to: a live, top-level comment of the same track" }),
    timestamp_seconds: z
      .number()
      .int()
      .min(0)
      .max(2_147_483_647)
      .nullable()
      .optional()
      .openapi({ description: "Where in the track the comment is placed (seconds from the start); the track must have been processed, and the second must start before its end" }),
  })
  .strict()
  .openapi("CreateComment");
export type CreateCommentInput = z.infer<typeof CreateCommentSchema>;

export const UpdateCommentSchema = z.object({ content }).strict().openapi("UpdateComment");

export const CommentIdParamSchema = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });

const CommentAuthorSchema = z
  .object({ id: z.uuid(), username: z.string(), display_name: z.string().nullable(), avatar_url: z.string().nullable() })
  .openapi("CommentAuthor");

export const CommentSchema = z
  .object({
    id: z.uuid(),
    track_id: z.uuid(),
    parent_comment_id: z.uuid().nullable().openapi({ description: "The thread's first comment, for a reply; null for a top-level comment" }),
    author: CommentAuthorSchema.nullable().openapi({ description: "null when deleted" }),
    content: z.string().nullable().openapi({ description: "null when deleted" }),
    timestamp_seconds: z.number().int().nullable().openapi({ description: "Where in the track; null for a general comment (and when deleted)" }),
    is_edited: z.boolean(),
    deleted: z.boolean().openapi({
      description: "A deleted comment is only listed while live replies hang from it, as a placeholder that keeps its thread (no author, no content)",
    }),
    reply_count: z.number().int().openapi({ description: "Live replies" }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi("TrackComment");
export type Comment = z.infer<typeof CommentSchema>;

export const CommentListSchema = z
  .object({ items: z.array(CommentSchema), next_cursor: z.string().nullable().openapi({ description: "null on the last page, and always in the timed views" }) })
  .openapi("TrackCommentList");

const flag = z.enum(["true", "false"]).transform((v) => v === "true");

export const CommentListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional().openapi({ description: "next_cursor of the previous page (threads view only)" }),
  at: z.coerce.number().int().min(0).max(2_147_483_647).optional().openapi({ description: "Timed view: the comments placed from this second on (see span)" }),
  span: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_SPAN_SECONDS)
    .optional()
    .openapi({ description: `With at: the window's length in seconds (default ${DEFAULT_SPAN_SECONDS}, at most ${MAX_SPAN_SECONDS})` }),
  timed: flag.optional().openapi({ type: "string", enum: ["true", "false"], description: `true: every timed comment (up to ${MAX_TIMED_COMMENTS}), by position in the track` }),
});
export type CommentListQuery = z.infer<typeof CommentListQuerySchema>;

export const ReplyListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional().openapi({ description: "next_cursor of the previous page" }),
});
