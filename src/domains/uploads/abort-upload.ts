import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, notFound } from "../../lib/errors";
import type { Logger } from "../../lib/logger";
import { STALE_COMPLETION_MINUTES } from "./policy";

type AbortRow = {
  status: string;
  storage_key: string;
  upload_id: string;
  aborted: boolean;
}

/**
 * Aborts an upload: the row is marked 'aborted' (kept, so the client that asks afterwards learns
 * what happened; the cleanup job deletes it a day later), then the R2 multipart upload is aborted,
 * which drops its parts. Aborting twice is fine. A completed upload is a file now (409: delete the
 * file instead); one being completed cannot be aborted until that finishes or is found stale.
 * One round trip. Should R2 fail, the row stays aborted and the cleanup job aborts it again.
 */
export async function abortUpload(db: Database, media: R2Bucket, log: Logger, userId: string, uploadId: string): Promise<void> {
  const { rows } = await db.execute<AbortRow>(sql`
    WITH target AS (
      SELECT status, storage_key, upload_id FROM file_uploads WHERE id = ${uploadId} AND user_id = ${userId}
    ), aborted AS (
      UPDATE file_uploads SET status = 'aborted'
       WHERE id = ${uploadId} AND user_id = ${userId}
         AND (status IN ('pending', 'uploading', 'failed', 'expired')
              OR (status = 'processing' AND updated_at < now() - make_interval(mins => ${STALE_COMPLETION_MINUTES})))
      RETURNING id
    )
    SELECT t.*, EXISTS (SELECT 1 FROM aborted) AS aborted FROM target t`);
  const row = rows[0];
  if (!row) throw notFound("This upload");
  if (row.status === "completed") throw new ApiError("conflict", "This upload is completed: it is a file now. Delete the file instead.");
  if (row.status === "processing" && !row.aborted) throw new ApiError("conflict", "This upload is being completed; it cannot be aborted now.");
  if (!row.aborted) return; // already aborted
  await media
    .resumeMultipartUpload(row.storage_key, row.upload_id)
    .abort()
    .catch((err) => log.warn("uploads: R2 abort failed; the cleanup job will retry", { key: row.storage_key, error: String(err) }));
  // a stale completion may have assembled the object already: it belongs to no file
  if (row.status === "processing") await media.delete(row.storage_key);
}
