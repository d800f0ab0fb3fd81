import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError } from "../../lib/errors";
import { productJson, toProduct } from "./product-view";
import { fileChecks, filesOk, freeSlug, sellerWrite, slugCandidates, throwFileError, uuidArray, varcharArray, type FileCheckRow } from "./product-rules";
import type { CreateProductInput, Product } from "./schemas";

type CreatedRow = FileCheckRow & { slug_free: boolean; product: unknown };

/**
 * POST /v1/products, one statement: a draft (publishing is a PATCH to status active, once a licence
 * exists). The files must be the seller's own live ones (preview: audio; images: images), checked
 * in the statement that inserts. A slug given and taken is 409; a derived one takes the first free of
 * the name's slug and two suffixed variants. thumbnail_url (the column search shows) is the first
 * image's path.
 */
export async function createProduct(db: Database, sellerId: string, input: CreateProductInput): Promise<Product> {
  const id = crypto.randomUUID();
  const model = input.pricing_model ?? "fixed";
  const images = input.image_file_ids ?? [];
  const slugs = input.slug ? [input.slug] : slugCandidates(input.name);
  const { rows } = await sellerWrite(() =>
    db.execute<CreatedRow>(sql`
      WITH checks AS (
        SELECT ${fileChecks(sellerId, { preview: input.preview_file_id, downloads: input.download_file_ids, images })},
               ${freeSlug(slugs)} AS slug
      ), created AS (
        INSERT INTO products (id, seller_id, name, slug, description, category, tags, formats, price, currency, pricing_model,
                              minimum_price, preview_file_id, download_file_ids, image_file_ids, thumbnail_url, bpm, musical_key,
                              genre, license_type, demo_url)
        SELECT ${id}::uuid, ${sellerId}::uuid, ${input.name}, c.slug, ${input.description}, ${input.category},
               ${varcharArray(input.tags ?? [])}, ${varcharArray(input.formats ?? [])}, ${input.price ?? "0"}::numeric,
               ${input.currency ?? "USD"}, ${model}, ${input.minimum_price ?? null}::numeric, ${input.preview_file_id ?? null}::uuid,
               ${uuidArray(input.download_file_ids ?? [])}, ${uuidArray(images)},
               ${images.length ? `/v1/products/${id}/images/${images[0]}` : null}, ${input.bpm ?? null}::int, ${input.musical_key ?? null},
               ${input.genre ?? null}, ${input.license_type ?? null}, ${input.demo_url ?? null}
          FROM checks c WHERE ${filesOk} AND c.slug IS NOT NULL
        RETURNING *
      )
      SELECT c.preview_ok, c.downloads_ok, c.images_ok, c.slug IS NOT NULL AS slug_free,
             (SELECT ${productJson(sellerId)} FROM created p) AS product
        FROM checks c`),
  );
  const row = rows[0]!;
  if (row.product) return toProduct(row.product);
  throwFileError(row);
  throw new ApiError("conflict", input.slug ? "A product with this slug already exists." : "No free slug was found for this name; choose one.", {
    errors: [{ path: "json.slug", message: "is already taken" }],
  });
}
