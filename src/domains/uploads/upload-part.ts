import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, notFound } from "../../lib/errors";
import { expectedPartSize, UPLOAD_TTL_HOURS } from "./policy";
import type { UploadView } from "./schemas";
import { isNoSuchUpload, storageReason } from "./storage";
import { toUploadView, uploadColumns, type UploadRow } from "./upload-view";

export interface PartInput {
  userId: string;
  uploadId: string;
  partNumber: number;
  contentLength: number;
  body: ReadableStream<Uint8Array> | null;
}

/** Refuses parts for an upload that no longer takes them, saying why. */
export function assertTakesParts(row: Pick<UploadRow, "status" | "expired">): void {
  if (row.expired || row.status === "expired") throw new ApiError("gone", "This upload expired; start a new one.");
  switch (row.status) {
    case "pending":
    case "uploading":
      return;
    case "processing":
      throw new ApiError("conflict", "This upload is being completed and takes no more parts.");
    case "completed":
      throw new ApiError("conflict", "This upload is already completed.");
    default:
      throw new ApiError("conflict", `This upload is ${row.status} and takes no more parts; start a new one.`);
  }
}

/**
 * Stores part `n` of an upload. The body streams into R2 through a FixedLengthStream of exactly
 * the part's size: R2 needs a stream of known length, and a body that breaks off (the client
 * dropped) or runs long errors the stream, so R2 keeps nothing for the part and nothing is
 * recorded: the client sends the part again. The part is then recorded by one UPDATE that
 * rebuilds `parts` from the row it updates (replacing an earlier copy of the same part) and
 * recomputes the counters from it — concurrent parts of one upload serialise on the row lock and
 * each sees the other's part, so none is lost. Two round trips: read the upload, record the part.
 */
export async function uploadPart(db: Database, media: R2Bucket, input: PartInput): Promise<UploadView> {
  const { userId, uploadId, partNumber: n } = input;
  const { rows } = await db.execute<UploadRow>(sql`SELECT ${uploadColumns("u")} FROM file_uploads u WHERE u.id = ${uploadId} AND u.user_id = ${userId}`);
  const row = rows[0];
  if (!row) throw notFound("This upload");
  assertTakesParts(row);
  if (n > row.total_chunks) {
    throw new ApiError("validation_failed", "The part number is out of range.", {
      errors: [{ path: "param.n", message: `must be between 1 and ${row.total_chunks} (total_parts)` }],
    });
  }
  const size = expectedPartSize(Number(row.file_size), row.part_size, n);
  if (input.contentLength !== size) {
    throw new ApiError("validation_failed", `Part ${n} of ${row.total_chunks} must be exactly ${size} bytes.`, {
      errors: [{ path: "header.content-length", message: `must be ${size} for part ${n}` }],
    });
  }
  if (!input.body) throw new ApiError("validation_failed", "The part has no body.", { errors: [{ path: "body", message: "is required" }] });

  const fixed = new FixedLengthStream(size);
  const piping = input.body.pipeTo(fixed.writable);
  const storing = media.resumeMultipartUpload(row.storage_key, row.upload_id).uploadPart(n, fixed.readable);
  const [piped, stored] = await Promise.allSettled([piping, storing]);
  if (stored.status === "rejected" && isNoSuchUpload(stored.reason)) {
    throw new ApiError("conflict", "This upload no longer takes parts (completed or aborted).", { cause: stored.reason });
  }
  // A body that errors fails the pipe; one that ends early closes the FixedLengthStream short,
  // which only R2's read of it sees.
  const bodyError =
    piped.status === "rejected" ? piped.reason : stored.status === "rejected" && /FixedLengthStream/.test(String(stored.reason)) ? stored.reason : null;
  if (bodyError) {
    throw new ApiError("bad_request", `The body of part ${n} broke off before its ${size} bytes arrived; nothing was kept. Send the part again.`, {
      cause: bodyError,
    });
  }
  if (stored.status === "rejected") {
    throw new ApiError("service_unavailable", `Storage did not take part ${n} (${storageReason(stored.reason)}); send it again.`, {
      cause: stored.reason,
      headers: { "Retry-After": "1" },
    });
  }

  const part = JSON.stringify({ partNumber: n, etag: stored.value.etag, size });
  const others = sql`(SELECT e FROM jsonb_array_elements(parts) e WHERE (e->>'partNumber')::int <> ${n})`;
  const { rows: updated } = await db.execute<UploadRow>(sql`
    UPDATE file_uploads SET
      parts = (SELECT jsonb_agg(p.e ORDER BY (p.e->>'partNumber')::int) FROM (${others} UNION ALL SELECT ${part}::jsonb) AS p(e)),
      bytes_uploaded = ${size}::bigint + (SELECT COALESCE(sum((o.e->>'size')::bigint), 0) FROM ${others} AS o(e)),
      chunks_uploaded = 1 + (SELECT count(*) FROM ${others} AS o(e)),
      status = 'uploading',
      expires_at = GREATEST(expires_at, now() + make_interval(hours => ${UPLOAD_TTL_HOURS}))
     WHERE id = ${uploadId} AND user_id = ${userId} AND status IN ('pending', 'uploading') AND expires_at > now()
    RETURNING ${uploadColumns()}`);
  if (!updated[0]) throw new ApiError("conflict", "This upload stopped taking parts while this one was sent (completed, aborted or expired).");
  return toUploadView(updated[0]);
}
