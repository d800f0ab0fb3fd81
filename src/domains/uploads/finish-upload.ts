import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { SniffedMedia } from "../../media/sniff";
import type { StoredFile } from "./schemas";
import type { UploadRow } from "./upload-view";

export type FinishedRow = {
  /** The new file, when it was stored. */
  file: StoredFile | null;
  /** The user's live file with the same content, when that refused this one. */
  existing: string | null;
  /** The upload's status now: 'completed', 'failed' (a duplicate), or null (it stopped being this completion's). */
  status: string | null;
}

/** Where a stored original is served from (the files domain owns the route). */
export const fileUrl = (fileId: string) => `/v1/files/${fileId}`;

/**
 * One statement, so one transaction: the `files` row (its type the sniffed one, its name the
 * client's), and the upload marked completed and pointing at it. When the user's unique
 * (user_id, file_hash) index refuses the file — the same content completed meanwhile — the upload
 * is marked failed instead, naming the file that won. Nothing happens unless this completion still
 * holds the claim.
 */
export async function finishUpload(db: Database, row: UploadRow, userId: string, sniffed: SniffedMedia): Promise<FinishedRow> {
  const fileId = crypto.randomUUID();
  const metadata = JSON.stringify({ upload_id: row.id, kind: sniffed.kind, extension: sniffed.extension, declared_mime_type: row.mime_type });
  const { rows } = await db.execute<FinishedRow>(sql`
    WITH claim AS (
      SELECT id FROM file_uploads WHERE id = ${row.id} AND user_id = ${userId} AND status = 'processing'
    ), inserted AS (
      INSERT INTO files (id, user_id, filename, original_filename, mime_type, file_size, storage_path, storage_provider, url, file_hash, metadata)
      SELECT ${fileId}::uuid, ${userId}::uuid, ${`${row.id}.${sniffed.extension}`}, ${row.filename}, ${sniffed.mime}, ${Number(row.file_size)}::bigint,
             ${row.storage_key}, 'r2', ${fileUrl(fileId)}, ${row.file_hash}, ${metadata}::jsonb
        FROM claim
      ON CONFLICT (user_id, file_hash) WHERE deleted_at IS NULL AND file_hash IS NOT NULL DO NOTHING
      RETURNING id, original_filename, mime_type, file_size, file_hash, url, created_at
    ), existing AS (
      SELECT f.id FROM files f
       WHERE f.user_id = ${userId} AND f.file_hash = ${row.file_hash} AND f.deleted_at IS NULL
         AND EXISTS (SELECT 1 FROM claim) AND NOT EXISTS (SELECT 1 FROM inserted)
       LIMIT 1
    ), upload AS (
      UPDATE file_uploads u SET
        status = CASE WHEN EXISTS (SELECT 1 FROM inserted) THEN 'completed' ELSE 'failed' END,
        file_id = (SELECT id FROM inserted),
        metadata = CASE WHEN EXISTS (SELECT 1 FROM inserted) THEN u.metadata
                        ELSE COALESCE(u.metadata, '{}'::jsonb) || jsonb_build_object(
                               'error', 'You already have a file with this SHA-256.', 'error_code', 'conflict',
                               'duplicate_of', (SELECT id FROM existing)) END
       WHERE u.id IN (SELECT id FROM claim)
      RETURNING u.status
    )
    SELECT (SELECT status FROM upload) AS status,
           (SELECT id FROM existing) AS existing,
           (SELECT json_build_object(
              'id', i.id, 'upload_id', ${row.id}::uuid, 'filename', i.original_filename, 'mime_type', i.mime_type,
              'kind', ${sniffed.kind}::text, 'extension', ${sniffed.extension}::text, 'size', i.file_size, 'sha256', i.file_hash, 'url', i.url,
              'created_at', to_char(i.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
              FROM inserted i) AS file`);
  const result = rows[0]!;
  return { ...result, file: result.file ? { ...result.file, size: Number(result.file.size) } : null };
}
