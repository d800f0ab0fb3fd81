import { z } from "@hono/zod-openapi";
import { TrackListQuerySchema } from "../tracks/schemas";

/** The shapes of the sellers' side of the marketplace (Stripe Connect, earnings, ledger, payouts §10.9, §10.12). */

const timestamp = z.string().openapi({ format: "date-time", example: "2026-03-01T12:00:00.000Z" });
/** DECIMAL(10,2) as the database and the API spell money. */
const money = z.string().openapi({ example: "12.50" });
const currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, "must be a 3-letter ISO 4217 code")
  .transform((c) => c.toUpperCase())
  .openapi({ description: "ISO 4217 code; defaults to USD", example: "USD" });

export const LinkSchema = z
  .object({ url: z.string().openapi({ description: "Open it in the browser; it expires within minutes" }), expires_at: timestamp.nullable() })
  .openapi("StripeLink");

export const BalanceSchema = z
  .object({ currency: z.string(), available: money.openapi({ description: "Sales after commission and refunds, minus payouts not failed" }) })
  .openapi("SellerBalance");

export const SellerStatusSchema = z
  .object({
    account: z
      .object({
        stripe_account_id: z.string(),
        details_submitted: z.boolean(),
        charges_enabled: z.boolean(),
        payouts_enabled: z.boolean(),
        onboarded_at: timestamp.nullable(),
      })
      .nullable()
      .openapi({ description: "Your Stripe Connect account, or null before onboarding" }),
    balances: z.array(BalanceSchema).openapi({ description: "One per currency you have sold in" }),
  })
  .openapi("SellerStatus");

/** Ten years of months at most in one dashboard. */
export const MAX_PERIOD_DAYS = 3660;
const day = z.iso.date().openapi({ example: "2026-03-01" });
export const EarningsQuerySchema = z
  .object({
    from: day.optional().openapi({ description: "First day (UTC) counted; defaults to 11 months before the first of this month" }),
    to: day.optional().openapi({ description: "Last day (UTC) counted, inclusive; defaults to today" }),
    currency: currency.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "must not be after to", path: ["from"] })
  .refine((q) => !q.from || Date.parse(q.to ?? new Date().toISOString().slice(0, 10)) - Date.parse(q.from) <= MAX_PERIOD_DAYS * 86_400_000, {
    message: `the period is at most ${MAX_PERIOD_DAYS} days`,
    path: ["from"],
  });

const figures = {
  gross_sales: money.openapi({ description: "What buyers paid for your items, before commission and refunds" }),
  commission: money.openapi({ description: "The platform's commission, net of refunded commission" }),
  refunded: money.openapi({ description: "Gross amount of your sales refunded to buyers" }),
  net: money.openapi({ description: "Your share: gross − refunded − commission (the ledger's `sale` rows)" }),
  paid_out: money.openapi({ description: "Payouts made or under way, net of reversals" }),
};

export const EarningsSchema = z
  .object({
    currency: z.string(),
    from: day,
    to: day,
    ...figures,
    sales_count: z.number().int().openapi({ description: "Items sold in the period, not refunded" }),
    available_balance: money.openapi({ description: "All time, not limited to the period: what a payout may take now" }),
    products: z.array(
      z
        .object({ product_id: z.uuid(), product_name: z.string(), sales_count: z.number().int(), gross_sales: money })
        .openapi("EarningsProduct"),
    ),
    months: z.array(
      z.object({ month: z.string().openapi({ example: "2026-03" }), ...figures, sales_count: z.number().int() }).openapi("EarningsMonth"),
    ),
  })
  .openapi("SellerEarnings");

export const LEDGER_TYPES = ["sale", "commission", "payout"] as const;
export const LedgerQuerySchema = TrackListQuerySchema.extend({ type: z.enum(LEDGER_TYPES).optional() });

export const LedgerEntrySchema = z
  .object({
    id: z.uuid(),
    type: z.enum(LEDGER_TYPES),
    amount: money.openapi({ description: "Signed: a refund's reversal and a payout are negative, a reversed payout positive" }),
    currency: z.string(),
    status: z.string(),
    order_id: z.uuid().nullable(),
    payout_id: z.uuid().nullable(),
    created_at: timestamp,
    completed_at: timestamp.nullable(),
  })
  .openapi("LedgerEntry");
export const LedgerSchema = z.object({ items: z.array(LedgerEntrySchema), next_cursor: z.string().nullable() }).openapi("SellerLedger");

export const CreatePayoutSchema = z
  .object({
    amount: z
      .string()
      .regex(/^\d{1,8}(\.\d{1,2})?$/, "must be a positive amount with at most 2 decimals, e.g. \"25.00\"")
      .optional()
      .openapi({ description: "Defaults to the whole available balance", example: "25.00" }),
    currency: currency.optional(),
  })
  .openapi("CreatePayout");
export type CreatePayoutInput = z.infer<typeof CreatePayoutSchema>;

export const PayoutSchema = z
  .object({
    id: z.uuid(),
    payout_number: z.string(),
    amount: money,
    currency: z.string(),
    status: z.enum(["pending", "processing", "completed", "failed", "cancelled"]).openapi({
      description: "pending: not yet sent to Stripe (or Stripe did not answer; its webhook settles it); processing: transfer created; completed: confirmed by Stripe; failed: refused or reversed (the amount is available again)",
    }),
    failure_reason: z.string().nullable(),
    created_at: timestamp,
    processed_at: timestamp.nullable(),
    completed_at: timestamp.nullable(),
    failed_at: timestamp.nullable(),
  })
  .openapi("SellerPayout");
export type Payout = z.infer<typeof PayoutSchema>;
export const PayoutListQuerySchema = TrackListQuerySchema;
export const PayoutListSchema = z.object({ items: z.array(PayoutSchema), next_cursor: z.string().nullable() }).openapi("SellerPayoutList");
