import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { jsonDoc as json, problemDoc as problem } from "../../lib/problem";
import { rateLimit } from "../../lib/rate-limit";
import {
  AddCartItemSchema,
  ApplyDiscountSchema,
  CartSchema,
  CreateDiscountCodeSchema,
  DiscountCodeIdParamSchema,
  DiscountCodeListSchema,
  DiscountCodeSchema,
  ListQuerySchema,
  ProductIdParamSchema,
  UpdateDiscountCodeSchema,
} from "./schemas";
import { signedIn, jsonBody } from "../../lib/openapi";

const tags = ["Marketplace"];

export const problems = {
  401: problem("The access token sent is invalid, expired or revoked (or none was sent)"),
  403: problem("Not allowed: banned account, your own product, or not a seller"),
  404: problem("No such product or discount code, or one hidden from you"),
  409: problem("The cart or the product does not allow it: sold out, not on sale, another currency, a code used up"),
  422: problem("The request is not valid; `errors` lists each field"),
  429: problem("Too many of these in a minute: wait (Retry-After) and try again"),
} as const;
const auth = { 401: problems[401], 403: problems[403] };

export const getCartRoute = createRoute({
  method: "get",
  path: "/v1/me/cart",
  tags,
  summary: "My cart",
  description:
    "Lines with their price snapshot, the current price (`price_changed` when the seller changed it since), availability, and the totals and discount computed by the server. Lines of deleted products or of banned or deleted sellers are left out. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  responses: { 200: json("The cart (empty, with id null, before the first add)", CartSchema), ...auth },
});

export const addCartItemRoute = createRoute({
  method: "post",
  path: "/v1/me/cart/items",
  tags,
  summary: "Add a product to my cart",
  description:
    "Takes the price snapshot now: a fixed price (the licence's, or the product's), 0 for a free product, or `amount` for pay what you want (at least the minimum). Adding a product already in the cart replaces its line. A cart holds one currency (409 otherwise). Your own product: 403; not on sale or sold out: 409; a product with licences needs `license_id` (422). One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "cart")] as const,
  request: { body: jsonBody(AddCartItemSchema) },
  responses: { 200: json("The cart with the line", CartSchema), ...auth, 404: problems[404], 409: problems[409], 422: problems[422], 429: problems[429] },
});

export const removeCartItemRoute = createRoute({
  method: "delete",
  path: "/v1/me/cart/items/{productId}",
  tags,
  summary: "Remove a product from my cart",
  description: "Idempotent. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: ProductIdParamSchema },
  responses: { 200: json("The cart without it", CartSchema), ...auth, 422: problems[422] },
});

export const clearCartRoute = createRoute({
  method: "delete",
  path: "/v1/me/cart",
  tags,
  summary: "Empty my cart",
  description: "Removes every line and the discount code. Idempotent. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  responses: { 204: { description: "Emptied" }, ...auth },
});

export const applyDiscountRoute = createRoute({
  method: "put",
  path: "/v1/me/cart/discount",
  tags,
  summary: "Apply a discount code to my cart",
  description:
    "Case-insensitive. A seller's code discounts that seller's items; an administrator's code the whole cart. The code must be active and within its validity window, and the items it applies to must reach its minimum purchase (422 otherwise, with the reason); a code used up is 409. The discount (capped by the code's maximum) is shared across the lines it applies to in proportion to their prices. Checkout checks the code again, and takes one use of it atomically. Two database round trips.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "cart-discount")] as const,
  request: { body: jsonBody(ApplyDiscountSchema) },
  responses: { 200: json("The cart with the discount", CartSchema), ...auth, 409: problems[409], 422: problems[422], 429: problems[429] },
});

export const removeDiscountRoute = createRoute({
  method: "delete",
  path: "/v1/me/cart/discount",
  tags,
  summary: "Remove the discount code from my cart",
  description: "Idempotent. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  responses: { 200: json("The cart without a discount", CartSchema), ...auth },
});

export const createDiscountCodeRoute = createRoute({
  method: "post",
  path: "/v1/me/discount-codes",
  tags,
  summary: "Create a discount code",
  description:
    "For sellers (anyone with a product): the code discounts only your items in a buyer's cart, and you bear it. An administrator's code discounts whole carts. Percentage (up to 100) or a fixed amount (in the cart's currency), optional minimum purchase, maximum discount and usage limit; valid from `valid_from` until `valid_until`. Codes are unique case-insensitively (409). One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "discount-codes")] as const,
  request: { body: jsonBody(CreateDiscountCodeSchema) },
  responses: { 201: json("The new code", DiscountCodeSchema), ...auth, 409: problems[409], 422: problems[422], 429: problems[429] },
});

export const listDiscountCodesRoute = createRoute({
  method: "get",
  path: "/v1/me/discount-codes",
  tags,
  summary: "My discount codes",
  description: "Newest first, with their uses so far. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { query: ListQuerySchema },
  responses: { 200: json("A page of codes", DiscountCodeListSchema), ...auth, 422: problems[422] },
});

export const updateDiscountCodeRoute = createRoute({
  method: "patch",
  path: "/v1/me/discount-codes/{id}",
  tags,
  summary: "Deactivate or change one of my discount codes",
  description: "`is_active: false` deactivates it at once (carts holding it lose the discount). Another's code is 404. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: DiscountCodeIdParamSchema, body: jsonBody(UpdateDiscountCodeSchema) },
  responses: { 200: json("The code as changed", DiscountCodeSchema), ...auth, 404: problems[404], 422: problems[422] },
});
