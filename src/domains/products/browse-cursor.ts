import { sql, type SQL } from "drizzle-orm";
import { base64url, fromBase64url } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";
import { preciseIso } from "../tracks/track-view";
import type { Sort } from "./schemas";

/**
 * Keyset pagination of browse and storefronts, one order per sort, each with `id` as the tie-break
 * and each on its own index (0026): newest (published_at DESC), popular (sale_count DESC), price_asc
 * and price_desc (price, on one index scanned either way). The cursor is opaque: the sort it was
 * made for, the last item's sort value and its id. A cursor of another sort is refused (422).
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const VALUE: Record<Sort, RegExp> = {
  newest: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/,
  popular: /^\d{1,10}$/,
  price_asc: /^\d{1,8}\.\d{2}$/,
  price_desc: /^\d{1,8}\.\d{2}$/,
};

export type SortKey = { sort: Sort; value: string; id: string };

/** The sort value of the product under `p`, as text (what a cursor keeps). */
export const sortValue = (sort: Sort): SQL =>
  sort === "newest" ? sql`${preciseIso("p.published_at")}` : sort === "popular" ? sql`p.sale_count::text` : sql`p.price::text`;

/** ORDER BY of a sort. */
export const sortOrder = (sort: Sort): SQL =>
  sort === "newest"
    ? sql`p.published_at DESC, p.id DESC`
    : sort === "popular"
      ? sql`p.sale_count DESC, p.id DESC`
      : sort === "price_asc"
        ? sql`p.price ASC, p.id ASC`
        : sql`p.price DESC, p.id DESC`;

/** The keyset condition "after the cursor" (an empty fragment on the first page). */
export function afterCursor(sort: Sort, cursor: string | undefined): SQL {
  if (!cursor) return sql``;
  const { value, id } = decodeSortCursor(sort, cursor);
  if (sort === "newest") return sql`AND (p.published_at, p.id) < (${value}::timestamptz, ${id}::uuid)`;
  if (sort === "popular") return sql`AND (p.sale_count, p.id) < (${value}::int, ${id}::uuid)`;
  if (sort === "price_asc") return sql`AND (p.price, p.id) > (${value}::numeric, ${id}::uuid)`;
  return sql`AND (p.price, p.id) < (${value}::numeric, ${id}::uuid)`;
}

export const encodeSortCursor = (key: SortKey) => base64url(new TextEncoder().encode(JSON.stringify([key.sort, key.value, key.id])));

export function decodeSortCursor(sort: Sort, cursor: string): SortKey {
  try {
    const v = JSON.parse(new TextDecoder().decode(fromBase64url(cursor))) as unknown;
    if (Array.isArray(v) && v.length === 3 && v[0] === sort && typeof v[1] === "string" && VALUE[sort].test(v[1]) && typeof v[2] === "string" && UUID.test(v[2])) {
      return { sort, value: v[1], id: v[2] };
    }
  } catch {
    // falls through to the 422
  }
  throw new ApiError("validation_failed", "The cursor is not valid.", { errors: [{ path: "query.cursor", message: "is not a cursor this list gave for this sort" }] });
}
