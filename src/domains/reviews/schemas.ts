import { z } from "@hono/zod-openapi";
import { TrackListQuerySchema } from "../tracks/schemas";

/**
 * The shapes of product reviews (spec §10.7), shared by routes, services and tests. Bounds mirror
 * migrations/0007_marketplace.sql (chk_product_reviews_rating, chk_product_reviews_content_length,
 * title VARCHAR(255)), so bad input is a 422 with a field path, never a 23514.
 */

export const MIN_REVIEW_LENGTH = 10;
export const MAX_REVIEW_LENGTH = 2000;
export const MAX_TITLE_LENGTH = 255;
export const MAX_RESPONSE_LENGTH = 2000;

const timestamp = z.string().openapi({ format: "date-time", example: "2026-03-01T12:00:00.000Z" });
const noControlButNewlines = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);
const text = (min: number, max: number) =>
  z.string().trim().min(min).max(max).refine(noControlButNewlines, "must not contain control characters");

const rating = z.number().int().min(1).max(5).openapi({ description: "1 to 5 stars", example: 5 });
const title = text(1, MAX_TITLE_LENGTH).nullable().openapi({ description: `1 to ${MAX_TITLE_LENGTH} characters; null for none` });
const content = text(MIN_REVIEW_LENGTH, MAX_REVIEW_LENGTH)
  .nullable()
  .openapi({ description: `${MIN_REVIEW_LENGTH} to ${MAX_REVIEW_LENGTH} characters; null for a rating alone` });

export const ProductIdParamSchema = z.object({ id: z.uuid().openapi({ description: "The product's id" }) });
export const ReviewIdParamSchema = z.object({ id: z.uuid().openapi({ description: "The review's id" }) });

export const CreateReviewSchema = z
  .object({
    order_item_id: z.uuid().openapi({ description: "The line of your paid order that bought this product: one review per purchase" }),
    rating,
    title: title.optional(),
    content: content.optional(),
  })
  .openapi("CreateReview");
export type CreateReviewInput = z.infer<typeof CreateReviewSchema>;

export const UpdateReviewSchema = z
  .object({ rating: rating.optional(), title: title.optional(), content: content.optional() })
  .refine((v) => v.rating !== undefined || v.title !== undefined || v.content !== undefined, "give rating, title or content")
  .openapi("UpdateReview");
export type UpdateReviewInput = z.infer<typeof UpdateReviewSchema>;

export const ReviewResponseInputSchema = z
  .object({ content: text(1, MAX_RESPONSE_LENGTH).openapi({ description: `1 to ${MAX_RESPONSE_LENGTH} characters` }) })
  .openapi("ReviewResponseInput");

export const ReviewerSchema = z
  .object({ id: z.uuid(), username: z.string(), display_name: z.string().nullable(), avatar_url: z.string().nullable() })
  .openapi("Reviewer");

export const ReviewSchema = z
  .object({
    id: z.uuid(),
    product_id: z.uuid(),
    reviewer: ReviewerSchema,
    rating: z.number().int(),
    title: z.string().nullable(),
    content: z.string().nullable(),
    is_verified_purchase: z.boolean(),
    seller_response: z
      .object({ content: z.string(), responded_at: timestamp })
      .nullable()
      .openapi({ description: "The seller's one answer (editable), or null" }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi("ProductReview");
export type Review = z.infer<typeof ReviewSchema>;

export const ReviewListQuerySchema = TrackListQuerySchema.extend({
  rating: z.coerce.number().int().min(1).max(5).optional().openapi({ description: "Only reviews with this many stars" }),
});

export const ReviewListSchema = z
  .object({
    items: z.array(ReviewSchema),
    next_cursor: z.string().nullable(),
    review_count: z.number().int().openapi({ description: "The product's live reviews (every rating, hidden reviewers included)" }),
    average_rating: z.string().openapi({ description: "Their mean rating, 0.00 to 5.00", example: "4.50" }),
  })
  .openapi("ProductReviewList");
