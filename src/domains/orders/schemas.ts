import { z } from "@hono/zod-openapi";
import { ListQuerySchema, money } from "../cart/schemas";

/** Orders, purchases, sales and downloads (spec §10.5, §10.6). Money: DECIMAL(10,2) strings. */

export { ListQuerySchema };
const timestamp = z.string().openapi({ format: "date-time", example: "2026-03-01T12:00:00.000Z" });
export const ORDER_STATUSES = ["pending", "paid", "processing", "completed", "cancelled", "refunded"] as const;

export const CheckoutSchema = z
  .object({
    billing_email: z.email().max(255).optional().openapi({ description: "Where the receipt goes; your account's email when left out" }),
    billing_name: z.string().trim().min(1).max(255).optional(),
  })
  .openapi("Checkout");

export const CheckoutHeadersSchema = z.object({
  "idempotency-key": z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, "1 to 255 visible ASCII characters")
    .optional()
    .openapi({ description: "Makes a retried checkout safe: the same key answers the same order and payment link" }),
});

export const OrderItemSchema = z
  .object({
    id: z.uuid(),
    product_id: z.uuid(),
    product_name: z.string().openapi({ description: "As it was when ordered" }),
    seller: z.object({ id: z.uuid(), username: z.string() }),
    license: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    license_key: z.string().nullable().openapi({ description: "Issued once the order is paid", example: "VEZA-7K2M-Q9XD-4HTR-PW3C" }),
    license_terms: z.string().nullable().openapi({ description: "The licence's terms as they were when ordered" }),
    price: money.openapi({ description: "What this item cost, after its share of the discount" }),
    download_count: z.number().int(),
    revoked: z.boolean().openapi({ description: "Cancelled or refunded: no more downloads" }),
  })
  .openapi("OrderItem");

export const OrderSchema = z
  .object({
    id: z.uuid(),
    order_number: z.string().openapi({ example: "ORD-2026-00042" }),
    status: z.enum(ORDER_STATUSES),
    currency: z.string().length(3),
    subtotal: money,
    discount_total: money,
    tax_total: money,
    total: money,
    discount_code: z.string().nullable(),
    billing_email: z.string(),
    billing_name: z.string().nullable(),
    payment_method: z.string().nullable(),
    checkout_url: z.string().nullable().openapi({ description: "Where to pay, while the order is pending" }),
    items: z.array(OrderItemSchema),
    created_at: timestamp,
    paid_at: timestamp.nullable(),
    cancelled_at: timestamp.nullable(),
    refunded_at: timestamp.nullable(),
  })
  .openapi("Order");

export const CheckoutResultSchema = z
  .object({
    order: OrderSchema,
    checkout_url: z.string().nullable().openapi({ description: "Stripe Checkout's page; null for a free order, complete at once" }),
  })
  .openapi("CheckoutResult");

export const OrderListSchema = z.object({ items: z.array(OrderSchema), next_cursor: z.string().nullable() }).openapi("OrderList");

export const OrderRefParamSchema = z.object({
  idOrNumber: z
    .string()
    .regex(/^([0-9a-fA-F-]{36}|ORD-[0-9]{4}-[0-9]{5,})$/, "an order id or number (ORD-YYYY-NNNNN)")
    .openapi({ param: { name: "idOrNumber", in: "path" }, example: "ORD-2026-00042" }),
});
export const OrderIdParamSchema = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });

export const PurchaseFileSchema = z
  .object({ id: z.uuid(), filename: z.string(), size: z.number().int(), available: z.boolean() })
  .openapi("PurchaseFile");

export const PurchaseSchema = z
  .object({
    order_item_id: z.uuid(),
    order_id: z.uuid(),
    order_number: z.string(),
    product: z.object({ id: z.uuid(), name: z.string(), slug: z.string().nullable() }),
    seller: z.object({ id: z.uuid(), username: z.string() }),
    license: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    license_key: z.string().nullable(),
    license_terms: z.string().nullable(),
    price: money,
    currency: z.string().length(3),
    download_count: z.number().int(),
    downloadable: z.boolean().openapi({ description: "false when the seller's account is banned or deleted" }),
    files: z.array(PurchaseFileSchema),
    purchased_at: timestamp,
  })
  .openapi("Purchase");

export const PurchaseListSchema = z.object({ items: z.array(PurchaseSchema), next_cursor: z.string().nullable() }).openapi("PurchaseList");

export const SaleSchema = z
  .object({
    order_item_id: z.uuid(),
    order_number: z.string(),
    status: z.enum(ORDER_STATUSES),
    product: z.object({ id: z.uuid(), name: z.string() }),
    license: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    price: money,
    currency: z.string().length(3),
    buyer: z.object({ username: z.string() }).nullable().openapi({ description: "The buyer's username only; null once their account is gone" }),
    revoked: z.boolean(),
    sold_at: timestamp,
  })
  .openapi("Sale");

export const SaleListSchema = z.object({ items: z.array(SaleSchema), next_cursor: z.string().nullable() }).openapi("SaleList");

export const OrderItemParamSchema = z.object({ orderItemId: z.uuid().openapi({ param: { name: "orderItemId", in: "path" } }) });
export const DownloadRequestSchema = z.object({ file_id: z.uuid() }).openapi("DownloadRequest");
export const DownloadLinkSchema = z
  .object({ url: z.string().openapi({ example: "/v1/downloads/…/…?exp=…&sig=…" }), expires_at: timestamp })
  .openapi("DownloadLink");
export const DownloadParamSchema = z.object({
  orderItemId: z.uuid().openapi({ param: { name: "orderItemId", in: "path" } }),
  fileId: z.uuid().openapi({ param: { name: "fileId", in: "path" } }),
});
export const SignedQuerySchema = z.object({ exp: z.string().max(20).optional(), sig: z.string().max(100).optional() });

export type Order = z.infer<typeof OrderSchema>;
export type CheckoutInput = z.infer<typeof CheckoutSchema>;
export type Purchase = z.infer<typeof PurchaseSchema>;
export type Sale = z.infer<typeof SaleSchema>;
