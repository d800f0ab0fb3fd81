import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { jsonDoc as json, problemDoc as problem } from "../../lib/problem";
import { rateLimit } from "../../lib/rate-limit";
import { signedIn } from "../../lib/openapi";
import { bytes } from "../tracks/responses";
import {
  CheckoutHeadersSchema,
  CheckoutResultSchema,
  CheckoutSchema,
  DownloadLinkSchema,
  DownloadParamSchema,
  DownloadRequestSchema,
  ListQuerySchema,
  OrderIdParamSchema,
  OrderItemParamSchema,
  OrderListSchema,
  OrderRefParamSchema,
  OrderSchema,
  PurchaseListSchema,
  SaleListSchema,
  SignedQuerySchema,
} from "./schemas";
import { jsonBody } from "../../lib/openapi";

const tags = ["Marketplace"];
const problems = {
  401: problem("The access token sent is invalid, expired or revoked (or none was sent)"),
  403: problem("Not allowed: banned account, a link not signed or expired, a seller's suspended account"),
  404: problem("No such order, purchase or file of yours"),
  409: problem("The cart or order does not allow it (see detail)"),
  410: problem("The purchase was refunded or cancelled: no more downloads"),
  416: problem("The requested range is not satisfiable"),
  422: problem("The request is not valid; `errors` lists each field"),
  429: problem("Too many of these in a minute: wait (Retry-After) and try again"),
  503: problem("The payment provider cannot be reached, or payments are not configured: nothing was charged or reserved"),
} as const;
const auth = { 401: problems[401], 403: problems[403] };

export const checkoutRoute = createRoute({
  method: "post",
  path: "/v1/me/checkout",
  tags,
  summary: "Check out my cart",
  description:
    "Makes a pending order (ORD-YYYY-NNNNN) of the cart's lines at their snapshot prices, less the discount code's share of each, and a Stripe Checkout Session to pay it (30 minutes). Each item reserves a unit of its licence: an exclusive or capped licence can never be sold twice (409 when it is gone). The code's use is taken atomically: two buyers cannot both take its last use (409). A line whose price changed, or no longer on sale, refuses the checkout (409; add it again or remove it). A free order (total 0) is complete at once, without Stripe. Send an `Idempotency-Key` header: a retry with the same key answers the same order and payment link. Once paid (webhook), the order gets its licence keys and the receipt is mailed. Two database round trips.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "checkout")] as const,
  request: { headers: CheckoutHeadersSchema, body: { required: false, content: { "application/json": { schema: CheckoutSchema } } } },
  responses: {
    201: json("The order and where to pay it", CheckoutResultSchema),
    ...auth,
    409: problems[409],
    422: problems[422],
    429: problems[429],
    503: problems[503],
  },
});

export const listOrdersRoute = createRoute({
  method: "get",
  path: "/v1/me/orders",
  tags,
  summary: "My orders",
  description: "Newest first, with their items. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { query: ListQuerySchema },
  responses: { 200: json("A page of orders", OrderListSchema), ...auth, 422: problems[422] },
});

export const getOrderRoute = createRoute({
  method: "get",
  path: "/v1/me/orders/{idOrNumber}",
  tags,
  summary: "One of my orders",
  description: "By id or number: items, licence keys, the licence terms as ordered, totals and status. Only its buyer sees it (404 for anyone else). One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: OrderRefParamSchema },
  responses: { 200: json("The order", OrderSchema), ...auth, 404: problems[404], 422: problems[422] },
});

export const cancelOrderRoute = createRoute({
  method: "post",
  path: "/v1/me/orders/{id}/cancel",
  tags,
  summary: "Cancel a pending order",
  description: "Expires its Stripe session, releases the licence units it reserved and gives the discount code its use back. Only pending orders (409 otherwise). Two database round trips.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: OrderIdParamSchema },
  responses: { 200: json("The cancelled order", OrderSchema), ...auth, 404: problems[404], 409: problems[409], 422: problems[422], 503: problems[503] },
});

export const listPurchasesRoute = createRoute({
  method: "get",
  path: "/v1/me/purchases",
  tags,
  summary: "My library",
  description: "The items of my paid orders that were not refunded, newest first, with their licence keys and files. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { query: ListQuerySchema },
  responses: { 200: json("A page of purchases", PurchaseListSchema), ...auth, 422: problems[422] },
});

export const listSalesRoute = createRoute({
  method: "get",
  path: "/v1/me/sales",
  tags,
  summary: "What I sold",
  description: "Items of paid (and later refunded) orders of my products, newest first; the buyer by username only. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { query: ListQuerySchema },
  responses: { 200: json("A page of sales", SaleListSchema), ...auth, 422: problems[422] },
});

export const createDownloadRoute = createRoute({
  method: "post",
  path: "/v1/me/purchases/{orderItemId}/downloads",
  tags,
  summary: "A download link for a file I bought",
  description: "A signed link, valid about an hour, to one of the item's files. Refunded or cancelled purchases: 410. One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "downloads")] as const,
  request: { params: OrderItemParamSchema, body: jsonBody(DownloadRequestSchema) },
  responses: { 200: json("The link", DownloadLinkSchema), ...auth, 404: problems[404], 409: problems[409], 410: problems[410], 422: problems[422], 429: problems[429] },
});

export const downloadRoute = createRoute({
  method: "get",
  path: "/v1/downloads/{orderItemId}/{fileId}",
  tags,
  summary: "Download a purchased file (signed link)",
  description:
    "Streams the file as an attachment under its original name; Range honoured. The link's signature is checked, and the purchase again: once it is refunded the link answers 410 even before it expires. Counts a download per request from the first byte. One database round trip.",
  request: { params: DownloadParamSchema, query: SignedQuerySchema },
  responses: {
    200: bytes("The file", "application/octet-stream"),
    206: bytes("Part of the file (Range)", "application/octet-stream"),
    403: problems[403],
    404: problems[404],
    409: problems[409],
    410: problems[410],
    416: problems[416],
    422: problems[422],
  },
});
