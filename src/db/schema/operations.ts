// Operations (issue 10): job runs and audit-log archiving; mirrors migrations/0035_operations.sql,
// which is the source of truth (CHECKs, indexes, triggers).
import { pgTable, uuid, varchar, text, integer, bigint, timestamp, jsonb, date } from "drizzle-orm/pg-core";
import { users } from "./accounts";

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const jobRunTriggers = ["cron", "manual"] as const;
export const jobRunStatuses = ["succeeded", "failed"] as const;

/** One row per finished run of a cron job (scheduled or started by an admin). */
export const jobRuns = pgTable("job_runs", {
  id: uuid("id").primaryKey().defaultRandom(),
  jobName: varchar("job_name", { length: 100 }).notNull(),
  trigger: varchar("trigger", { length: 20, enum: jobRunTriggers }).notNull(),
  actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
  status: varchar("status", { length: 20, enum: jobRunStatuses }).notNull(),
  counts: jsonb("counts").$type<Record<string, number>>().notNull().default({}),
  error: text("error"),
  startedAt: ts("started_at").notNull(),
  finishedAt: ts("finished_at").notNull(),
  durationMs: integer("duration_ms").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** Progress of archiving one expired audit_logs partition to R2, part by part. */
export const auditLogArchives = pgTable("audit_log_archives", {
  id: uuid("id").primaryKey().defaultRandom(),
  partitionName: varchar("partition_name", { length: 63 }).notNull().unique("uq_audit_log_archives_partition_name"),
  month: date("month").notNull(),
  parts: integer("parts").notNull().default(0),
  rowsArchived: bigint("rows_archived", { mode: "number" }).notNull().default(0),
  cursorCreatedAt: ts("cursor_created_at"),
  cursorId: uuid("cursor_id"),
  droppedAt: ts("dropped_at"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});
