import { sql, type SQL } from "drizzle-orm";
import { slugCandidates as slugCandidatesOf, slugFromName as slugOf } from "../../lib/slug";
import { postgresCode, postgresConstraint } from "../../lib/database-errors";
import { ApiError } from "../../lib/errors";
import { textArray } from "../posts/post-text";

/**
 * What a seller's writes must satisfy, said once for create and update: their files, their slug,
 * and the database's CHECKs read back as field errors.
 */

export const invalid = (path: string, message: string) =>
  new ApiError("validation_failed", "The request is not valid.", { errors: [{ path: `json.${path}`, message }] });

/** The files a write names (undefined: not changed). */
export interface FileChoice {
  preview?: string | null;
  downloads?: string[];
  images?: string[];
}

/** A live file of the seller's, under alias `f`. */
const own = (sellerId: string) => sql`f.user_id = ${sellerId}::uuid AND f.deleted_at IS NULL`;
const allOwn = (sellerId: string, ids: string[], kind: string | null) =>
  sql`(SELECT count(*) FROM files f WHERE f.id = ANY(${textArray(ids)}::uuid[]) AND ${own(sellerId)}
        ${kind ? sql`AND f.mime_type LIKE ${`${kind}/%`}` : sql``}) = ${ids.length}`;

/**
 * The columns of a `checks` CTE row: whether each named file set is the seller's own and live (the
 * preview an audio file, the images image files). Files not being changed pass.
 */
export function fileChecks(sellerId: string, files: FileChoice): SQL {
  const preview = files.preview ?? null;
  return sql`(${preview}::uuid IS NULL OR EXISTS (SELECT 1 FROM files f WHERE f.id = ${preview}::uuid AND ${own(sellerId)} AND f.mime_type LIKE 'audio/%')) AS preview_ok,
    ${files.downloads ? allOwn(sellerId, files.downloads, null) : sql`true`} AS downloads_ok,
    ${files.images ? allOwn(sellerId, files.images, "image") : sql`true`} AS images_ok`;
}

export type FileCheckRow = { preview_ok: boolean; downloads_ok: boolean; images_ok: boolean };
export const filesOk = sql`preview_ok AND downloads_ok AND images_ok`;

/** Throws the 422 of the first file check that failed. */
export function throwFileError(row: FileCheckRow): void {
  if (!row.preview_ok) throw invalid("preview_file_id", "must be one of your live audio files");
  if (!row.downloads_ok) throw invalid("download_file_ids", "must all be your own live files");
  if (!row.images_ok) throw invalid("image_file_ids", "must all be your own live image files");
}

/** A `uuid[]` parameter (null for an empty list, as the columns hold no empty arrays). */
export const uuidArray = (ids: string[]) => sql`${ids.length ? textArray(ids) : null}::uuid[]`;
export const varcharArray = (values: string[]) => sql`${values.length ? textArray(values) : null}::varchar[]`;

const MAX_SLUG = 255;

/** The slug of a product's name (see src/lib/slug.ts). */
export const slugFromName = (name: string) => slugOf(name, MAX_SLUG, "product");

/** The name's slug, then variants with a random suffix (see src/lib/slug.ts). */
export const slugCandidates = (name: string) => slugCandidatesOf(name, MAX_SLUG, "product");

/** The first of `slugs` no product (deleted ones included: their slugs stay theirs) holds. */
export const freeSlug = (slugs: string[]) => sql`(
  SELECT c.s FROM unnest(${textArray(slugs)}::text[]) WITH ORDINALITY AS c(s, n)
   WHERE NOT EXISTS (SELECT 1 FROM products x WHERE x.slug = c.s) ORDER BY c.n LIMIT 1)`;

/** Each CHECK a seller's write can break, as the field error it means. */
const CHECKS: Record<string, [path: string, message: string]> = {
  chk_products_pwyw_minimum: ["minimum_price", "must be set and not above price for pay what you want"],
  chk_products_free_price_zero: ["price", "must be 0 for a free product"],
  chk_products_bpm_range: ["bpm", "must be between 20 and 999"],
  chk_products_tags_count: ["tags", "must be at most 10"],
  chk_product_licenses_exclusive_single: ["distribution_limit", "must be 1 for an exclusive licence"],
  chk_product_licenses_sold_count_limit: ["distribution_limit", "must not be below the units already sold"],
};

/** A unique slug taken (409) or a CHECK broken (422 with its field) as the API says it; anything else as it came. */
export function sellerWriteError(err: unknown): unknown {
  const code = postgresCode(err);
  const constraint = postgresConstraint(err);
  if (code === "23505" && constraint === "idx_products_slug") {
    return new ApiError("conflict", "A product with this slug already exists.", { errors: [{ path: "json.slug", message: "is already taken" }], cause: err });
  }
  if (code === "23514" && constraint && CHECKS[constraint]) {
    const [path, message] = CHECKS[constraint];
    return new ApiError("validation_failed", "The request is not valid.", { errors: [{ path: `json.${path}`, message }], cause: err });
  }
  return err;
}

/** Runs a seller's write, translating what the database refused (see `sellerWriteError`). */
export async function sellerWrite<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    throw sellerWriteError(err);
  }
}
