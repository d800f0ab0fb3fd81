import { sql } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { currentUser } from "../../lib/auth/middleware";
import { notFound } from "../../lib/errors";
import { serveObject } from "../tracks/serve-object";
import { viewerOf } from "../tracks/viewer";
import { ownedBy, visibleTo } from "./equipment-view";

type FileRow = { storage_path: string; mime_type: string; filename: string; is_public: boolean };

async function serve(c: Context<AppEnv>, row: FileRow | undefined, what: string, cacheControl: string, headers: Record<string, string>) {
  if (!row) throw notFound(what);
  const response = await serveObject(c.env.MEDIA, row.storage_path, c.req.raw, {
    contentType: row.mime_type,
    cacheControl,
    headers,
    requestId: c.get("requestId"),
  });
  if (!response) throw notFound(what);
  return response;
}

/**
 * GET /v1/equipment/:id/photos/:fileId, one round trip: one of the item's photos (only a file the
 * item lists, an image of its owner's), with byte ranges, to whoever may see the item — its owner,
 * and anyone while it is public. The URL names the file, so it may be cached; `public` only for
 * public items, and briefly, since the owner may make the item private.
 */
export async function servePhoto(c: Context<AppEnv>, id: string, fileId: string): Promise<Response> {
  const viewerId = viewerOf(c)?.userId ?? null;
  const { rows } = await c.var.db.execute<FileRow>(sql`
    SELECT f.storage_path, f.mime_type, f.original_filename AS filename, e.is_public
      FROM equipment e
      JOIN files f ON f.id = ${fileId}::uuid AND f.id = ANY(e.photo_file_ids) AND f.user_id = e.user_id
                  AND f.deleted_at IS NULL AND f.mime_type LIKE 'image/%'
     WHERE e.id = ${id}::uuid AND ${visibleTo(viewerId)}`);
  const row = rows[0];
  // an image, never a document: nothing in it may run or be framed
  return serve(c, row, "This photo", `${row?.is_public ? "public" : "private"}, max-age=300`, {
    "Content-Security-Policy": "default-src 'none'; sandbox",
  });
}

/**
 * GET /v1/me/equipment/:id/documents/:fileId, one round trip: a document (invoice, certificate,
 * receipt) that one of my item's warranties or maintenance entries lists. The owner's only, and
 * sent as an attachment: a PDF is not rendered inside the API's origin.
 */
export async function serveDocument(c: Context<AppEnv>, id: string, fileId: string): Promise<Response> {
  const userId = currentUser(c).userId;
  const { rows } = await c.var.db.execute<FileRow>(sql`
    SELECT f.storage_path, f.mime_type, f.original_filename AS filename, false AS is_public
      FROM equipment e
      JOIN files f ON f.id = ${fileId}::uuid AND f.user_id = e.user_id AND f.deleted_at IS NULL
     WHERE e.id = ${id}::uuid AND ${ownedBy(userId)}
       AND (EXISTS (SELECT 1 FROM equipment_warranties w WHERE w.equipment_id = e.id AND f.id = ANY(w.document_file_ids))
         OR EXISTS (SELECT 1 FROM equipment_maintenance m WHERE m.equipment_id = e.id AND f.id = ANY(m.document_file_ids)))`);
  const row = rows[0];
  const filename = (row?.filename ?? "document").replace(/[^\w.\- ]+/g, "_");
  return serve(c, row, "This document", "private, max-age=300", {
    "Content-Disposition": `attachment; filename="${filename}"`,
    "Content-Security-Policy": "default-src 'none'; sandbox",
  });
}
