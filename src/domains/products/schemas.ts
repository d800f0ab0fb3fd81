import { z } from "@hono/zod-openapi";

/**
 * The shapes of the catalogue (spec §10.1, §10.2, §10.8), shared by routes, services and tests.
 * Limits mirror migrations/0007_marketplace.sql and 0026_product_catalogue.sql (VARCHAR lengths,
 * DECIMAL(10,2), the bpm range, ≤ 10 tags), so bad input is a 422 with a field path, never a 23514.
 * Money travels as strings with two decimals ("12.50"), as the database holds it.
 */

export const CATEGORIES = ["sample", "beat", "preset", "template", "service", "course"] as const;
export const PRICING_MODELS = ["fixed", "pwyw", "free"] as const;
export const STATUSES = ["draft", "active", "inactive", "suspended", "sold_out"] as const;
export type ProductStatus = (typeof STATUSES)[number];
/** The statuses a seller may ask for: publishing (active) and unpublishing (inactive). */
export const SELLER_STATUSES = ["active", "inactive"] as const;
export const SORTS = ["newest", "popular", "price_asc", "price_desc"] as const;
export type Sort = (typeof SORTS)[number];

export const MAX_TAGS = 10;
export const MAX_FORMATS = 10;
export const MAX_IMAGES = 10;
export const MAX_DOWNLOADS = 20;
export const MAX_DESCRIPTION = 10_000;
export const MAX_TERMS = 20_000;
export const MAX_USAGE_RIGHTS = 30;

const timestamp = z.string().openapi({ format: "date-time", example: "2026-03-01T12:00:00.000Z" });
const noControl = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);
const line = (max: number) => z.string().trim().min(1).max(max).refine((s) => noControl(s) && !/[\r\n]/.test(s), "must be one line of text");
const text = (max: number) => z.string().trim().min(1).max(max).refine(noControl, "must not contain control characters");

/** DECIMAL(10,2): up to 99 999 999.99, at most two decimals. */
export const Money = z
  .string()
  .regex(/^\d{1,8}(\.\d{1,2})?$/, 'must be an amount like "12.50" (at most 99999999.99)')
  .openapi({ example: "29.99" });
const money = (description: string) => Money.openapi({ description });

/** Lower-cased, trimmed, each once; no commas (the browse filter separates tags with them). */
const Tags = z
  .array(z.string().trim().toLowerCase().min(1).max(50).regex(/^[^,]+$/, "must not contain commas").refine(noControl, "must not contain control characters"))
  .max(MAX_TAGS)
  .transform((tags) => [...new Set(tags)])
  .openapi({ description: `Up to ${MAX_TAGS} tags of 1 to 50 characters, lower-cased`, example: ["trap", "dark"] });
const Formats = z
  .array(line(50))
  .max(MAX_FORMATS)
  .transform((formats) => [...new Set(formats)])
  .openapi({ description: `Up to ${MAX_FORMATS} formats (WAV, MP3, FLAC, VST, …)`, example: ["WAV", "MP3"] });
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const Slug = z
  .string()
  .min(3)
  .max(255)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be lower-case letters and digits separated by single dashes")
  .refine((s) => !UUID_SHAPE.test(s), "must not look like an id")
  .openapi({ example: "midnight-drill-kit" });
const distinct = (ids: string[]) => new Set(ids).size === ids.length;
const fileIds = (max: number, description: string) =>
  z.array(z.uuid()).max(max).refine(distinct, "must not repeat a file").openapi({ description });

/** The fields a seller writes, create and update alike. */
const productFields = {
  name: line(255),
  slug: Slug.openapi({ description: "Derived from the name when not given (a suffix is added when taken); unique" }),
  description: text(MAX_DESCRIPTION),
  category: z.enum(CATEGORIES),
  tags: Tags,
  formats: Formats,
  price: money("The price (fixed), the suggested price (pwyw), 0 (free)"),
  currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD").openapi({ example: "USD" }),
  pricing_model: z.enum(PRICING_MODELS).openapi({ description: "fixed, pwyw (pay what you want, at least minimum_price) or free" }),
  minimum_price: money("Pay what you want only: the least a buyer may pay, not above price"),
  preview_file_id: z.uuid().openapi({ description: "One of your live audio files, streamed publicly as the preview" }),
  download_file_ids: fileIds(MAX_DOWNLOADS, `Up to ${MAX_DOWNLOADS} of your live files: the deliverables, only ever given to buyers`),
  image_file_ids: fileIds(MAX_IMAGES, `Up to ${MAX_IMAGES} of your live image files; the first is the thumbnail`),
  bpm: z.number().int().min(20).max(999),
  musical_key: line(10).openapi({ example: "Am" }),
  genre: line(100),
  license_type: line(100),
  demo_url: z.url({ protocol: /^https$/ }).max(2000).openapi({ description: "An https link to a demo elsewhere" }),
};

