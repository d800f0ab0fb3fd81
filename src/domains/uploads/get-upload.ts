import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { notFound } from "../../lib/errors";
import type { UploadView } from "./schemas";
import { toUploadView, uploadColumns, type UploadRow } from "./upload-view";

/** One of the user's uploads, with what a client needs to resume it. Another user's is not found. One round trip. */
export async function getUpload(db: Database, userId: string, uploadId: string): Promise<UploadView> {
  const { rows } = await db.execute<UploadRow>(sql`SELECT ${uploadColumns("u")} FROM file_uploads u WHERE u.id = ${uploadId} AND u.user_id = ${userId}`);
  if (!rows[0]) throw notFound("This upload");
  return toUploadView(rows[0]);
}
