import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { notFound } from "../../lib/errors";
import { blockHides } from "../blocks/either-blocked";
import { textArray } from "../posts/post-text";
import { preciseIso } from "../tracks/track-view";
import { afterCursor, encodeSortCursor, sortOrder, sortValue } from "./browse-cursor";
import { productListed, productSummaryJson, productVisibleTo, sellerLive, toSummary } from "./product-view";
import type { BrowseQuery, ProductStatus, ProductSummary } from "./schemas";

type Page<T = ProductSummary> = { items: T[]; next_cursor: string | null };
type Row = { id: string | null; sort_value: string | null; product: unknown };

/** The filters of a browse query, each an AND over the product `p`. */
function filters(q: BrowseQuery): SQL {
  const parts: SQL[] = [];
  if (q.category) parts.push(sql`p.category = ${q.category}`);
  if (q.tags.length) parts.push(sql`p.tags @> ${textArray(q.tags)}::varchar[]`);
  if (q.priceMin !== undefined) parts.push(sql`p.price >= ${q.priceMin}::numeric`);
  if (q.priceMax !== undefined) parts.push(sql`p.price <= ${q.priceMax}::numeric`);
  if (q.genre) parts.push(sql`lower(p.genre) = lower(${q.genre})`);
  if (q.bpmMin !== undefined) parts.push(sql`p.bpm >= ${q.bpmMin}::int`);
  if (q.bpmMax !== undefined) parts.push(sql`p.bpm <= ${q.bpmMax}::int`);
  if (q.key) parts.push(sql`p.musical_key = ${q.key}`);
  return parts.length ? sql`AND ${sql.join(parts, sql` AND `)}` : sql``;
}

/** One page of listed products (optionally one seller's, `s.id`), LIMIT limit + 1 to know whether more follow. */
const listedPage = (viewerId: string | null, q: BrowseQuery, seller: SQL) => sql`
  SELECT p.id, ${sortValue(q.sort)} AS sort_value, ${productSummaryJson()} AS product
    FROM products p
   WHERE ${productListed()} ${seller} AND ${sellerLive()} AND NOT ${blockHides(viewerId, sql`p.seller_id`)}
         ${filters(q)} ${afterCursor(q.sort, q.cursor)}
   ORDER BY ${sortOrder(q.sort)} LIMIT ${q.limit + 1}`;

function sortedPage(rows: Row[], q: BrowseQuery): Page {
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  return {
    items: items.map((r) => toSummary(r.product)),
    next_cursor: rows.length > q.limit && last ? encodeSortCursor({ sort: q.sort, value: last.sort_value!, id: last.id! }) : null,
  };
}

/**
 * GET /v1/products, one statement: the catalogue — listed products (active or sold out, not deleted,
 * seller live) minus those of anyone with a block either way with the viewer, filtered (tags: every
 * one given), sorted, keyset-paginated on the sort's own index (browse-cursor.ts). Popular moves
 * while you page (sales happen): an item may then show up twice or be skipped, never the page break.
 */
export async function browseProducts(db: Database, viewerId: string | null, q: BrowseQuery): Promise<Page> {
  const { rows } = await db.execute<Row>(listedPage(viewerId, q, sql``));
  return sortedPage(rows, q);
}

/**
 * GET /v1/users/:username/products, one statement: a seller's storefront, with browse's filters and
 * sorts. 404 when the seller is deleted, banned, unknown or blocked either way; the LEFT JOIN keeps
 * one row for a found seller with nothing listed, so 404 and an empty page are told apart.
 */
export async function listStorefront(db: Database, username: string, viewerId: string | null, q: BrowseQuery): Promise<Page> {
  const { rows } = await db.execute<Row>(sql`
    WITH s AS (
      SELECT u.id FROM users u
       WHERE lower(u.username) = lower(${username}) AND u.deleted_at IS NULL AND NOT u.is_banned AND NOT ${blockHides(viewerId, sql`u.id`)}
    )
    SELECT x.* FROM s LEFT JOIN LATERAL (${listedPage(viewerId, q, sql`AND p.seller_id = s.id`)}) x ON true`);
  if (rows.length === 0) throw notFound("This seller");
  return sortedPage(rows.filter((r) => r.id !== null), q);
}

type DatedRow = { id: string; cursor_at: string; product: unknown };

function datedPage<T>(rows: DatedRow[], limit: number, shape: (r: DatedRow) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(shape), next_cursor: rows.length > limit && last ? encodeCursor(last.cursor_at, last.id) : null };
}

const after = (cursor: string | undefined, at: string, id: string) => {
  if (!cursor) return sql``;
  const [ts, key] = decodeCursor(cursor);
  return sql`AND (${sql.raw(at)}, ${sql.raw(id)}) < (${ts}::timestamptz, ${key}::uuid)`;
};

/**
 * GET /v1/me/products, one statement: every live product of mine, drafts and suspended ones
 * included, newest first (idx_products_seller_id_created_at), optionally of one status.
 */
export async function listMyProducts(db: Database, userId: string, q: { status?: ProductStatus; cursor?: string; limit: number }): Promise<Page> {
  const { rows } = await db.execute<DatedRow>(sql`
    SELECT p.id, ${preciseIso("p.created_at")} AS cursor_at, ${productSummaryJson()} AS product
      FROM products p
     WHERE p.seller_id = ${userId}::uuid AND p.deleted_at IS NULL ${q.status ? sql`AND p.status = ${q.status}` : sql``}
           ${after(q.cursor, "p.created_at", "p.id")}
     ORDER BY p.created_at DESC, p.id DESC LIMIT ${q.limit + 1}`);
  return datedPage(rows, q.limit, (r) => toSummary(r.product));
}

/**
 * GET /v1/me/favorites, one statement: the products I favourited that I may still see, most
 * recently favourited first (idx_product_favorites_user_id_created_at).
 */
export async function listFavorites(db: Database, userId: string, q: { cursor?: string; limit: number }): Promise<Page<ProductSummary & { favorited_at: string }>> {
  const { rows } = await db.execute<DatedRow>(sql`
    SELECT f.id, ${preciseIso("f.created_at")} AS cursor_at,
           ${productSummaryJson()} || jsonb_build_object('favorited_at', to_char(f.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) AS product
      FROM product_favorites f JOIN products p ON p.id = f.product_id
     WHERE f.user_id = ${userId}::uuid AND ${productVisibleTo(userId)} ${after(q.cursor, "f.created_at", "f.id")}
     ORDER BY f.created_at DESC, f.id DESC LIMIT ${q.limit + 1}`);
  return datedPage(rows, q.limit, (r) => toSummary(r.product) as ProductSummary & { favorited_at: string });
}