export const CreateProductSchema = z
  .object({
    name: productFields.name,
    slug: productFields.slug.optional(),
    description: productFields.description,
    category: productFields.category,
    tags: productFields.tags.optional(),
    formats: productFields.formats.optional(),
    price: productFields.price.optional().openapi({ description: "Required unless pricing_model is free (then 0)" }),
    currency: productFields.currency.optional().openapi({ description: "Defaults to USD" }),
    pricing_model: productFields.pricing_model.optional().openapi({ description: "Defaults to fixed" }),
    minimum_price: productFields.minimum_price.optional(),
    preview_file_id: productFields.preview_file_id.optional(),
    download_file_ids: productFields.download_file_ids.optional(),
    image_file_ids: productFields.image_file_ids.optional(),
    bpm: productFields.bpm.optional(),
    musical_key: productFields.musical_key.optional(),
    genre: productFields.genre.optional(),
    license_type: productFields.license_type.optional(),
    demo_url: productFields.demo_url.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const model = v.pricing_model ?? "fixed";
    if (model === "free" && v.price !== undefined && Number(v.price) !== 0) ctx.addIssue({ code: "custom", path: ["price"], message: "must be 0 for a free product" });
    if (model !== "free" && v.price === undefined) ctx.addIssue({ code: "custom", path: ["price"], message: "is required" });
    if (model === "pwyw" && v.minimum_price === undefined) ctx.addIssue({ code: "custom", path: ["minimum_price"], message: "is required for pay what you want" });
    if (model === "pwyw" && v.minimum_price !== undefined && v.price !== undefined && Number(v.minimum_price) > Number(v.price)) {
      ctx.addIssue({ code: "custom", path: ["minimum_price"], message: "must not be above price (the suggested price)" });
    }
    if (model !== "pwyw" && v.minimum_price !== undefined) ctx.addIssue({ code: "custom", path: ["minimum_price"], message: "is only for pay what you want" });
  })
  .openapi("CreateProduct");
export type CreateProductInput = z.infer<typeof CreateProductSchema>;

export const UpdateProductSchema = z
  .object({
    name: productFields.name.optional(),
    slug: productFields.slug.optional(),
    description: productFields.description.optional(),
    category: productFields.category.optional(),
    tags: productFields.tags.optional(),
    formats: productFields.formats.optional(),
    price: productFields.price.optional(),
    currency: productFields.currency.optional(),
    pricing_model: productFields.pricing_model.optional().openapi({ description: "Leaving pwyw clears minimum_price; free sets price to 0 unless price is given" }),
    minimum_price: productFields.minimum_price.optional(),
    preview_file_id: productFields.preview_file_id.nullable().optional(),
    download_file_ids: productFields.download_file_ids.optional(),
    image_file_ids: productFields.image_file_ids.optional(),
    bpm: productFields.bpm.nullable().optional(),
    musical_key: productFields.musical_key.nullable().optional(),
    genre: productFields.genre.nullable().optional(),
    license_type: productFields.license_type.nullable().optional(),
    demo_url: productFields.demo_url.nullable().optional(),
    status: z.enum(SELLER_STATUSES).optional().openapi({
      description: "active publishes (needs an available licence unless the product is free); inactive takes it off the catalogue. suspended and sold_out are not yours to set",
    }),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: "change at least one field" })
  .openapi("UpdateProduct");
export type UpdateProductInput = z.infer<typeof UpdateProductSchema>;

/** usage_rights: a flat JSON object of named rights, e.g. {"streams": 100000, "commercial": true}. */
const UsageRights = z
  .record(z.string().min(1).max(50), z.union([z.string().max(500), z.number(), z.boolean(), z.null()]))
  .refine((o) => Object.keys(o).length <= MAX_USAGE_RIGHTS, `at most ${MAX_USAGE_RIGHTS} rights`)
  .openapi({ example: { streams: 100000, commercial: true } });

const licenseFields = {
  name: line(255),
  description: text(5000),
  price: money("What a buyer pays for this licence, in the product's currency"),
  terms: text(MAX_TERMS).openapi({ description: "The licence's terms, copied into each buyer's order" }),
  usage_rights: UsageRights,
  is_exclusive: z.boolean().openapi({ description: "One buyer only: distribution_limit is then 1 (set for you when omitted)" }),
  distribution_limit: z.number().int().min(1).max(1_000_000).openapi({ description: "How many units may ever be sold; null for no limit" }),
};

