// File management: spec §6 (+ virus_scan_status from chat-data-models.md, R2 multipart and loudness
// fields for DESIGN §5). Mirrors migrations/0003_files.sql, the source of truth.
import { sql } from "drizzle-orm";
import { pgTable, uuid, varchar, text, integer, bigint, boolean, timestamp, jsonb, numeric } from "drizzle-orm/pg-core";
import { virusScanStatus } from "./enums";
import { users } from "./accounts";

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** One R2 multipart part as recorded in file_uploads.parts. */
export type UploadPart = { partNumber: number; etag: string; size: number };

/** §6.1. file_hash (SHA-256, lowercase hex) is unique per user among live files. */
export const files = pgTable("files", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  filename: varchar("filename", { length: 255 }).notNull(),
  originalFilename: varchar("original_filename", { length: 255 }).notNull(),
  mimeType: varchar("mime_type", { length: 100 }).notNull(),
  fileSize: bigint("file_size", { mode: "number" }).notNull(),
  storagePath: text("storage_path").notNull(),
  storageProvider: varchar("storage_provider", { length: 50 }).$type<"r2" | "s3" | "local" | "minio">().notNull().default("r2"),
  bucketName: varchar("bucket_name", { length: 255 }),
  url: text("url").notNull(),
  thumbnailUrl: text("thumbnail_url"),
  fileHash: varchar("file_hash", { length: 64 }),
  metadata: jsonb("metadata"),
  isProcessed: boolean("is_processed").notNull().default(false),
  processedAt: ts("processed_at"),
  processingError: text("processing_error"),
  virusScanned: boolean("virus_scanned").notNull().default(false),
  virusScanResult: varchar("virus_scan_result", { length: 50 }),
  virusScannedAt: ts("virus_scanned_at"),
  virusScanStatus: virusScanStatus("virus_scan_status").notNull().default("pending"),
  isPublic: boolean("is_public").notNull().default(false),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  deletedAt: ts("deleted_at"),
});

/** §6.2: resumable R2 multipart upload sessions. */
export const fileUploads = pgTable("file_uploads", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  fileId: uuid("file_id").references(() => files.id, { onDelete: "set null" }),
  filename: varchar("filename", { length: 255 }).notNull(),
  fileSize: bigint("file_size", { mode: "number" }).notNull(),
  mimeType: varchar("mime_type", { length: 100 }).notNull(),
  fileHash: varchar("file_hash", { length: 64 }),
  bytesUploaded: bigint("bytes_uploaded", { mode: "number" }).notNull().default(0),
  chunksUploaded: integer("chunks_uploaded").notNull().default(0),
  totalChunks: integer("total_chunks"),
  partSize: integer("part_size"),
  parts: jsonb("parts").$type<UploadPart[]>().notNull().default(sql`'[]'::jsonb`),
  status: varchar("status", { length: 50 })
    .$type<"pending" | "uploading" | "processing" | "completed" | "failed" | "aborted" | "expired">()
    .notNull().default("pending"),
  storageKey: text("storage_key"),
  uploadId: text("upload_id"),
  metadata: jsonb("metadata"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  expiresAt: ts("expires_at").notNull().default(sql`(now() + interval '24 hours')`),
});

/** §6.3 (+ loudness, duration_ms). NUMERIC columns are strings in TS. */
export const fileMetadata = pgTable("file_metadata", {
  id: uuid("id").primaryKey().defaultRandom(),
  fileId: uuid("file_id").notNull().references(() => files.id, { onDelete: "cascade" }),
  title: varchar("title", { length: 255 }),
  artist: varchar("artist", { length: 255 }),
  album: varchar("album", { length: 255 }),
  genre: varchar("genre", { length: 100 }),
  year: integer("year"),
  duration: integer("duration"),
  durationMs: integer("duration_ms"),
  bitrate: integer("bitrate"),
  sampleRate: integer("sample_rate"),
  channels: integer("channels"),
  codec: varchar("codec", { length: 50 }),
  integratedLufs: numeric("integrated_lufs", { precision: 6, scale: 2 }),
  truePeakDbtp: numeric("true_peak_dbtp", { precision: 6, scale: 2 }),
  replayGainDb: numeric("replay_gain_db", { precision: 6, scale: 2 }),
  width: integer("width"),
  height: integer("height"),
  format: varchar("format", { length: 50 }),
  videoCodec: varchar("video_codec", { length: 50 }),
  audioCodec: varchar("audio_codec", { length: 50 }),
  framerate: numeric("framerate", { precision: 10, scale: 2 }),
  bpm: integer("bpm"),
  musicalKey: varchar("musical_key", { length: 10 }),
  timeSignature: varchar("time_signature", { length: 10 }),
  rawMetadata: jsonb("raw_metadata"),
  extractedAt: ts("extracted_at").notNull().defaultNow(),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** §6.4 */
export const fileConversions = pgTable("file_conversions", {
  id: uuid("id").primaryKey().defaultRandom(),
  sourceFileId: uuid("source_file_id").notNull().references(() => files.id, { onDelete: "cascade" }),
  convertedFileId: uuid("converted_file_id").references(() => files.id, { onDelete: "set null" }),
  targetFormat: varchar("target_format", { length: 50 }).notNull(),
  targetQuality: varchar("target_quality", { length: 50 }),
  status: varchar("status", { length: 50 }).$type<"pending" | "processing" | "completed" | "failed">().notNull().default("pending"),
  progress: integer("progress").notNull().default(0),
  attempts: integer("attempts").notNull().default(0),
  errorMessage: text("error_message"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  completedAt: ts("completed_at"),
});
