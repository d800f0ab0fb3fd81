import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { rateLimit } from "../../lib/rate-limit";
import { json, jsonBody, problems, signedIn, writeErrors } from "./responses";
import { VISIBILITY } from "./routes";
import {
  CreateLicenseSchema,
  FavoriteListSchema,
  FavoriteStateSchema,
  LicenseParamSchema,
  LicenseSchema,
  PageQuerySchema,
  ProductIdParamSchema,
  SuspensionSchema,
  SuspensionStateSchema,
  UpdateLicenseSchema,
} from "./schemas";

const tags = ["Products"];

export const createLicenseRoute = createRoute({
  method: "post",
  path: "/v1/products/{id}/licenses",
  tags,
  summary: "Add a licence to my product",
  description:
    "Terms are required; usage_rights is a flat JSON object (e.g. {\"streams\": 100000, \"commercial\": true}); an exclusive licence sells once (distribution_limit 1). Another's product is 403 (404 if hidden from you). One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "product-licenses")] as const,
  request: { params: ProductIdParamSchema, body: jsonBody(CreateLicenseSchema) },
  responses: { 201: json("The licence", LicenseSchema), ...writeErrors, 429: problems[429] },
});

export const updateLicenseRoute = createRoute({
  method: "patch",
  path: "/v1/products/{id}/licenses/{licenseId}",
  tags,
  summary: "Edit a licence of my product",
  description:
    "Once units are sold, what buyers got is frozen: terms, usage_rights and is_exclusive cannot change and distribution_limit can only go down (409; add a new licence instead). Name, description, price (future buyers only) and is_active stay editable. The last licence on sale of an active, non-free product cannot be withdrawn (409). One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "product-licenses")] as const,
  request: { params: LicenseParamSchema, body: jsonBody(UpdateLicenseSchema) },
  responses: { 200: json("The licence as edited", LicenseSchema), ...writeErrors, 409: problems[409], 429: problems[429] },
});

export const deleteLicenseRoute = createRoute({
  method: "delete",
  path: "/v1/products/{id}/licenses/{licenseId}",
  tags,
  summary: "Remove a licence of my product",
  description: "A soft delete: past orders keep pointing at it. Not the last licence on sale of an active, non-free product (409). One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: LicenseParamSchema },
  responses: { 204: { description: "Removed" }, ...writeErrors, 409: problems[409] },
});

export const favoriteRoute = createRoute({
  method: "put",
  path: "/v1/products/{id}/favorite",
  tags,
  summary: "Favourite a product",
  description: `Idempotent. ${VISIBILITY} One database round trip.`,
  security: signedIn,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "product-favorites")] as const,
  request: { params: ProductIdParamSchema },
  responses: { 200: json("Favourited, and the product's favourites", FavoriteStateSchema), ...writeErrors, 429: problems[429] },
});

export const unfavoriteRoute = createRoute({
  method: "delete",
  path: "/v1/products/{id}/favorite",
  tags,
  summary: "Stop favouriting a product",
  description: "Idempotent; works on a favourite whose product has since been hidden from you. One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "product-favorites")] as const,
  request: { params: ProductIdParamSchema },
  responses: { 200: json("Not favourited, and the product's favourites", FavoriteStateSchema), ...writeErrors, 429: problems[429] },
});

export const myFavoritesRoute = createRoute({
  method: "get",
  path: "/v1/me/favorites",
  tags,
  summary: "My favourite products",
  description: "Most recently favourited first, by cursor; products hidden from you since are left out. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { query: PageQuerySchema },
  responses: { 200: json("A page of products", FavoriteListSchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});

export const suspendRoute = createRoute({
  method: "put",
  path: "/v1/products/{id}/suspension",
  tags,
  summary: "Suspend a product (moderators)",
  description: "Moderators and admins: the product leaves the catalogue with a reason its seller sees; the seller cannot lift it. Audited. One database round trip.",
  security: signedIn,
  middleware: [requireAuth("moderator")] as const,
  request: { params: ProductIdParamSchema, body: jsonBody(SuspensionSchema) },
  responses: { 200: json("Suspended", SuspensionStateSchema), ...writeErrors },
});

export const liftSuspensionRoute = createRoute({
  method: "delete",
  path: "/v1/products/{id}/suspension",
  tags,
  summary: "Lift a product's suspension (moderators)",
  description: "Moderators and admins: the product comes back inactive, for its seller to publish again. 409 when it is not suspended. Audited. One database round trip.",
  security: signedIn,
  middleware: [requireAuth("moderator")] as const,
  request: { params: ProductIdParamSchema },
  responses: { 200: json("No longer suspended", SuspensionStateSchema), ...writeErrors, 409: problems[409] },
});