export const CreateLicenseSchema = z
  .object({
    name: licenseFields.name,
    description: licenseFields.description.optional(),
    price: licenseFields.price,
    terms: licenseFields.terms,
    usage_rights: licenseFields.usage_rights.optional(),
    is_exclusive: licenseFields.is_exclusive.optional(),
    distribution_limit: licenseFields.distribution_limit.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.is_exclusive && v.distribution_limit !== undefined && v.distribution_limit !== 1) {
      ctx.addIssue({ code: "custom", path: ["distribution_limit"], message: "must be 1 for an exclusive licence" });
    }
  })
  .openapi("CreateLicense");
export type CreateLicenseInput = z.infer<typeof CreateLicenseSchema>;

export const UpdateLicenseSchema = z
  .object({
    name: licenseFields.name.optional(),
    description: licenseFields.description.nullable().optional(),
    price: licenseFields.price.optional().openapi({ description: "Applies to future buyers only: each order keeps the price it was paid" }),
    terms: licenseFields.terms.optional().openapi({ description: "Only while no unit is sold (create a new licence instead)" }),
    usage_rights: licenseFields.usage_rights.nullable().optional().openapi({ description: "Only while no unit is sold" }),
    is_exclusive: licenseFields.is_exclusive.optional().openapi({ description: "Only while no unit is sold" }),
    distribution_limit: licenseFields.distribution_limit.nullable().optional().openapi({
      description: "Once units are sold it may only be lowered (not below the units sold), never raised or removed",
    }),
    is_active: z.boolean().optional().openapi({ description: "false withdraws the licence from sale; buyers keep what they bought" }),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: "change at least one field" })
  .superRefine((v, ctx) => {
    if (v.is_exclusive && v.distribution_limit !== undefined && v.distribution_limit !== 1) {
      ctx.addIssue({ code: "custom", path: ["distribution_limit"], message: "must be 1 for an exclusive licence" });
    }
  })
  .openapi("UpdateLicense");
export type UpdateLicenseInput = z.infer<typeof UpdateLicenseSchema>;

