// Constraint and trigger tests for migrations/0003_files.sql (spec §6).
import { describe, it, expect } from "vitest";
import { sql, expectPgError, createUser, createFile, MISSING, insert, type Row } from "../helpers/db";

const uniq = () => crypto.randomUUID().replace(/-/g, "");
/** A random SHA-256-shaped lowercase hex string. */
const sha256ish = () => (uniq() + uniq()).slice(0, 64);

type Ctx = { userId: string; fileId: string };

// A valid row per table; each rejection case overrides some of its values.
const valid: Record<string, (c: Ctx) => Row> = {
  files: ({ userId }) => {
    const s = uniq();
    return {
      user_id: userId, filename: `${s}.wav`, original_filename: "My Song.wav", mime_type: "audio/wav",
      file_size: 1024, storage_path: `uploads/${s}.wav`, url: `https://media.example.com/${s}.wav`,
    };
  },
  file_uploads: ({ userId }) => ({ user_id: userId, filename: "take.flac", file_size: 10_485_760, mime_type: "audio/flac" }),
  file_metadata: ({ fileId }) => ({ file_id: fileId }),
  file_conversions: ({ fileId }) => ({ source_file_id: fileId, target_format: "mp3" }),
};

type RejectCase = { what: string; table: string; bad: (c: Ctx) => Row | Promise<Row>; code: string; constraint?: string };

const rejections: RejectCase[] = [
  // files
  { what: "a file of 0 bytes", table: "files", bad: () => ({ file_size: 0 }), code: "23514", constraint: "chk_files_size_positive" },
  { what: "an unknown storage provider", table: "files", bad: () => ({ storage_provider: "gcs" }), code: "23514", constraint: "chk_files_storage_provider" },
  { what: "a file hash that is not lowercase hex SHA-256", table: "files", bad: () => ({ file_hash: "ABC123" }), code: "23514", constraint: "chk_files_file_hash_format" },
  { what: "an unknown virus scan status", table: "files", bad: () => ({ virus_scan_status: "dirty" }), code: "22P02" },
  { what: "a file of a missing user", table: "files", bad: () => ({ user_id: MISSING }), code: "23503", constraint: "fk_files_users" },
  { what: "a file without a url", table: "files", bad: () => ({ url: null }), code: "23502" },
  {
    what: "the same content twice for one user", table: "files", code: "23505", constraint: "uq_files_user_id_file_hash",
    bad: async (c) => ({ file_hash: (await insert("files", { ...valid.files!(c), file_hash: sha256ish() })).file_hash }),
  },
  // file_uploads
  { what: "an unknown upload status", table: "file_uploads", bad: () => ({ status: "paused" }), code: "23514", constraint: "chk_file_uploads_status" },
  { what: "more bytes uploaded than the file has", table: "file_uploads", bad: () => ({ bytes_uploaded: 10_485_761 }), code: "23514", constraint: "chk_file_uploads_bytes_uploaded" },
  { what: "a negative bytes_uploaded", table: "file_uploads", bad: () => ({ bytes_uploaded: -1 }), code: "23514", constraint: "chk_file_uploads_bytes_uploaded" },
  { what: "an upload of 0 bytes", table: "file_uploads", bad: () => ({ file_size: 0, bytes_uploaded: 0 }), code: "23514", constraint: "chk_file_uploads_file_size_positive" },
  { what: "a declared hash that is not SHA-256 hex", table: "file_uploads", bad: () => ({ file_hash: "xyz" }), code: "23514", constraint: "chk_file_uploads_file_hash_format" },
  { what: "more chunks uploaded than the total", table: "file_uploads", bad: () => ({ chunks_uploaded: 3, total_chunks: 2 }), code: "23514", constraint: "chk_file_uploads_chunks" },
  { what: "a total of 0 chunks", table: "file_uploads", bad: () => ({ total_chunks: 0 }), code: "23514", constraint: "chk_file_uploads_chunks" },
  { what: "a part size of 0", table: "file_uploads", bad: () => ({ part_size: 0 }), code: "23514", constraint: "chk_file_uploads_part_size_positive" },
  { what: "parts that are not a JSON array", table: "file_uploads", bad: () => ({ parts: JSON.stringify({ partNumber: 1 }) }), code: "23514", constraint: "chk_file_uploads_parts_array" },
  { what: "an upload completed into a missing file", table: "file_uploads", bad: () => ({ file_id: MISSING }), code: "23503", constraint: "fk_file_uploads_files" },
  { what: "an upload of a missing user", table: "file_uploads", bad: () => ({ user_id: MISSING }), code: "23503", constraint: "fk_file_uploads_users" },
  // file_metadata
  {
    what: "a second metadata row for a file", table: "file_metadata", code: "23505", constraint: "idx_file_metadata_file_id",
    bad: async (c) => { await insert("file_metadata", valid.file_metadata!(c)); return {}; },
  },
  { what: "a negative duration", table: "file_metadata", bad: () => ({ duration: -1 }), code: "23514", constraint: "chk_file_metadata_duration_non_negative" },
  { what: "a negative duration_ms", table: "file_metadata", bad: () => ({ duration_ms: -1 }), code: "23514", constraint: "chk_file_metadata_duration_ms_non_negative" },
  { what: "a bitrate of 0", table: "file_metadata", bad: () => ({ bitrate: 0 }), code: "23514", constraint: "chk_file_metadata_bitrate_positive" },
  { what: "a sample rate of 0", table: "file_metadata", bad: () => ({ sample_rate: 0 }), code: "23514", constraint: "chk_file_metadata_sample_rate_positive" },
  { what: "0 channels", table: "file_metadata", bad: () => ({ channels: 0 }), code: "23514", constraint: "chk_file_metadata_channels_positive" },
  { what: "an image 0 pixels wide", table: "file_metadata", bad: () => ({ width: 0, height: 10 }), code: "23514", constraint: "chk_file_metadata_dimensions_positive" },
  { what: "a tempo of 0 bpm", table: "file_metadata", bad: () => ({ bpm: 0 }), code: "23514", constraint: "chk_file_metadata_bpm_positive" },
  { what: "metadata of a missing file", table: "file_metadata", bad: () => ({ file_id: MISSING }), code: "23503", constraint: "fk_file_metadata_files" },
  // file_conversions
  { what: "an unknown conversion status", table: "file_conversions", bad: () => ({ status: "queued" }), code: "23514", constraint: "chk_file_conversions_status" },
  { what: "a progress of 101", table: "file_conversions", bad: () => ({ progress: 101 }), code: "23514", constraint: "chk_file_conversions_progress_range" },
  { what: "a progress of -1", table: "file_conversions", bad: () => ({ progress: -1 }), code: "23514", constraint: "chk_file_conversions_progress_range" },
  { what: "a negative attempt count", table: "file_conversions", bad: () => ({ attempts: -1 }), code: "23514", constraint: "chk_file_conversions_attempts_non_negative" },
  { what: "a conversion of a missing file", table: "file_conversions", bad: () => ({ source_file_id: MISSING }), code: "23503", constraint: "fk_file_conversions_source_file" },
  { what: "a conversion into a missing file", table: "file_conversions", bad: () => ({ converted_file_id: MISSING }), code: "23503", constraint: "fk_file_conversions_converted_file" },
];

