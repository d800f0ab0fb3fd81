import { sql } from "drizzle-orm";
import type { UploadPart } from "../../db/schema/files";
import { kindOf } from "./policy";
import type { UploadView } from "./schemas";

/** An upload as the statements of this domain return it (bigints arrive as strings). */
export type UploadRow = {
  id: string;
  filename: string;
  mime_type: string;
  file_size: number | string;
  file_hash: string;
  status: UploadView["status"];
  part_size: number;
  total_chunks: number;
  chunks_uploaded: number;
  bytes_uploaded: number | string;
  parts: UploadPart[];
  file_id: string | null;
  metadata: { error?: string; error_code?: string; duplicate_of?: string } | null;
  storage_key: string;
  upload_id: string;
  expires_at: string;
  created_at: string;
  /** An incomplete upload past expires_at, which the cleanup job has not reached yet. */
  expired: boolean;
}

/** The columns of an UploadRow, for `SELECT ... FROM file_uploads u` and `RETURNING` (the table is `u` or unqualified). */
export const uploadColumns = (t = "file_uploads") =>
  sql.raw(`${t}.id, ${t}.filename, ${t}.mime_type, ${t}.file_size, ${t}.file_hash, ${t}.status, ${t}.part_size, ${t}.total_chunks,
   ${t}.chunks_uploaded, ${t}.bytes_uploaded, ${t}.parts, ${t}.file_id, ${t}.metadata, ${t}.storage_key, ${t}.upload_id,
   to_char(${t}.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS expires_at,
   to_char(${t}.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
   (${t}.status IN ('pending', 'uploading') AND ${t}.expires_at <= now()) AS expired`);

/** What a client sees of an upload: enough to resume it (the parts received and those missing). */
export function toUploadView(row: UploadRow): UploadView {
  const parts = [...row.parts].sort((a, b) => a.partNumber - b.partNumber);
  const received = new Set(parts.map((p) => p.partNumber));
  const missing: number[] = [];
  for (let n = 1; n <= row.total_chunks; n++) if (!received.has(n)) missing.push(n);
  return {
    id: row.id,
    filename: row.filename,
    mime_type: row.mime_type,
    kind: kindOf(row.mime_type),
    size: Number(row.file_size),
    sha256: row.file_hash,
    status: row.expired ? "expired" : row.status,
    part_size: row.part_size,
    total_parts: row.total_chunks,
    parts_uploaded: row.chunks_uploaded,
    bytes_uploaded: Number(row.bytes_uploaded),
    parts: parts.map((p) => ({ part_number: p.partNumber, size: p.size })),
    missing_parts: missing,
    file_id: row.file_id,
    error: row.metadata?.error ?? null,
    expires_at: row.expires_at,
    created_at: row.created_at,
  };
}