export const LicenseSchema = z
  .object({
    id: z.uuid(),
    product_id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    price: z.string().openapi({ example: "29.99" }),
    terms: z.string(),
    usage_rights: z.record(z.string(), z.unknown()).nullable(),
    is_exclusive: z.boolean(),
    distribution_limit: z.number().int().nullable(),
    sold_count: z.number().int().openapi({ description: "Units held by buyers (and by checkouts in progress)" }),
    remaining: z.number().int().nullable().openapi({ description: "distribution_limit - sold_count; null when unlimited" }),
    is_active: z.boolean(),
    available: z.boolean().openapi({ description: "Can be bought now: active, not exhausted, and the product is for sale" }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi("ProductLicense");
export type License = z.infer<typeof LicenseSchema>;

const FileLinkSchema = z.object({ id: z.uuid(), url: z.string(), mime_type: z.string() }).openapi("ProductFileLink");
export const SellerSchema = z
  .object({ id: z.uuid(), username: z.string(), display_name: z.string().nullable(), avatar_url: z.string().nullable() })
  .openapi("ProductSeller");

const summaryFields = {
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
  category: z.enum(CATEGORIES),
  tags: z.array(z.string()),
  price: z.string().openapi({ example: "29.99" }),
  currency: z.string(),
  pricing_model: z.enum(PRICING_MODELS),
  minimum_price: z.string().nullable(),
  bpm: z.number().int().nullable(),
  musical_key: z.string().nullable(),
  genre: z.string().nullable(),
  status: z.enum(STATUSES).openapi({ description: "Others only ever see active and sold_out (sold out: visible, not for sale)" }),
  for_sale: z.boolean().openapi({ description: "Can be bought now: active, seller in good standing, and free or with an available licence" }),
  thumbnail_url: z.string().nullable().openapi({ description: "The first live image" }),
  preview_url: z.string().nullable().openapi({ description: "GET it for the preview audio (byte ranges); null without a live preview" }),
  seller: SellerSchema,
  favorite_count: z.number().int(),
  sale_count: z.number().int(),
  review_count: z.number().int(),
  average_rating: z.number(),
  published_at: timestamp.nullable(),
};

export const ProductSummarySchema = z.object(summaryFields).openapi("ProductSummary");
export type ProductSummary = z.infer<typeof ProductSummarySchema>;

export const ProductSchema = z
  .object({
    ...summaryFields,
    description: z.string(),
    formats: z.array(z.string()),
    license_type: z.string().nullable(),
    demo_url: z.string().nullable(),
    images: z.array(FileLinkSchema),
    preview: FileLinkSchema.nullable(),
    download_file_count: z.number().int().openapi({ description: "How many files a buyer gets (the files themselves are for buyers only)" }),
    licenses: z.array(LicenseSchema).openapi({ description: "Live licences (the seller also sees withdrawn ones), cheapest first" }),
    view_count: z.number().int(),
    favorited: z.boolean().openapi({ description: "false when not signed in" }),
    purchased: z.boolean().openapi({ description: "You hold a live order item of a paid order for it; false when not signed in" }),
    created_at: timestamp,
    updated_at: timestamp,
    download_file_ids: z.array(z.uuid()).optional().openapi({ description: "The seller only" }),
    preview_file_id: z.uuid().nullable().optional().openapi({ description: "The seller only" }),
    suspension_reason: z.string().nullable().optional().openapi({ description: "The seller only: why a moderator suspended it" }),
    suspended_at: timestamp.nullable().optional().openapi({ description: "The seller only" }),
  })
  .openapi("Product");
export type Product = z.infer<typeof ProductSchema>;

export const ProductListSchema = z.object({ items: z.array(ProductSummarySchema), next_cursor: z.string().nullable() }).openapi("ProductList");
export const FavoriteListSchema = z
  .object({ items: z.array(ProductSummarySchema.extend({ favorited_at: timestamp })), next_cursor: z.string().nullable() })
  .openapi("FavoriteProductList");
export const FavoriteStateSchema = z.object({ favorited: z.boolean(), favorite_count: z.number().int() }).openapi("ProductFavoriteState");
export const SuspensionSchema = z.object({ reason: text(1000) }).strict().openapi("ProductSuspension");
export const SuspensionStateSchema = z
  .object({ id: z.uuid(), status: z.enum(STATUSES), suspension_reason: z.string().nullable(), suspended_at: timestamp.nullable() })
  .openapi("ProductSuspensionState");

const limit = z.coerce.number().int().min(1).max(100).default(20);
const cursor = z.string().max(300).optional().openapi({ description: "next_cursor of the previous page" });
const bpmQuery = z.coerce.number().int().min(20).max(999).optional();

export const BrowseQuerySchema = z
  .object({
    category: z.enum(CATEGORIES).optional(),
    tags: z
      .string()
      .max(600)
      .optional()
      .transform((s) => (s ? [...new Set(s.split(",").map((t) => t.trim().toLowerCase()).filter(Boolean))] : []))
      .pipe(z.array(z.string().max(50)).max(MAX_TAGS))
      .openapi({ description: "Comma-separated; a product must carry every one", example: "trap,dark" }),
    priceMin: Money.optional(),
    priceMax: Money.optional(),
    genre: z.string().trim().min(1).max(100).optional().openapi({ description: "Case-insensitive" }),
    bpmMin: bpmQuery,
    bpmMax: bpmQuery,
    key: z.string().trim().min(1).max(10).optional().openapi({ description: "musical_key, exactly", example: "Am" }),
    sort: z.enum(SORTS).default("newest").openapi({ description: "newest (first published), popular (most sold), price_asc, price_desc" }),
    cursor,
    limit,
  })
  .superRefine((v, ctx) => {
    if (v.priceMin !== undefined && v.priceMax !== undefined && Number(v.priceMin) > Number(v.priceMax)) {
      ctx.addIssue({ code: "custom", path: ["priceMax"], message: "must not be below priceMin" });
    }
    if (v.bpmMin !== undefined && v.bpmMax !== undefined && v.bpmMin > v.bpmMax) ctx.addIssue({ code: "custom", path: ["bpmMax"], message: "must not be below bpmMin" });
  });
export type BrowseQuery = z.infer<typeof BrowseQuerySchema>;

export const MyProductsQuerySchema = z.object({ status: z.enum(STATUSES).optional(), cursor, limit });
export const PageQuerySchema = z.object({ cursor, limit });

export const ProductIdParamSchema = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });
/** The product page answers to its id or its slug (a slug never has an id's shape). */
export const ProductRefParamSchema = z.object({
  id: z.string().min(1).max(255).openapi({ param: { name: "id", in: "path", description: "The product's id or its slug" }, example: "midnight-drill-kit" }),
});
export const LicenseParamSchema = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" } }),
  licenseId: z.uuid().openapi({ param: { name: "licenseId", in: "path" } }),
});
export const ImageParamSchema = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" } }),
  fileId: z.uuid().openapi({ param: { name: "fileId", in: "path" } }),
});
export const UsernameParamSchema = z.object({
  username: z.string().regex(/^[a-zA-Z0-9_]{3,30}$/, "must be 3-30 letters, digits or underscores").openapi({ param: { name: "username", in: "path" } }),
});