async function context(): Promise<Ctx> {
  const user = await createUser();
  const file = await createFile(user.id);
  return { userId: user.id, fileId: file.id };
}

describe("files: constraints reject bad rows", () => {
  it.each(rejections)("rejects $what", async ({ table, bad, code, constraint }) => {
    const c = await context();
    const row = { ...valid[table]!(c), ...(await bad(c)) };
    await expectPgError(insert(table, row), code, constraint);
  });

  it("accepts a valid row in every table", async () => {
    const c = await context();
    for (const table of Object.keys(valid)) {
      const row = await insert(table, valid[table]!(c));
      expect(row.id, table).toEqual(expect.any(String));
    }
  });
});

describe("files", () => {
  it("defaults to R2 storage and a pending virus scan", async () => {
    const c = await context();
    const [row] = await sql.query("SELECT storage_provider, virus_scan_status, virus_scanned, is_processed FROM files WHERE id = $1", [c.fileId]);
    expect(row).toEqual({ storage_provider: "r2", virus_scan_status: "pending", virus_scanned: false, is_processed: false });
  });

  it("allows the same content again once the first copy is soft-deleted", async () => {
    const c = await context();
    const hash = sha256ish();
    const first = await insert("files", { ...valid.files!(c), file_hash: hash });
    await sql.query("UPDATE files SET deleted_at = now() WHERE id = $1", [first.id]);
    const second = await insert("files", { ...valid.files!(c), file_hash: hash });
    expect(second.id).not.toBe(first.id);
  });

  it("allows the same content for two different users", async () => {
    const a = await context();
    const b = await context();
    const hash = sha256ish();
    await insert("files", { ...valid.files!(a), file_hash: hash });
    const other = await insert("files", { ...valid.files!(b), file_hash: hash });
    expect(other.file_hash).toBe(hash);
  });

  it("allows many files without a hash for one user", async () => {
    const c = await context();
    await insert("files", valid.files!(c));
    const again = await insert("files", valid.files!(c));
    expect(again.file_hash).toBeNull();
  });

  it("deletes a file's metadata and conversions with it, and unlinks uploads and converted outputs", async () => {
    const c = await context();
    const output = await createFile(c.userId);
    const upload = await insert("file_uploads", { ...valid.file_uploads!(c), file_id: c.fileId, status: "completed" });
    await insert("file_metadata", valid.file_metadata!(c));
    const fromOther = await insert("file_conversions", { source_file_id: output.id, converted_file_id: c.fileId, target_format: "mp3" });
    await insert("file_conversions", { source_file_id: c.fileId, converted_file_id: output.id, target_format: "aac" });
    await sql.query("DELETE FROM files WHERE id = $1", [c.fileId]);
    const [row] = await sql.query(
      `SELECT (SELECT count(*)::int FROM file_metadata WHERE file_id = $1) AS metadata,
              (SELECT count(*)::int FROM file_conversions WHERE source_file_id = $1) AS conversions,
              (SELECT file_id FROM file_uploads WHERE id = $2) AS upload_file_id,
              (SELECT converted_file_id FROM file_conversions WHERE id = $3) AS converted_file_id`,
      [c.fileId, upload.id, fromOther.id],
    );
    expect(row).toEqual({ metadata: 0, conversions: 0, upload_file_id: null, converted_file_id: null });
  });

  it("deletes a user's files and uploads with the user", async () => {
    const c = await context();
    await insert("file_uploads", valid.file_uploads!(c));
    await sql.query("DELETE FROM users WHERE id = $1", [c.userId]);
    const [row] = await sql.query(
      `SELECT (SELECT count(*)::int FROM files WHERE user_id = $1) + (SELECT count(*)::int FROM file_uploads WHERE user_id = $1) AS n`,
      [c.userId],
    );
    expect(row!.n).toBe(0);
  });
});

