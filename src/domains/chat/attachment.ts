import type { Context } from "hono";
import { sql } from "drizzle-orm";
import type { AppEnv } from "../../env";
import { notFound } from "../../lib/errors";
import { serveObject } from "../tracks/serve-object";
import { requireReader, roomAccessJson, toRoomAccess } from "./room-access";
import { roomOf } from "./room-object";

/**
 * GET /v1/rooms/:id/attachments/:fileId: a file attached to a message of the room, to those who
 * may read the room. The file must be attached in this room (in Postgres, or in a message the
 * room's object has not flushed yet); anything else is 404. One round trip.
 */
export async function serveAttachment(c: Context<AppEnv>, roomId: string, fileId: string): Promise<Response> {
  const userId = c.get("auth")?.userId ?? null;
  const { rows } = await c.var.db.execute<{ access: unknown; storage_path: string | null; mime_type: string | null; attached: boolean }>(sql`
    SELECT ${roomAccessJson(roomId, userId)} AS access, f.storage_path, f.mime_type,
           EXISTS (SELECT 1 FROM messages m WHERE m.room_id = ${roomId}::uuid AND m.attachment_file_id = f.id AND NOT m.is_deleted) AS attached
      FROM (SELECT 1) one LEFT JOIN files f ON f.id = ${fileId}::uuid AND f.deleted_at IS NULL`);
  const row = rows[0]!;
  const access = requireReader(toRoomAccess(row.access));
  if (!row.storage_path) throw notFound("This attachment");
  if (!row.attached && !(await roomOf(c.env, roomId).hasAttachment(fileId))) throw notFound("This attachment");
  const response = await serveObject(c.env.MEDIA, row.storage_path, c.req.raw, {
    contentType: row.mime_type ?? "application/octet-stream",
    cacheControl: access.is_private ? "private, max-age=3600" : "public, max-age=3600",
    headers: { "Content-Disposition": "attachment" },
    requestId: c.var.requestId,
  });
  if (!response) throw notFound("This attachment");
  return response;
}
