/** The marketplace shapes, from the API's own zod schemas (type-only). */
import type { z } from "zod";
import type { BrowseQuerySchema, FavoriteStateSchema, LicenseSchema, ProductListSchema, ProductSchema, ProductSummarySchema } from "../../../../src/domains/products/schemas";
import type { AddCartItemSchema, CartSchema } from "../../../../src/domains/cart/schemas";
import type { CheckoutResultSchema, DownloadLinkSchema, OrderListSchema, OrderSchema, PurchaseListSchema } from "../../../../src/domains/orders/schemas";
import type { CreateReviewSchema, ReviewListSchema, ReviewSchema } from "../../../../src/domains/reviews/schemas";

export type Product = z.infer<typeof ProductSchema>;
export type ProductSummary = z.infer<typeof ProductSummarySchema>;
export type ProductList = z.infer<typeof ProductListSchema>;
export type License = z.infer<typeof LicenseSchema>;
export type FavoriteState = z.infer<typeof FavoriteStateSchema>;
export type BrowseQuery = z.input<typeof BrowseQuerySchema>;
export type Category = Product["category"];
export type Sort = NonNullable<BrowseQuery["sort"]>;
export type Cart = z.infer<typeof CartSchema>;
export type CartLine = Cart["items"][number];
export type AddCartItemBody = z.input<typeof AddCartItemSchema>;
export type Order = z.infer<typeof OrderSchema>;
export type OrderList = z.infer<typeof OrderListSchema>;
export type CheckoutResult = z.infer<typeof CheckoutResultSchema>;
export type PurchaseList = z.infer<typeof PurchaseListSchema>;
export type Purchase = PurchaseList["items"][number];
export type DownloadLink = z.infer<typeof DownloadLinkSchema>;
export type Review = z.infer<typeof ReviewSchema>;
export type ReviewList = z.infer<typeof ReviewListSchema>;
export type CreateReviewBody = z.input<typeof CreateReviewSchema>;

export const CATEGORY_LABELS: Record<Category, string> = {
  sample: "Samples",
  beat: "Beats",
  preset: "Presets",
  template: "Templates",
  service: "Services",
  course: "Courses",
};

export const SORT_LABELS: Record<Sort, string> = {
  newest: "Newest",
  popular: "Best selling",
  price_asc: "Price: low to high",
  price_desc: "Price: high to low",
};
