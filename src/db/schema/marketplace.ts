// Marketplace: spec §10 (+ Stripe Connect seller accounts and webhook events). Mirrors
// migrations/0007_marketplace.sql, the source of truth: CHECKs, indexes and the triggers that keep the
// counters (sale/favourite/review counts, licence sold_count, discount usage_count, cart totals) live there.
import { sql } from "drizzle-orm";
import { pgTable, uuid, varchar, text, integer, boolean, timestamp, jsonb, numeric, char } from "drizzle-orm/pg-core";
import { orderStatus } from "./enums";
import { users } from "./accounts";
import { files } from "./files";

const ts = (name: string) => timestamp(name, { withTimezone: true });
const money = (name: string) => numeric(name, { precision: 10, scale: 2 });

export type ProductCategory = "sample" | "beat" | "preset" | "template" | "service" | "course";
export type PricingModel = "fixed" | "pwyw" | "free";
export type ProductStatus = "draft" | "active" | "inactive" | "suspended" | "sold_out";
export type PaymentMethod = "stripe" | "paypal";
export type PayoutMethod = "stripe_connect" | "paypal" | "bank_transfer";
export type PayoutStatus = "pending" | "processing" | "completed" | "failed" | "cancelled";
export type DiscountType = "percentage" | "fixed_amount";
/** Signed amounts (0025): per order sum(payment, refund) = sum(sale, commission); per seller balance = sum(sale) + sum(payout). */
export type TransactionType = "payment" | "refund" | "payout" | "commission" | "fee" | "adjustment" | "sale";
export type TransactionStatus = "pending" | "completed" | "failed" | "cancelled";
export type PaymentProvider = "stripe" | "paypal" | "internal";

