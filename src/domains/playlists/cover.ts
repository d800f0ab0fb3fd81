import { sql } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { notFound } from "../../lib/errors";
import { serveObject } from "../tracks/serve-object";
import { viewerOf } from "../tracks/viewer";
import { verifyCoverQuery } from "./cover-signature";
import { playlistVisible } from "./playlist-view";

/**
 * GET /v1/playlists/:id/cover/:fileId: the cover image, streamed from R2. The URL names the file,
 * so a new cover is a new URL and each is immutable: `public` caching for public and unlisted
 * playlists; a private playlist's only to members, by the signed `cover_url` they were given (an
 * <img> cannot send a bearer token) or a bearer token, cached `private`. An old cover's URL stops
 * working once the playlist has another (404). One round trip.
 */
export async function servePlaylistCover(c: Context<AppEnv>, params: { id: string; fileId: string }, query: { exp?: string; sig?: string }): Promise<Response> {
  const signature = await verifyCoverQuery(c.env.JWT_SECRET, params.id, query);
  const viewerId = signature ? null : (viewerOf(c)?.userId ?? null);
  const { rows } = await c.var.db.execute<{ visibility: string; storage_path: string; mime_type: string }>(sql`
    SELECT p.visibility, f.storage_path, f.mime_type
      FROM playlists p
      JOIN users o ON o.id = p.user_id
      LEFT JOIN playlist_collaborators mc ON mc.playlist_id = p.id AND mc.user_id = ${viewerId}::uuid AND mc.status = 'accepted'
      JOIN files f ON f.id = p.cover_file_id AND f.deleted_at IS NULL AND f.mime_type LIKE 'image/%'
     WHERE p.id = ${params.id} AND f.id = ${params.fileId}
       AND ${signature ? sql`p.deleted_at IS NULL AND o.deleted_at IS NULL AND NOT o.is_banned` : playlistVisible(viewerId)}`);
  const row = rows[0];
  if (!row) throw notFound("This cover");
  const response = await serveObject(c.env.MEDIA, row.storage_path, c.req.raw, {
    contentType: row.mime_type,
    cacheControl: row.visibility !== "private" ? "public, max-age=31536000, immutable" : "private, max-age=31536000, immutable",
    // an image, never a document: nothing in it may run or be framed
    headers: { "Content-Security-Policy": "default-src 'none'; sandbox" },
    requestId: c.get("requestId"),
  });
  if (!response) throw notFound("This cover");
  return response;
}
