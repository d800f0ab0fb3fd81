import { sql } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { notFound } from "../../lib/errors";
import { serveObject } from "../tracks/serve-object";
import { viewerOf } from "../tracks/viewer";
import { postVisibleTo } from "./post-view";

/**
 * GET /v1/posts/:id/attachments/:fileId: one of a post's attached files, streamed from R2, to
 * whoever may see the post (a bearer token for a private or group-restricted post). Only a file the
 * post names and its author still has (live) is served. The URL names the file, so it is immutable:
 * cached `public` for public and unlisted posts outside private groups, `private` otherwise. One
 * round trip.
 */
export async function servePostAttachment(c: Context<AppEnv>, params: { id: string; fileId: string }): Promise<Response> {
  const viewerId = viewerOf(c)?.userId ?? null;
  const { rows } = await c.var.db.execute<{ storage_path: string; mime_type: string; shared: boolean }>(sql`
    SELECT f.storage_path, f.mime_type,
           (p.visibility <> 'private' AND (p.group_id IS NULL OR EXISTS (SELECT 1 FROM groups g WHERE g.id = p.group_id AND g.group_type = 'public'))) AS shared
      FROM posts p
      JOIN files f ON f.id = ${params.fileId}::uuid AND f.user_id = p.user_id AND f.deleted_at IS NULL
       AND (f.id = ANY(COALESCE(p.image_file_ids, '{}')) OR f.id = p.audio_file_id OR f.id = p.video_file_id)
     WHERE p.id = ${params.id}::uuid AND ${postVisibleTo(viewerId)}`);
  const row = rows[0];
  if (!row) throw notFound("This attachment");
  const response = await serveObject(c.env.MEDIA, row.storage_path, c.req.raw, {
    contentType: row.mime_type,
    cacheControl: row.shared ? "public, max-age=31536000, immutable" : "private, max-age=31536000, immutable",
    // a media file, never a document: nothing in it may run or be framed
    headers: { "Content-Security-Policy": "default-src 'none'; sandbox" },
    requestId: c.get("requestId"),
  });
  if (!response) throw notFound("This attachment");
  return response;
}