describe("file_uploads", () => {
  it("starts with no parts and expires after 24 hours", async () => {
    const c = await context();
    const [row] = await sql.query(
      `INSERT INTO file_uploads (user_id, filename, file_size, mime_type) VALUES ($1, 'a.wav', 100, 'audio/wav')
       RETURNING parts, status, bytes_uploaded, expires_at - created_at = interval '24 hours' AS expires_in_24h`,
      [c.userId],
    );
    expect(row).toEqual({ parts: [], status: "pending", bytes_uploaded: "0", expires_in_24h: true });
  });

  it("records R2 multipart parts as a JSON array", async () => {
    const c = await context();
    const upload = await insert("file_uploads", { ...valid.file_uploads!(c), part_size: 5_242_880, total_chunks: 2, upload_id: "r2-mpu-1" });
    const part = { partNumber: 1, etag: "\"abc\"", size: 5_242_880 };
    const [row] = await sql.query(
      `UPDATE file_uploads SET parts = parts || $2::jsonb, chunks_uploaded = chunks_uploaded + 1,
              bytes_uploaded = bytes_uploaded + $3, status = 'uploading'
        WHERE id = $1 RETURNING parts, chunks_uploaded`,
      [upload.id, JSON.stringify([part]), part.size],
    );
    expect(row).toEqual({ parts: [part], chunks_uploaded: 1 });
  });

  it.each(["pending", "uploading", "processing", "completed", "failed", "aborted", "expired"])("accepts the status %s", async (status) => {
    const c = await context();
    const row = await insert("file_uploads", { ...valid.file_uploads!(c), status });
    expect(row.status).toBe(status);
  });
});

describe("file_metadata", () => {
  it("stores loudness and millisecond duration", async () => {
    const c = await context();
    const row = await insert("file_metadata", {
      ...valid.file_metadata!(c), duration: 60, duration_ms: 60_123, integrated_lufs: -14.2, true_peak_dbtp: -1, replay_gain_db: -3.8,
    });
    expect(row).toMatchObject({ duration: 60, duration_ms: 60_123, integrated_lufs: "-14.20", true_peak_dbtp: "-1.00", replay_gain_db: "-3.80" });
  });
});

describe("updated_at triggers", () => {
  const rowOf: Record<string, (c: Ctx) => Promise<unknown>> = {
    files: async (c) => c.fileId,
    file_uploads: async (c) => (await insert("file_uploads", valid.file_uploads!(c))).id,
    file_metadata: async (c) => (await insert("file_metadata", valid.file_metadata!(c))).id,
    file_conversions: async (c) => (await insert("file_conversions", valid.file_conversions!(c))).id,
  };

  it.each(Object.keys(rowOf))("sets %s.updated_at to now() on every UPDATE", async (table) => {
    const c = await context();
    const id = await rowOf[table]!(c);
    // Whatever the client writes, the BEFORE UPDATE trigger stamps the update time.
    const [row] = await sql.query(
      `UPDATE ${table} SET updated_at = '2000-01-01T00:00:00Z' WHERE id = $1 RETURNING updated_at, created_at, now() AS now`,
      [id],
    );
    const { updated_at, created_at, now } = row as { updated_at: Date; created_at: Date; now: Date };
    expect(updated_at.getTime()).toBe(now.getTime());
    expect(updated_at.getTime()).toBeGreaterThanOrEqual(created_at.getTime());
  });
});
