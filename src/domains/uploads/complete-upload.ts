import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, notFound, type ErrorCode, type FieldError } from "../../lib/errors";
import type { SniffedMedia } from "../../media/sniff";
import { finishUpload } from "./finish-upload";
import { kindOf, STALE_COMPLETION_MINUTES } from "./policy";
import { duplicateFile, UploadProblem } from "./problems";
import type { StoredFile } from "./schemas";
import { sha256OfObject, sniffObject, storageReason } from "./storage";
import { assertTakesParts } from "./upload-part";
import { toUploadView, uploadColumns, type UploadRow } from "./upload-view";

type ClaimRow = UploadRow & {
  claimed: boolean;
  /** This upload's file when completed (null when deleted since). */
  file: StoredFile | null;
}

/**
 * Claims the upload for completion (status 'processing') when every part is in, and reads it —
 * with its file when it is already completed. One statement; the claim keeps concurrent
 * completions, part uploads and aborts out. A claim older than STALE_COMPLETION_MINUTES belongs to
 * a completion that crashed, and is taken over.
 */
async function claim(db: Database, userId: string, uploadId: string): Promise<ClaimRow | undefined> {
  const { rows } = await db.execute<ClaimRow>(sql`
    WITH claimed AS (
      UPDATE file_uploads SET status = 'processing'
       WHERE id = ${uploadId} AND user_id = ${userId} AND expires_at > now() AND chunks_uploaded = total_chunks
         AND (status = 'uploading' OR (status = 'processing' AND updated_at < now() - make_interval(mins => ${STALE_COMPLETION_MINUTES})))
      RETURNING id
    )
    SELECT ${uploadColumns("u")}, EXISTS (SELECT 1 FROM claimed) AS claimed,
           CASE WHEN f.id IS NOT NULL THEN json_build_object(
             'id', f.id, 'upload_id', u.id, 'filename', f.original_filename, 'mime_type', f.mime_type, 'kind', f.metadata->>'kind',
             'extension', f.metadata->>'extension', 'size', f.file_size, 'sha256', f.file_hash, 'url', f.url,
             'created_at', to_char(f.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) END AS file
      FROM file_uploads u LEFT JOIN files f ON f.id = u.file_id AND f.deleted_at IS NULL
     WHERE u.id = ${uploadId} AND u.user_id = ${userId}`);
  return rows[0];
}

/** Why a claim was refused, as the error the client gets (a completed upload's file is not an error: see completeUpload). */
function refusal(row: ClaimRow): ApiError {
  if (row.status === "completed") return new ApiError("gone", "This upload's file was deleted.");
  if (row.status === "failed") {
    const meta = row.metadata ?? {};
    if (meta.duplicate_of) return duplicateFile(meta.duplicate_of);
    return new ApiError((meta.error_code as ErrorCode | undefined) ?? "conflict", `This upload failed: ${meta.error ?? "unknown reason"} Start a new upload.`);
  }
  if (row.status === "processing") return new ApiError("conflict", "This upload is being completed; ask again in a moment.", { headers: { "Retry-After": "5" } });
  assertTakesParts(row); // aborted, expired
  const missing = toUploadView(row).missing_parts;
  return new UploadProblem("conflict", `Parts are missing: ${missing.slice(0, 20).join(", ")}${missing.length > 20 ? ", …" : ""}. Send them, then complete again.`, {
    missing_parts: missing,
  });
}

/** Marks a claimed upload failed (its object deleted first), recording why so a repeated completion answers the same. */
async function fail(db: Database, media: R2Bucket, row: UploadRow, userId: string, error: ApiError): Promise<never> {
  await media.delete(row.storage_key);
  const metadata = JSON.stringify({ error: error.message, error_code: error.code });
  await db.execute(sql`
    UPDATE file_uploads SET status = 'failed', metadata = COALESCE(metadata, '{}'::jsonb) || ${metadata}::jsonb
     WHERE id = ${row.id} AND user_id = ${userId} AND status = 'processing'`);
  throw error;
}

/** Gives a claim back (status 'uploading'): the parts are still there to be completed again. */
async function release(db: Database, row: UploadRow, userId: string): Promise<void> {
  await db.execute(sql`UPDATE file_uploads SET status = 'uploading' WHERE id = ${row.id} AND user_id = ${userId} AND status = 'processing'`);
}

