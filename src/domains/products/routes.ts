import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { rateLimit } from "../../lib/rate-limit";
import { bytes } from "../tracks/responses";
import { json, jsonBody, optionalBearer, problems, readErrors, signedIn, writeErrors } from "./responses";
import {
  BrowseQuerySchema,
  CreateProductSchema,
  ImageParamSchema,
  MyProductsQuerySchema,
  ProductIdParamSchema,
  ProductListSchema,
  ProductRefParamSchema,
  ProductSchema,
  UpdateProductSchema,
  UsernameParamSchema,
} from "./schemas";

const tags = ["Products"];

/** Who sees a product: said once, used by every route's description. */
export const VISIBILITY =
  "Who sees a product: anyone, while it is listed (active or sold_out, not deleted) and its seller is neither banned nor deleted, unless a block stands either way between you; its seller, always (drafts, inactive and suspended ones too); a buyer holding a live purchase of it, also after it left the catalogue (not when suspended). Others get 404.";

export const createProductRoute = createRoute({
  method: "post",
  path: "/v1/products",
  tags,
  summary: "Create a product (a draft)",
  description:
    "Any signed-in user can sell. The product starts as a draft: add a licence (unless pricing_model is free) and PATCH status to active to publish it. Pricing: fixed (price), pwyw (price is the suggested price, minimum_price ≤ price), free (price 0). Files must be your own live files: the preview an audio file, images image files; download_file_ids are the deliverables, shown only to you and, through their orders, to buyers. The slug is derived from the name unless given (409 when a given one is taken). One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "products")] as const,
  request: { body: jsonBody(CreateProductSchema) },
  responses: { 201: json("The new product, as its seller sees it", ProductSchema), 401: problems[401], 403: problems[403], 409: problems[409], 422: problems[422], 429: problems[429] },
});

export const getProductRoute = createRoute({
  method: "get",
  path: "/v1/products/{id}",
  tags,
  summary: "A product page",
  description: `By id or slug: the product, its seller, licences with availability (\`remaining\`, \`available\`), rating summary, counters, and for a signed-in viewer \`favorited\` and \`purchased\`. A view by anyone but the seller of a listed product is counted. ${VISIBILITY} One database round trip.`,
  security: optionalBearer,
  request: { params: ProductRefParamSchema },
  responses: { 200: json("The product", ProductSchema), ...readErrors },
});

export const updateProductRoute = createRoute({
  method: "patch",
  path: "/v1/products/{id}",
  tags,
  summary: "Edit a product, publish or unpublish it (its seller)",
  description:
    "Any field; `status`: active publishes (draft or inactive; needs an available licence unless free; published_at is set the first time), inactive takes it off sale. A sold_out product (an exclusive licence sold) cannot go on sale again; a suspended one is the moderators' (403 on status). Another's product is 403 (404 if hidden from you). One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "products")] as const,
  request: { params: ProductIdParamSchema, body: jsonBody(UpdateProductSchema) },
  responses: { 200: json("The product as edited", ProductSchema), ...writeErrors, 409: problems[409], 429: problems[429] },
});

export const deleteProductRoute = createRoute({
  method: "delete",
  path: "/v1/products/{id}",
  tags,
  summary: "Delete a product (its seller)",
  description: "A soft delete: it leaves the catalogue, storefront, favourites and search at once; its buyers keep it in their orders. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: ProductIdParamSchema },
  responses: { 204: { description: "Deleted" }, ...writeErrors },
});

export const browseRoute = createRoute({
  method: "get",
  path: "/v1/products",
  tags,
  summary: "Browse the catalogue",
  description: `Listed products, filtered (category; tags: every one given; price range over the listed price; genre, case-insensitive; bpm range; key) and sorted: newest (first published), popular (most sold), price_asc, price_desc; by cursor (a cursor belongs to its sort). ${VISIBILITY} One database round trip.`,
  security: optionalBearer,
  request: { query: BrowseQuerySchema },
  responses: { 200: json("A page of products", ProductListSchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});

export const storefrontRoute = createRoute({
  method: "get",
  path: "/v1/users/{username}/products",
  tags,
  summary: "A seller's storefront",
  description: "The seller's listed products, with the catalogue's filters and sorts. 404 for a deleted, banned or unknown seller, or one with a block either way with you. One database round trip.",
  security: optionalBearer,
  request: { params: UsernameParamSchema, query: BrowseQuerySchema },
  responses: { 200: json("A page of products", ProductListSchema), ...readErrors },
});

export const myProductsRoute = createRoute({
  method: "get",
  path: "/v1/me/products",
  tags,
  summary: "My products, drafts included",
  description: "Every product of mine that is not deleted, newest first, by cursor; `status` narrows it. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { query: MyProductsQuerySchema },
  responses: { 200: json("A page of products", ProductListSchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});

export const previewRoute = createRoute({
  method: "get",
  path: "/v1/products/{id}/preview",
  tags,
  summary: "A product's preview audio",
  description: `Streamed with byte ranges (206). ${VISIBILITY} One database round trip.`,
  security: optionalBearer,
  request: { params: ProductIdParamSchema },
  responses: { 200: bytes("The audio", "audio/mpeg", "audio/wav", "audio/flac"), 206: bytes("Part of the audio", "audio/mpeg"), ...readErrors, 416: problems[416] },
});

export const imageRoute = createRoute({
  method: "get",
  path: "/v1/products/{id}/images/{fileId}",
  tags,
  summary: "One of a product's images",
  description: `Only files the product lists as images (never its deliverables). ${VISIBILITY} One database round trip.`,
  security: optionalBearer,
  request: { params: ImageParamSchema },
  responses: { 200: bytes("The image", "image/png", "image/jpeg", "image/webp"), ...readErrors, 416: problems[416] },
});
