// Cloud storage: spec §13 (tables named only; columns designed in migrations/0010_cloud.sql, the source
// of truth). CHECKs and indexes live there.
import { pgTable, uuid, varchar, text, integer, bigint, boolean, timestamp } from "drizzle-orm/pg-core";
import { users } from "./accounts";
import { files } from "./files";

const ts = (name: string) => timestamp(name, { withTimezone: true });

export type CloudProvider = "webdav" | "nextcloud";
export type CloudAccountStatus = "pending" | "active" | "error" | "disabled";
export type BackupJobStatus = "pending" | "queued" | "running" | "completed" | "failed" | "cancelled";
export type SyncSourceType = "track" | "project" | "data_export";
export type SyncOperationStatus = "pending" | "in_progress" | "completed" | "failed";

/** encrypted_password: AES-256-GCM "<key id>:<iv>:<ciphertext+tag>" (base64url). Never select it into a
 * response. status 'active' requires last_tested_at (the connection is tested on save). */
export const cloudAccounts = pgTable("cloud_accounts", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  provider: varchar("provider", { length: 20 }).$type<CloudProvider>().notNull(),
  displayName: varchar("display_name", { length: 100 }),
  serverUrl: varchar("server_url", { length: 2048 }).notNull(),
  username: varchar("username", { length: 255 }).notNull(),
  encryptedPassword: text("encrypted_password").notNull(),
  status: varchar("status", { length: 20 }).$type<CloudAccountStatus>().notNull().default("pending"),
  lastTestedAt: ts("last_tested_at"),
  lastError: text("last_error"),
  quotaUsedBytes: bigint("quota_used_bytes", { mode: "number" }),
  quotaTotalBytes: bigint("quota_total_bytes", { mode: "number" }),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** One configured job + the state of its current/last run. schedule NULL = on demand only; otherwise a
 * cron expression or shorthand evaluated in schedule_timezone. Owner = the cloud account's user. */
export const backupJobs = pgTable("backup_jobs", {
  id: uuid("id").primaryKey().defaultRandom(),
  cloudAccountId: uuid("cloud_account_id").notNull().references(() => cloudAccounts.id, { onDelete: "cascade" }),
  name: varchar("name", { length: 100 }),
  includeTracks: boolean("include_tracks").notNull().default(true),
  includeProjects: boolean("include_projects").notNull().default(true),
  includeDataExport: boolean("include_data_export").notNull().default(true),
  remotePath: varchar("remote_path", { length: 1024 }).notNull().default("/Veza"),
  schedule: varchar("schedule", { length: 100 }),
  scheduleTimezone: varchar("schedule_timezone", { length: 50 }).notNull().default("UTC"),
  isEnabled: boolean("is_enabled").notNull().default(true),
  nextRunAt: ts("next_run_at"),
  status: varchar("status", { length: 20 }).$type<BackupJobStatus>().notNull().default("pending"),
  progressPercent: integer("progress_percent").notNull().default(0),
  filesTotal: integer("files_total").notNull().default(0),
  filesCopied: integer("files_copied").notNull().default(0),
  filesSkipped: integer("files_skipped").notNull().default(0),
  filesFailed: integer("files_failed").notNull().default(0),
  bytesTotal: bigint("bytes_total", { mode: "number" }).notNull().default(0),
  bytesCopied: bigint("bytes_copied", { mode: "number" }).notNull().default(0),
  runCount: integer("run_count").notNull().default(0),
  errorMessage: text("error_message"),
  queuedAt: ts("queued_at"),
  startedAt: ts("started_at"),
  finishedAt: ts("finished_at"),
  lastSuccessAt: ts("last_success_at"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** One row per remote file (UNIQUE (cloud_account_id, remote_path)) with the hash of its last copy:
 * upsert with ON CONFLICT ... DO UPDATE ... WHERE hash differs OR status <> 'completed' RETURNING id;
 * a row back means "copy it", none means "unchanged". */
export const syncOperations = pgTable("sync_operations", {
  id: uuid("id").primaryKey().defaultRandom(),
  cloudAccountId: uuid("cloud_account_id").notNull().references(() => cloudAccounts.id, { onDelete: "cascade" }),
  backupJobId: uuid("backup_job_id").references(() => backupJobs.id, { onDelete: "set null" }),
  runNumber: integer("run_number"),
  sourceType: varchar("source_type", { length: 20 }).$type<SyncSourceType>().notNull(),
  fileId: uuid("file_id").references(() => files.id, { onDelete: "set null" }),
  localKey: text("local_key").notNull(),
  remotePath: varchar("remote_path", { length: 2048 }).notNull(),
  contentHash: varchar("content_hash", { length: 64 }).notNull(),
  bytes: bigint("bytes", { mode: "number" }).notNull(),
  remoteEtag: varchar("remote_etag", { length: 255 }),
  status: varchar("status", { length: 20 }).$type<SyncOperationStatus>().notNull().default("pending"),
  attemptCount: integer("attempt_count").notNull().default(0),
  errorMessage: text("error_message"),
  startedAt: ts("started_at"),
  completedAt: ts("completed_at"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});