/** Assembles the parts into one R2 object; a completion taking over a crashed one may find it assembled already. */
async function assemble(media: R2Bucket, row: UploadRow): Promise<number> {
  const parts = [...row.parts].sort((a, b) => a.partNumber - b.partNumber).map(({ partNumber, etag }) => ({ partNumber, etag }));
  try {
    return (await media.resumeMultipartUpload(row.storage_key, row.upload_id).complete(parts)).size;
  } catch (err) {
    const object = await media.head(row.storage_key).catch(() => null);
    if (object) return object.size;
    throw new ApiError(
      "conflict",
      `Storage could not assemble the parts (${storageReason(err)}). Complete again; if it keeps failing, send the parts again or abort the upload.`,
      { cause: err },
    );
  }
}

const unsupported = (row: UploadRow, sniffed: SniffedMedia | null) =>
  sniffed
    ? new ApiError("unsupported_media_type", `Declared as ${row.mime_type}, but the bytes are ${sniffed.mime}: an ${kindOf(row.mime_type)} upload must hold ${kindOf(row.mime_type) === "audio" ? "audio" : "an image"}.`)
    : new ApiError(
        "unsupported_media_type",
        `The bytes of "${row.filename}" are not a type Veza stores (WAV, FLAC or MP3 audio; JPEG, PNG or WebP images), whatever its name or declared type says.`,
      );

/**
 * Completes an upload: claim (1st round trip), assemble the parts in R2, read the real type from
 * the object's first bytes, hash the whole object as it streams from R2, then one statement that
 * inserts the `files` row and marks the upload completed (2nd round trip). Refused types, a kind
 * other than declared, or a hash other than declared fail the upload and delete the object. The
 * per-user hash index can still refuse the file (the same content completed meanwhile): 409 with
 * that file's id. Completing a completed upload returns its file again (`created: false`).
 */
export async function completeUpload(db: Database, media: R2Bucket, userId: string, uploadId: string): Promise<{ file: StoredFile; created: boolean }> {
  const row = await claim(db, userId, uploadId);
  if (!row) throw notFound("This upload");
  if (row.status === "completed" && row.file) return { file: { ...row.file, size: Number(row.file.size) }, created: false };
  if (!row.claimed) throw refusal(row);
  try {
    return { file: await store(db, media, row, userId), created: true };
  } catch (err) {
    if (err instanceof ApiError) throw err;
    // Storage or the database failed midway: the claim is given back, so completing again retries
    // at once (finding the object assembled, if it got that far).
    await release(db, row, userId).catch(() => undefined);
    throw new ApiError("service_unavailable", "Completing the upload failed on our side; complete it again.", { cause: err, headers: { "Retry-After": "5" } });
  }
}

/** The work of a claimed completion: assemble, sniff, hash, record. */
async function store(db: Database, media: R2Bucket, row: UploadRow, userId: string): Promise<StoredFile> {
  let size: number;
  try {
    size = await assemble(media, row);
  } catch (err) {
    await release(db, row, userId);
    throw err;
  }
  const sniffed = await sniffObject(media, row.storage_key, size);
  if (!sniffed || sniffed.kind !== kindOf(row.mime_type)) return fail(db, media, row, userId, unsupported(row, sniffed));
  const hash = await sha256OfObject(media, row.storage_key);
  if (size !== Number(row.file_size) || hash !== row.file_hash) {
    const errors: FieldError[] = [{ path: "sha256", message: `the stored bytes hash to ${hash}` }];
    return fail(db, media, row, userId, new ApiError("validation_failed", "The stored bytes do not match the declared SHA-256 (a part was corrupted, or the declared hash is wrong).", { errors }));
  }

  const finished = await finishUpload(db, row, userId, sniffed);
  if (finished.file) return finished.file;
  if (finished.status !== "failed") throw new ApiError("conflict", "This upload was aborted or expired while it was being completed.");
  // the same content completed meanwhile: this copy goes, the client gets the file that won
  await media.delete(row.storage_key);
  throw duplicateFile(finished.existing ?? (await liveFileWithHash(db, userId, row.file_hash)));
}

/** The user's live file with this content (the race of two completions; the snapshot of the refused insert may not have seen it). */
async function liveFileWithHash(db: Database, userId: string, hash: string): Promise<string> {
  const { rows } = await db.execute<{ id: string }>(sql`SELECT id FROM files WHERE user_id = ${userId} AND file_hash = ${hash} AND deleted_at IS NULL`);
  return rows[0]?.id ?? "";
}
