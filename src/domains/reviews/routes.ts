import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { jsonDoc as json, problemDoc as problem } from "../../lib/problem";
import { rateLimit } from "../../lib/rate-limit";
import {
  CreateReviewSchema,
  ProductIdParamSchema,
  ReviewIdParamSchema,
  ReviewListQuerySchema,
  ReviewListSchema,
  ReviewResponseInputSchema,
  ReviewSchema,
  UpdateReviewSchema,
} from "./schemas";
import { signedIn, optionalBearer, jsonBody } from "../../lib/openapi";

const tags = ["Marketplace"];
/** Answers anyone; a token, when sent, must be valid. */

const problems = {
  401: problem("The access token sent is invalid, expired or revoked (or none was sent where one is needed)"),
  403: problem("Not allowed: banned account, not your purchase or review, or not your product"),
  404: problem("No such product or review, or one hidden from you"),
  409: problem("You already reviewed this purchase"),
  422: problem("The request is not valid; `errors` lists each field"),
  429: problem("Too many of these in a minute: wait (Retry-After) and try again"),
} as const;

export const createReviewRoute = createRoute({
  method: "post",
  path: "/v1/products/{id}/reviews",
  tags,
  summary: "Review a product I bought",
  description:
    "Only from a verified purchase: `order_item_id` must be a line of one of your orders that is paid, processing or completed, for this product, and not refunded or cancelled (403 otherwise, saying which). One review per purchase (409 on a second; a review you deleted may be written again). Rating 1–5; content 10–2000 characters. The seller is notified. One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "product-reviews")] as const,
  request: { params: ProductIdParamSchema, body: jsonBody(CreateReviewSchema) },
  responses: { 201: json("The review", ReviewSchema), ...problems },
});

export const listReviewsRoute = createRoute({
  method: "get",
  path: "/v1/products/{id}/reviews",
  tags,
  summary: "A product's reviews",
  description:
    "Public. Newest first, by cursor; `rating` keeps one star count. Reviews by deleted or banned accounts and by anyone with a block either way with you are left out. A deleted product, or one of a deleted or banned seller, is 404. One database round trip.",
  security: optionalBearer,
  request: { params: ProductIdParamSchema, query: ReviewListQuerySchema },
  responses: { 200: json("A page of reviews, with the product's stats", ReviewListSchema), 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
});

export const updateReviewRoute = createRoute({
  method: "patch",
  path: "/v1/reviews/{id}",
  tags,
  summary: "Edit my review",
  description: "Rating, title and/or content (null clears title or content). Another's review is 403. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: ReviewIdParamSchema, body: jsonBody(UpdateReviewSchema) },
  responses: { 200: json("The review as edited", ReviewSchema), 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
});

export const deleteReviewRoute = createRoute({
  method: "delete",
  path: "/v1/reviews/{id}",
  tags,
  summary: "Delete my review",
  description: "A soft delete; the product's rating and review count drop it. Another's review is 403. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: ReviewIdParamSchema },
  responses: { 204: { description: "Deleted" }, 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
});

export const respondToReviewRoute = createRoute({
  method: "put",
  path: "/v1/reviews/{id}/response",
  tags,
  summary: "Answer a review of my product",
  description: "The product's seller only (403 otherwise). One answer per review; putting again edits it. One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "review-responses")] as const,
  request: { params: ReviewIdParamSchema, body: jsonBody(ReviewResponseInputSchema) },
  responses: { 200: json("The review with its answer", ReviewSchema), 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422], 429: problems[429] },
});
