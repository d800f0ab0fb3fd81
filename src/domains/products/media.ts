import { sql, type SQL } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { notFound } from "../../lib/errors";
import { serveObject } from "../tracks/serve-object";
import { viewerOf } from "../tracks/viewer";
import { productVisibleTo } from "./product-view";

type FileRow = { storage_path: string; mime_type: string; listed: boolean };

/** The one statement behind both routes: the file `which` picks among the product's, if the viewer may see the product. */
async function productFile(c: Context<AppEnv>, productId: string, which: SQL): Promise<FileRow | undefined> {
  const viewerId = viewerOf(c)?.userId ?? null;
  const { rows } = await c.var.db.execute<FileRow>(sql`
    SELECT f.storage_path, f.mime_type, p.status IN ('active', 'sold_out') AS listed
      FROM products p
      JOIN files f ON ${which} AND f.user_id = p.seller_id AND f.deleted_at IS NULL
     WHERE p.id = ${productId}::uuid AND ${productVisibleTo(viewerId)}`);
  return rows[0];
}

async function serve(c: Context<AppEnv>, row: FileRow | undefined, what: string, cacheSeconds: number): Promise<Response> {
  if (!row) throw notFound(what);
  const response = await serveObject(c.env.MEDIA, row.storage_path, c.req.raw, {
    contentType: row.mime_type,
    cacheControl: `${row.listed ? "public" : "private"}, max-age=${cacheSeconds}`,
    // a media file, never a document: nothing in it may run or be framed
    headers: { "Content-Security-Policy": "default-src 'none'; sandbox" },
    requestId: c.get("requestId"),
  });
  if (!response) throw notFound(what);
  return response;
}

/**
 * GET /v1/products/:id/preview: the preview audio, streamed from R2 with byte ranges (players seek
 * with them), to whoever may see the product. The URL does not name the file (the seller may change
 * it), so caching is short; `public` only for listed products. One round trip.
 */
export async function servePreview(c: Context<AppEnv>, productId: string): Promise<Response> {
  const row = await productFile(c, productId, sql`f.id = p.preview_file_id AND f.mime_type LIKE 'audio/%'`);
  return serve(c, row, "This preview", 300);
}

/**
 * GET /v1/products/:id/images/:fileId: one of the product's images. The URL names the file, so it
 * is cached for a year. The deliverables are never served here: only a file the product lists as an
 * image. One round trip.
 */
export async function serveImage(c: Context<AppEnv>, productId: string, fileId: string): Promise<Response> {
  const row = await productFile(c, productId, sql`f.id = ${fileId}::uuid AND f.id = ANY(COALESCE(p.image_file_ids, '{}')) AND f.mime_type LIKE 'image/%'`);
  return serve(c, row, "This image", 31_536_000);
}
