import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { notFound } from "../../lib/errors";
import { preciseIso } from "../tracks/track-view";
import { orderJson } from "./order-view";
import type { Order, Purchase, Sale } from "./schemas";

type Query = { limit: number; cursor?: string };
type PageRow<T> = { id: string; cursor_at: string; item: T };

/** A keyset page over `from` (whose rows are `key`, newest first by `at`): one round trip. */
async function page<T>(db: Database, query: Query, select: SQL, key: { at: string; id: string }, from: SQL): Promise<{ items: T[]; next_cursor: string | null }> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const { rows } = await db.execute<PageRow<T>>(sql`
    SELECT ${sql.raw(key.id)} AS id, ${preciseIso(key.at)} AS cursor_at, ${select} AS item
      ${from}
       ${after ? sql`AND (${sql.raw(key.at)}, ${sql.raw(key.id)}) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
     ORDER BY ${sql.raw(key.at)} DESC, ${sql.raw(key.id)} DESC
     LIMIT ${query.limit + 1}`);
  const items = rows.slice(0, query.limit);
  const last = items[items.length - 1];
  return { items: items.map((r) => r.item), next_cursor: rows.length > query.limit && last ? encodeCursor(last.cursor_at, last.id) : null };
}

/** GET /v1/me/orders: my orders, newest first, with their items. */
export const listOrders = (db: Database, userId: string, query: Query) =>
  page<Order>(db, query, orderJson, { at: "o.created_at", id: "o.id" }, sql`FROM orders o WHERE o.user_id = ${userId}::uuid`);

/** GET /v1/me/orders/:idOrNumber: the buyer's only (404 for anyone else). One round trip. */
export async function getOrder(db: Database, userId: string, ref: string): Promise<Order> {
  const byNumber = ref.startsWith("ORD-");
  const { rows } = await db.execute<{ order: Order }>(sql`
    SELECT ${orderJson} AS order FROM orders o
     WHERE o.user_id = ${userId}::uuid AND ${byNumber ? sql`o.order_number = ${ref}` : sql`o.id = ${ref}::uuid`}`);
  if (!rows[0]) throw notFound("This order");
  return rows[0].order;
}

const SOLD = sql.raw(`('paid', 'processing', 'completed')`);

/**
 * GET /v1/me/purchases: my library — the live items of my paid orders, with their files and
 * whether they can be downloaded (not when the seller's account is banned or deleted, nor a file
 * the seller deleted).
 */
export const listPurchases = (db: Database, userId: string, query: Query) =>
  page<Purchase>(
    db,
    query,
    sql`json_build_object(
      'order_item_id', oi.id, 'order_id', o.id, 'order_number', o.order_number,
      'product', json_build_object('id', oi.product_id, 'name', oi.product_name, 'slug', p.slug),
      'seller', json_build_object('id', oi.seller_id, 'username', su.username),
      'license', CASE WHEN oi.license_id IS NULL THEN NULL ELSE json_build_object('id', oi.license_id, 'name', l.name) END,
      'license_key', oi.license_key, 'license_terms', oi.license_terms, 'price', oi.price::text, 'currency', o.currency,
      'download_count', oi.download_count, 'downloadable', su.deleted_at IS NULL AND NOT su.is_banned,
      'files', COALESCE((SELECT json_agg(json_build_object('id', f.id, 'filename', f.original_filename, 'size', f.file_size,
                                                           'available', f.deleted_at IS NULL) ORDER BY f.original_filename, f.id)
                           FROM files f WHERE f.id = ANY(oi.download_file_ids)), '[]'::json),
      'purchased_at', to_char(o.paid_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`,
    { at: "oi.created_at", id: "oi.id" },
    sql`FROM orders o
        JOIN order_items oi ON oi.order_id = o.id
        JOIN users su ON su.id = oi.seller_id
        LEFT JOIN products p ON p.id = oi.product_id
        LEFT JOIN product_licenses l ON l.id = oi.license_id
       WHERE o.user_id = ${userId}::uuid AND o.status IN ${SOLD} AND oi.revoked_at IS NULL`,
  );

/**
 * GET /v1/me/sales: the items I sold (paid orders, and refunded ones marked revoked), the buyer
 * shown by username only — no email, name or address.
 */
export const listSales = (db: Database, userId: string, query: Query) =>
  page<Sale>(
    db,
    query,
    sql`json_build_object(
      'order_item_id', oi.id, 'order_number', o.order_number, 'status', o.status,
      'product', json_build_object('id', oi.product_id, 'name', oi.product_name),
      'license', CASE WHEN oi.license_id IS NULL THEN NULL ELSE json_build_object('id', oi.license_id, 'name', l.name) END,
      'price', oi.price::text, 'currency', o.currency,
      'buyer', CASE WHEN bu.id IS NULL OR bu.deleted_at IS NOT NULL THEN NULL ELSE json_build_object('username', bu.username) END,
      'revoked', oi.revoked_at IS NOT NULL,
      'sold_at', to_char(o.paid_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`,
    { at: "oi.created_at", id: "oi.id" },
    sql`FROM order_items oi
        JOIN orders o ON o.id = oi.order_id
        LEFT JOIN users bu ON bu.id = o.user_id
        LEFT JOIN product_licenses l ON l.id = oi.license_id
       WHERE oi.seller_id = ${userId}::uuid AND o.status IN ('paid', 'processing', 'completed', 'refunded')`,
  );
