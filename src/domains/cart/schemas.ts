import { z } from "@hono/zod-openapi";

/**
 * The cart and discount codes (spec §10.3, §10.4, §10.10). Money is a DECIMAL(10,2) string, as in
 * the database ("12.50"); limits mirror migrations/0007_marketplace.sql so bad input is a 422.
 */

const timestamp = z.string().openapi({ format: "date-time", example: "2026-03-01T12:00:00.000Z" });
export const money = z.string().openapi({ example: "12.50", description: "A decimal amount with two decimals, in the line's currency" });
/** An amount a client sends: up to 999 999.99 (Stripe's ceiling for one payment), two decimals at most. */
export const moneyInput = z
  .string()
  .regex(/^\d{1,6}(\.\d{1,2})?$/, "must be an amount like 12.50 (at most 999999.99)")
  .openapi({ example: "12.50" });

export const AddCartItemSchema = z
  .object({
    product_id: z.uuid(),
    license_id: z.uuid().optional().openapi({ description: "Required when the product has licences: the one you buy" }),
    amount: moneyInput.optional().openapi({
      description:
        "Pay what you want: what you pay, at least the product's minimum_price (or the chosen licence's price); left out, the suggested price. Ignored for fixed-price and free products.",
    }),
  })
  .openapi("AddCartItem");

export const ProductIdParamSchema = z.object({ productId: z.uuid().openapi({ param: { name: "productId", in: "path" } }) });

export const ApplyDiscountSchema = z
  .object({ code: z.string().trim().min(1).max(50).openapi({ example: "SUMMER25", description: "Case-insensitive" }) })
  .openapi("ApplyDiscount");

export const CartLineSchema = z
  .object({
    product_id: z.uuid(),
    product_name: z.string(),
    product_slug: z.string(),
    seller: z.object({ id: z.uuid(), username: z.string() }),
    license: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    price: money.openapi({ description: "The price when you added it: what checkout charges" }),
    current_price: money.openapi({ description: "What it would cost if added now (pay what you want: the minimum)" }),
    price_changed: z.boolean().openapi({ description: "The seller changed the price since you added it: checkout refuses the cart until you add it again (at the new price) or remove it" }),
    available: z.boolean(),
    unavailable_reason: z.enum(["sold_out", "not_on_sale", "license_required", "license_withdrawn"]).nullable(),
    discount: money.openapi({ description: "This line's share of the cart's discount" }),
    currency: z.string().length(3),
    added_at: timestamp,
  })
  .openapi("CartLine");

export const CartSchema = z
  .object({
    id: z.uuid().nullable().openapi({ description: "null until the first item is added" }),
    currency: z.string().length(3).nullable().openapi({ description: "A cart holds one currency; null when empty" }),
    items: z.array(CartLineSchema),
    item_count: z.number().int(),
    subtotal: money,
    discount: money,
    total: money.openapi({ description: "subtotal − discount: what checkout charges" }),
    discount_code: z
      .object({
        code: z.string(),
        discount_type: z.enum(["percentage", "fixed_amount"]),
        discount_value: money,
        applies: z.boolean(),
        reason: z.string().nullable().openapi({ description: "Why the code gives nothing right now (expired, minimum not reached, ...)" }),
      })
      .nullable(),
  })
  .openapi("Cart");

export type Cart = z.infer<typeof CartSchema>;
export type AddCartItemInput = z.infer<typeof AddCartItemSchema>;

const DISCOUNT_TYPES = ["percentage", "fixed_amount"] as const;

export const CreateDiscountCodeSchema = z
  .object({
    code: z.string().regex(/^[A-Za-z0-9_-]{3,50}$/, "3 to 50 letters, digits, - or _").openapi({ example: "SUMMER25" }),
    discount_type: z.enum(DISCOUNT_TYPES),
    discount_value: moneyInput.openapi({ description: "Percent (up to 100) or an amount" }),
    minimum_purchase_amount: moneyInput.optional(),
    maximum_discount_amount: moneyInput.optional(),
    usage_limit: z.number().int().min(1).max(1_000_000).optional(),
    valid_from: z.iso.datetime({ offset: true }),
    valid_until: z.iso.datetime({ offset: true }),
  })
  .refine((v) => Number(v.discount_value) > 0, { path: ["discount_value"], message: "must be more than 0" })
  .refine((v) => v.discount_type !== "percentage" || Number(v.discount_value) <= 100, { path: ["discount_value"], message: "a percentage is at most 100" })
  .refine((v) => v.maximum_discount_amount === undefined || Number(v.maximum_discount_amount) > 0, { path: ["maximum_discount_amount"], message: "must be more than 0" })
  .refine((v) => Date.parse(v.valid_until) > Date.parse(v.valid_from), { path: ["valid_until"], message: "must be after valid_from" })
  .openapi("CreateDiscountCode");

export const UpdateDiscountCodeSchema = z
  .object({
    is_active: z.boolean().optional(),
    valid_until: z.iso.datetime({ offset: true }).optional(),
    usage_limit: z.number().int().min(1).max(1_000_000).nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "change at least one field" })
  .openapi("UpdateDiscountCode");

export const DiscountCodeIdParamSchema = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });

export const DiscountCodeSchema = z
  .object({
    id: z.uuid(),
    code: z.string(),
    discount_type: z.enum(DISCOUNT_TYPES),
    discount_value: money,
    minimum_purchase_amount: money.nullable(),
    maximum_discount_amount: money.nullable(),
    usage_limit: z.number().int().nullable(),
    usage_count: z.number().int(),
    valid_from: timestamp,
    valid_until: timestamp,
    is_active: z.boolean(),
    scope: z.enum(["seller", "platform"]).openapi({ description: "seller: discounts only your items in a cart; platform (an administrator's code): the whole cart" }),
    created_at: timestamp,
  })
  .openapi("DiscountCode");

export const ListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

export const DiscountCodeListSchema = z
  .object({ items: z.array(DiscountCodeSchema), next_cursor: z.string().nullable() })
  .openapi("DiscountCodeList");

export type DiscountCode = z.infer<typeof DiscountCodeSchema>;
export type CreateDiscountCodeInput = z.infer<typeof CreateDiscountCodeSchema>;
export type UpdateDiscountCodeInput = z.infer<typeof UpdateDiscountCodeSchema>;
