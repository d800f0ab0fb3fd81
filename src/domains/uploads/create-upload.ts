import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError } from "../../lib/errors";
import type { Logger } from "../../lib/logger";
import { cleanFilename, DECLARED_TYPES, DEFAULT_PART_SIZE, storageKey, totalParts } from "./policy";
import { duplicateFile, duplicateUpload } from "./problems";
import type { CreateUploadInput, UploadView } from "./schemas";
import { toUploadView, uploadColumns, type UploadRow } from "./upload-view";

type CreatedRow = Partial<UploadRow> & {
  duplicate_file: string | null;
  duplicate_upload: string | null;
}

/**
 * Opens an upload: the R2 multipart upload first (its id is part of the row), then one statement
 * that records the session unless the user already has this content — as a live file (409 with
 * its file_id, to reuse) or as an upload still under way (409 with its upload_id, to resume). On a
 * duplicate, the multipart upload just opened is aborted. One round trip.
 */
export async function createUpload(db: Database, media: R2Bucket, log: Logger, userId: string, input: CreateUploadInput): Promise<UploadView> {
  const id = crypto.randomUUID();
  const key = storageKey(userId, id);
  const partSize = input.part_size ?? DEFAULT_PART_SIZE;
  const multipart = await media.createMultipartUpload(key, { customMetadata: { userId, uploadId: id, sha256: input.sha256 } }).catch((err: unknown) => {
    throw new ApiError("service_unavailable", "Storage is unavailable right now; retry shortly.", { cause: err, headers: { "Retry-After": "5" } });
  });
  const abandon = () => multipart.abort().catch((err) => log.warn("uploads: abort failed", { key, error: String(err) }));

  let row: CreatedRow | undefined;
  try {
    ({ rows: [row] } = await db.execute<CreatedRow>(sql`
      WITH duplicate_file AS (
        SELECT id FROM files
         WHERE user_id = ${userId} AND file_hash = ${input.sha256} AND deleted_at IS NULL
         LIMIT 1
      ), duplicate_upload AS (
        SELECT id FROM file_uploads
         WHERE user_id = ${userId} AND file_hash = ${input.sha256} AND expires_at > now()
           AND status IN ('pending', 'uploading', 'processing')
         LIMIT 1
      ), created AS (
        INSERT INTO file_uploads (id, user_id, filename, file_size, mime_type, file_hash, total_chunks, part_size, status, storage_key, upload_id)
        SELECT ${id}::uuid, ${userId}::uuid, ${cleanFilename(input.filename)}, ${input.size}::bigint, ${DECLARED_TYPES[input.mime_type]},
               ${input.sha256}, ${totalParts(input.size, partSize)}::int, ${partSize}::int, 'pending', ${key}, ${multipart.uploadId}
         WHERE NOT EXISTS (SELECT 1 FROM duplicate_file) AND NOT EXISTS (SELECT 1 FROM duplicate_upload)
        RETURNING ${uploadColumns()}
      )
      SELECT created.*, (SELECT id FROM duplicate_file) AS duplicate_file, (SELECT id FROM duplicate_upload) AS duplicate_upload
        FROM (SELECT 1) AS one LEFT JOIN created ON true`));
  } catch (err) {
    await abandon();
    throw err;
  }
  if (!row?.id) {
    await abandon();
    if (row?.duplicate_file) throw duplicateFile(row.duplicate_file);
    throw duplicateUpload(row!.duplicate_upload!);
  }
  return toUploadView(row as UploadRow);
}