/** §10.1. pwyw needs minimum_price <= price (price is then the suggested price); free needs price 0. */
export const products = pgTable("products", {
  id: uuid("id").primaryKey().defaultRandom(),
  sellerId: uuid("seller_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  name: varchar("name", { length: 255 }).notNull(),
  slug: varchar("slug", { length: 255 }).notNull(),
  description: text("description").notNull(),
  category: varchar("category", { length: 100 }).$type<ProductCategory>().notNull(),
  tags: varchar("tags", { length: 50 }).array(),
  price: money("price").notNull(),
  currency: char("currency", { length: 3 }).notNull().default("USD"),
  pricingModel: varchar("pricing_model", { length: 50 }).$type<PricingModel>().notNull().default("fixed"),
  minimumPrice: money("minimum_price"),
  previewFileId: uuid("preview_file_id").references(() => files.id, { onDelete: "set null" }),
  demoUrl: text("demo_url"),
  downloadFileIds: uuid("download_file_ids").array(),
  imageFileIds: uuid("image_file_ids").array(),
  thumbnailUrl: text("thumbnail_url"),
  bpm: integer("bpm"),
  musicalKey: varchar("musical_key", { length: 10 }),
  genre: varchar("genre", { length: 100 }),
  formats: varchar("formats", { length: 50 }).array(),
  licenseType: varchar("license_type", { length: 100 }),
  status: varchar("status", { length: 50 }).$type<ProductStatus>().notNull().default("draft"),
  viewCount: integer("view_count").notNull().default(0),
  favoriteCount: integer("favorite_count").notNull().default(0),
  saleCount: integer("sale_count").notNull().default(0),
  reviewCount: integer("review_count").notNull().default(0),
  averageRating: numeric("average_rating", { precision: 3, scale: 2 }).notNull().default("0"),
  publishedAt: ts("published_at"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  deletedAt: ts("deleted_at"),
  /** 0026: set by a moderator's suspension (status 'suspended'), cleared when it is lifted. */
  suspensionReason: text("suspension_reason"),
  suspendedAt: ts("suspended_at"),
});

/** §10.2. sold_count is kept by order_items; the database refuses a sale beyond distribution_limit. */
export const productLicenses = pgTable("product_licenses", {
  id: uuid("id").primaryKey().defaultRandom(),
  productId: uuid("product_id").notNull().references(() => products.id, { onDelete: "cascade" }),
  name: varchar("name", { length: 255 }).notNull(),
  description: text("description"),
  price: money("price").notNull(),
  terms: text("terms").notNull(),
  usageRights: jsonb("usage_rights"),
  isExclusive: boolean("is_exclusive").notNull().default(false),
  distributionLimit: integer("distribution_limit"),
  soldCount: integer("sold_count").notNull().default(0),
  isActive: boolean("is_active").notNull().default(true),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  deletedAt: ts("deleted_at"),
});

/** §10.3. item_count/subtotal follow cart_items; total is always subtotal + tax_total. */
export const carts = pgTable("carts", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  itemCount: integer("item_count").notNull().default(0),
  subtotal: money("subtotal").notNull().default("0"),
  taxTotal: money("tax_total").notNull().default("0"),
  total: money("total").notNull().default("0"),
  /** 0025: the code applied to the cart, checked again at checkout. */
  discountCodeId: uuid("discount_code_id").references(() => discountCodes.id, { onDelete: "set null" }),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** §10.4. One line per product per cart. */
export const cartItems = pgTable("cart_items", {
  id: uuid("id").primaryKey().defaultRandom(),
  cartId: uuid("cart_id").notNull().references(() => carts.id, { onDelete: "cascade" }),
  productId: uuid("product_id").notNull().references(() => products.id, { onDelete: "cascade" }),
  licenseId: uuid("license_id").references(() => productLicenses.id, { onDelete: "set null" }),
  price: money("price").notNull(),
  addedAt: ts("added_at").notNull().defaultNow(),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** §10.10. code is unique case-insensitively: look it up with `upper(code) = upper($1)`. */
export const discountCodes = pgTable("discount_codes", {
  id: uuid("id").primaryKey().defaultRandom(),
  code: varchar("code", { length: 50 }).notNull(),
  discountType: varchar("discount_type", { length: 50 }).$type<DiscountType>().notNull(),
  discountValue: money("discount_value").notNull(),
  minimumPurchaseAmount: money("minimum_purchase_amount"),
  maximumDiscountAmount: money("maximum_discount_amount"),
  usageLimit: integer("usage_limit"),
  usageCount: integer("usage_count").notNull().default(0),
  validFrom: ts("valid_from").notNull(),
  validUntil: ts("valid_until").notNull(),
  isActive: boolean("is_active").notNull().default(true),
  creatorId: uuid("creator_id").references(() => users.id, { onDelete: "set null" }),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** §10.5. Kept 7 years (§18): no soft delete, and the buyer link is nulled rather than cascaded. */
export const orders = pgTable("orders", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
  orderNumber: varchar("order_number", { length: 50 }).notNull()
    .default(sql`'ORD-' || to_char(now(), 'YYYY') || '-' || lpad(nextval('order_number_seq')::text, 5, '0')`),
  subtotal: money("subtotal").notNull(),
  taxTotal: money("tax_total").notNull(),
  discountTotal: money("discount_total").notNull().default("0"),
  total: money("total").notNull(),
  currency: char("currency", { length: 3 }).notNull().default("USD"),
  paymentMethod: varchar("payment_method", { length: 50 }).$type<PaymentMethod>(),
  paymentIntentId: varchar("payment_intent_id", { length: 255 }),
  stripeCheckoutSessionId: varchar("stripe_checkout_session_id", { length: 255 }),
  /** 0027: the session's URL, answered again to a checkout retried with the same Idempotency-Key. */
  stripeCheckoutUrl: text("stripe_checkout_url"),
  idempotencyKey: varchar("idempotency_key", { length: 255 }),
  discountCodeId: uuid("discount_code_id").references(() => discountCodes.id, { onDelete: "set null" }),
  status: orderStatus("status").notNull().default("pending"),
  billingEmail: varchar("billing_email", { length: 255 }).notNull(),
  billingName: varchar("billing_name", { length: 255 }),
  billingAddress: jsonb("billing_address"),
  paidAt: ts("paid_at"),
  completedAt: ts("completed_at"),
  cancelledAt: ts("cancelled_at"),
  refundedAt: ts("refunded_at"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** §10.6. Inserting an item takes a unit of its licence (fails when sold out); revoked_at releases it. */
export const orderItems = pgTable("order_items", {
  id: uuid("id").primaryKey().defaultRandom(),
  orderId: uuid("order_id").notNull().references(() => orders.id, { onDelete: "cascade" }),
  productId: uuid("product_id").notNull().references(() => products.id, { onDelete: "restrict" }),
  licenseId: uuid("license_id").references(() => productLicenses.id, { onDelete: "set null" }),
  productName: varchar("product_name", { length: 255 }).notNull(),
  productDescription: text("product_description"),
  sellerId: uuid("seller_id").notNull().references(() => users.id, { onDelete: "restrict" }),
  price: money("price").notNull(),
  downloadFileIds: uuid("download_file_ids").array(),
  downloadCount: integer("download_count").notNull().default(0),
  licenseKey: varchar("license_key", { length: 255 }),
  licenseTerms: text("license_terms"),
  revokedAt: ts("revoked_at"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** §10.7. One review per order item; products.review_count/average_rating follow live reviews. */
export const productReviews = pgTable("product_reviews", {
  id: uuid("id").primaryKey().defaultRandom(),
  productId: uuid("product_id").notNull().references(() => products.id, { onDelete: "cascade" }),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  orderItemId: uuid("order_item_id").notNull().references(() => orderItems.id, { onDelete: "cascade" }),
  rating: integer("rating").notNull(),
  title: varchar("title", { length: 255 }),
  content: text("content"),
  isVerifiedPurchase: boolean("is_verified_purchase").notNull().default(true),
  sellerResponse: text("seller_response"),
  sellerRespondedAt: ts("seller_responded_at"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  deletedAt: ts("deleted_at"),
});

/** §10.8. */
export const productFavorites = pgTable("product_favorites", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  productId: uuid("product_id").notNull().references(() => products.id, { onDelete: "cascade" }),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** §10.9. */
export const sellerPayouts = pgTable("seller_payouts", {
  id: uuid("id").primaryKey().defaultRandom(),
  sellerId: uuid("seller_id").notNull().references(() => users.id, { onDelete: "restrict" }),
  payoutNumber: varchar("payout_number", { length: 50 }).notNull()
    .default(sql`'PAY-' || to_char(now(), 'YYYY') || '-' || lpad(nextval('payout_number_seq')::text, 5, '0')`),
  amount: money("amount").notNull(),
  currency: char("currency", { length: 3 }).notNull().default("USD"),
  payoutMethod: varchar("payout_method", { length: 50 }).$type<PayoutMethod>().notNull(),
  payoutAccountId: varchar("payout_account_id", { length: 255 }),
  stripeTransferId: varchar("stripe_transfer_id", { length: 255 }),
  status: varchar("status", { length: 50 }).$type<PayoutStatus>().notNull().default("pending"),
  processedAt: ts("processed_at"),
  completedAt: ts("completed_at"),
  failedAt: ts("failed_at"),
  failureReason: text("failure_reason"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** §10.11. Inserting a usage takes one use of the code (fails once usage_limit is reached). */
export const discountCodeUsage = pgTable("discount_code_usage", {
  id: uuid("id").primaryKey().defaultRandom(),
  discountCodeId: uuid("discount_code_id").notNull().references(() => discountCodes.id, { onDelete: "cascade" }),
  orderId: uuid("order_id").notNull().references(() => orders.id, { onDelete: "cascade" }),
  userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
  discountAmount: money("discount_amount").notNull(),
  usedAt: ts("used_at").notNull().defaultNow(),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** §10.12. (provider, provider_transaction_id, transaction_type) is unique: a replayed webhook conflicts. */
export const transactions = pgTable("transactions", {
  id: uuid("id").primaryKey().defaultRandom(),
  transactionType: varchar("transaction_type", { length: 50 }).$type<TransactionType>().notNull(),
  userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
  orderId: uuid("order_id").references(() => orders.id, { onDelete: "set null" }),
  payoutId: uuid("payout_id").references(() => sellerPayouts.id, { onDelete: "set null" }),
  amount: money("amount").notNull(),
  currency: char("currency", { length: 3 }).notNull().default("USD"),
  provider: varchar("provider", { length: 50 }).$type<PaymentProvider>().notNull(),
  providerTransactionId: varchar("provider_transaction_id", { length: 255 }),
  status: varchar("status", { length: 50 }).$type<TransactionStatus>().notNull().default("pending"),
  metadata: jsonb("metadata"),
  completedAt: ts("completed_at"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** A seller's Stripe Connect account, updated from account.updated webhooks. */
export const sellerAccounts = pgTable("seller_accounts", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  stripeAccountId: varchar("stripe_account_id", { length: 255 }).notNull(),
  chargesEnabled: boolean("charges_enabled").notNull().default(false),
  payoutsEnabled: boolean("payouts_enabled").notNull().default(false),
  detailsSubmitted: boolean("details_submitted").notNull().default(false),
  onboardedAt: ts("onboarded_at"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** Stripe webhook events: insert ON CONFLICT (stripe_event_id) DO NOTHING to process each once. */
export const stripeEvents = pgTable("stripe_events", {
  id: uuid("id").primaryKey().defaultRandom(),
  stripeEventId: varchar("stripe_event_id", { length: 255 }).notNull(),
  type: varchar("type", { length: 255 }).notNull(),
  payload: jsonb("payload").notNull(),
  processedAt: ts("processed_at"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});
