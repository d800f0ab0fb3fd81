import { sql } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { notFound } from "../../lib/errors";
import { serveObject } from "../tracks/serve-object";
import { visibleTo } from "./message-view";

type AttachmentRow = {
  storage_path: string;
  original_filename: string;
  mime_type: string;
};

/** `attachment; filename="…"; filename*=UTF-8''…` of a user's file name, without path, control or quoting characters (RFC 6266). */
export function attachmentDisposition(originalFilename: string): string {
  const name = originalFilename.replace(/^.*[\\/]/, "").replace(/[\u0000-\u001f\u007f"\\;]/g, "").trim().slice(0, 200) || "attachment";
  const ascii = name.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^\x20-\x7e]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * GET /v1/me/direct-messages/:id/attachment: the attached file, streamed from R2 with Range, to
 * the message's two participants only, and only while the message is not deleted for the one
 * asking; one round trip. Anyone else gets the same 404 as for a message that does not exist.
 * Always a download (Content-Disposition: attachment, a sandboxing CSP): the bytes are another
 * user's, and must never run as a page of ours.
 */
export async function serveAttachment(c: Context<AppEnv>, me: string, messageId: string): Promise<Response> {
  const { rows } = await c.var.db.execute<AttachmentRow>(sql`
    SELECT f.storage_path, f.original_filename, f.mime_type
      FROM direct_messages d JOIN files f ON f.id = d.attachment_file_id AND f.deleted_at IS NULL
     WHERE d.id = ${messageId}::uuid AND ${visibleTo("d", me)}`);
  const row = rows[0];
  if (!row) throw notFound("This message's attachment");
  const response = await serveObject(c.env.MEDIA, row.storage_path, c.req.raw, {
    contentType: row.mime_type,
    cacheControl: "private, no-store",
    headers: { "Content-Disposition": attachmentDisposition(row.original_filename), "Content-Security-Policy": "default-src 'none'; sandbox" },
    requestId: c.get("requestId"),
  });
  if (!response) throw notFound("This message's attachment");
  return response;
}
