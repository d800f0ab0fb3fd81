import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { SyncSourceType } from "../../db/schema/cloud";
import { toHex } from "../../lib/crypto";
import { R2TextWriter } from "../gdpr/archive-writer";
import { streamArchive } from "../gdpr/export-archive";
import { stagedExportKey } from "./staging";

/** One file a run considers: where it is in R2, where it goes on the remote, and what it holds. */
export interface Candidate {
  source_type: SyncSourceType;
  file_id: string | null;
  local_key: string;
  remote_path: string;
  content_hash: string;
  bytes: number;
}

type FileRow = {
  source_type: "track" | "project";
  file_id: string;
  local_key: string;
  file_hash: string | null;
  bytes: string | number;
  original_filename: string;
};

export type JobScope = {
  id: string;
  user_id: string;
  remote_path: string;
  include_tracks: boolean;
  include_projects: boolean;
  include_data_export: boolean;
};

/**
 * The files of a backup, one statement:
 * - tracks: the original file behind each of my live tracks;
 * - projects: my other live files that I uploaded myself — neither behind one of my tracks (live or
 *   deleted: a deleted track's original is not a project), nor derived media (the output of a
 *   conversion), nor my profile pictures (avatars/, banners/: the platform's copies of images).
 * Only files stored in R2 (the only store the Worker reads), never one the scanner found infected.
 */
const filesOf = (job: JobScope) => sql`
  SELECT 'track' AS source_type, f.id AS file_id, f.storage_path AS local_key, f.file_hash, f.file_size AS bytes, f.original_filename
    FROM tracks t JOIN files f ON f.id = t.file_id AND f.user_id = t.creator_id
   WHERE ${job.include_tracks} AND t.creator_id = ${job.user_id} AND t.deleted_at IS NULL
     AND f.deleted_at IS NULL AND f.storage_provider = 'r2' AND f.virus_scan_status <> 'infected'
  UNION ALL
  SELECT 'project', f.id, f.storage_path, f.file_hash, f.file_size, f.original_filename
    FROM files f
   WHERE ${job.include_projects} AND f.user_id = ${job.user_id} AND f.deleted_at IS NULL
     AND f.storage_provider = 'r2' AND f.virus_scan_status <> 'infected'
     AND f.storage_path !~ '^(avatars|banners)/'
     AND NOT EXISTS (SELECT 1 FROM tracks t WHERE t.file_id = f.id)
     AND NOT EXISTS (SELECT 1 FROM file_conversions c WHERE c.converted_file_id = f.id)
   ORDER BY 1, 2`;

const UNSAFE = /[\u0000-\u001f\u007f/\\:*?"<>|]+/g;

/**
 * `<stem> (<first 8 of the file id>).<ext>`: the name the file was uploaded with (it never changes,
 * so a file keeps its remote path across runs), made safe for any server's file system, and unique.
 */
export function remoteName(originalFilename: string, fileId: string): string {
  const clean = originalFilename.replace(UNSAFE, "_").replace(/^[\s.]+|[\s.]+$/g, "");
  const dot = clean.lastIndexOf(".");
  const stem = (dot > 0 ? clean.slice(0, dot) : clean).slice(0, 120) || "file";
  const ext = dot > 0 ? clean.slice(dot + 1).slice(0, 16) : "";
  return `${stem} (${fileId.slice(0, 8)})${ext ? `.${ext}` : ""}`;
}

const FOLDER: Record<FileRow["source_type"], string> = { track: "tracks", project: "projects" };

/** SHA-256 of an R2 object: its stored checksum when R2 has one, else read through a DigestStream. */
async function hashOfObject(bucket: R2Bucket, key: string): Promise<string | null> {
  const head = await bucket.head(key);
  if (!head) return null;
  if (head.checksums.sha256) return toHex(head.checksums.sha256);
  const object = await bucket.get(key);
  if (!object) return null;
  const digest = new crypto.DigestStream("SHA-256");
  await object.body.pipeTo(digest);
  return toHex(await digest.digest);
}

/**
 * The job's files with their hashes (files.file_hash; computed from R2 for a file without one). A
 * file whose object is missing from R2 is left out: there is nothing to copy.
 */
export async function fileCandidates(db: Database, bucket: R2Bucket, job: JobScope): Promise<Candidate[]> {
  if (!job.include_tracks && !job.include_projects) return [];
  const { rows } = await db.execute<FileRow>(filesOf(job));
  const out: Candidate[] = [];
  for (const row of rows) {
    const hash = row.file_hash ?? (await hashOfObject(bucket, row.local_key));
    if (!hash) continue;
    out.push({
      source_type: row.source_type,
      file_id: row.file_id,
      local_key: row.local_key,
      remote_path: `${job.remote_path === "/" ? "" : job.remote_path}/${FOLDER[row.source_type]}/${remoteName(row.original_filename, row.file_id)}`,
      content_hash: hash,
      bytes: Number(row.bytes),
    });
  }
  return out;
}

/**
 * Writes the user's data export (the GDPR archive, src/domains/gdpr) to the job's staging key in R2
 * and answers it as a candidate. Its hash covers everything but `generated_at`, so an account whose
 * data did not change is not copied again.
 */
export async function stageDataExport(db: Database, bucket: R2Bucket, job: JobScope, now: Date): Promise<Candidate> {
  const key = stagedExportKey(job.id);
  const writer = new R2TextWriter(bucket, key, { httpMetadata: { contentType: "application/json; charset=utf-8" } });
  const digest = new crypto.DigestStream("SHA-256");
  const hashing = digest.getWriter();
  const encoder = new TextEncoder();
  try {
    await streamArchive(db, job.user_id, now, async (text, stamp) => {
      await writer.write(text);
      if (!stamp) await hashing.write(encoder.encode(text));
    });
    await hashing.close();
    await writer.close();
  } catch (err) {
    await writer.abort();
    await hashing.abort(err).catch(() => undefined);
    throw err;
  }
  return {
    source_type: "data_export",
    file_id: null,
    local_key: key,
    remote_path: `${job.remote_path === "/" ? "" : job.remote_path}/data-export.json`,
    content_hash: toHex(await digest.digest),
    bytes: writer.bytes,
  };
}
