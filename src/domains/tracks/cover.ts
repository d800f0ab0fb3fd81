import { sql } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { notFound } from "../../lib/errors";
import { serveObject } from "./serve-object";
import { verifyStreamQuery } from "./stream-signature";
import { visibleTo } from "./track-view";
import { viewerOf } from "./viewer";

/**
 * GET /v1/tracks/:id/cover/:fileId: the cover image, streamed from R2. The URL names the cover's
 * file, so a new cover is a new URL and each can be cached for a year as immutable — `public` for
 * public and unlisted tracks, `private` for a private track's (reached by its owner, with the
 * signature of the track's media URLs or a bearer token: an <img> cannot send a header). An old
 * cover's URL stops working as soon as the track has another (404). One round trip.
 */
export async function serveCover(c: Context<AppEnv>, params: { id: string; fileId: string }, query: { exp?: string; sig?: string }): Promise<Response> {
  const signature = await verifyStreamQuery(c.env.JWT_SECRET, params.id, query);
  const viewerId = signature ? null : (viewerOf(c)?.userId ?? null);
  const { rows } = await c.var.db.execute<{ visibility: string; storage_path: string; mime_type: string }>(sql`
    SELECT t.visibility, f.storage_path, f.mime_type
      FROM tracks t
      JOIN users u ON u.id = t.creator_id
      JOIN files f ON f.id = t.cover_art_file_id AND f.deleted_at IS NULL AND f.mime_type LIKE 'image/%'
     WHERE t.id = ${params.id} AND f.id = ${params.fileId}
       AND ${signature ? sql`t.deleted_at IS NULL AND u.deleted_at IS NULL AND NOT u.is_banned` : visibleTo(viewerId)}`);
  const row = rows[0];
  if (!row) throw notFound("This cover");
  const shared = row.visibility !== "private";
  const response = await serveObject(c.env.MEDIA, row.storage_path, c.req.raw, {
    contentType: row.mime_type,
    cacheControl: shared ? "public, max-age=31536000, immutable" : "private, max-age=31536000, immutable",
    // an image, never a document: nothing in it may run or be framed
    headers: { "Content-Security-Policy": "default-src 'none'; sandbox" },
    requestId: c.get("requestId"),
  });
  if (!response) throw notFound("This cover");
  return response;
}
