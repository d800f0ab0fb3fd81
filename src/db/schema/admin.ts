// Administration (spec §16); mirrors migrations/0013_admin.sql, which is the source of truth (CHECKs,
// the partial unique index on open reports, audit_logs partitions, the append-only and audit
// triggers, the ban/suspension sync trigger).
import { pgTable, uuid, varchar, text, integer, boolean, timestamp, jsonb, inet, primaryKey } from "drizzle-orm/pg-core";
import { auditSeverity, userRole } from "./enums";
import { users } from "./accounts";

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const moderationTargetTypes = [
  "user", "track", "comment", "post", "message", "product", "group", "playlist", "review", "course", "room",
] as const;
export type ModerationTargetType = (typeof moderationTargetTypes)[number];

export const moderationReasonCategories = [
  "spam", "harassment", "hate_speech", "violence", "sexual_content", "child_safety", "self_harm", "copyright",
  "impersonation", "misinformation", "illegal_content", "privacy", "other",
] as const;
export const moderationReportStatuses = ["open", "in_review", "resolved", "dismissed"] as const;
export type ModerationReportStatus = (typeof moderationReportStatuses)[number];

/** One open (open/in_review) report per reporter and target; closed <=> resolved_at set. */
export const moderationReports = pgTable("moderation_reports", {
  id: uuid("id").primaryKey().defaultRandom(),
  reporterId: uuid("reporter_id").references(() => users.id, { onDelete: "set null" }),
  targetType: varchar("target_type", { length: 20, enum: moderationTargetTypes }).notNull(),
  targetId: uuid("target_id").notNull(),
  targetUserId: uuid("target_user_id").references(() => users.id, { onDelete: "set null" }),
  reasonCategory: varchar("reason_category", { length: 30, enum: moderationReasonCategories }).notNull(),
  details: text("details"),
  status: varchar("status", { length: 20, enum: moderationReportStatuses }).notNull().default("open"),
  assignedTo: uuid("assigned_to").references(() => users.id, { onDelete: "set null" }),
  resolvedAt: ts("resolved_at"),
  resolvedBy: uuid("resolved_by").references(() => users.id, { onDelete: "set null" }),
  resolutionNote: text("resolution_note"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const moderationActionTypes = ["warn", "hide_content", "remove_content", "suspend", "ban", "restore", "unban"] as const;
export type ModerationActionType = (typeof moderationActionTypes)[number];
export const appealStatuses = ["none", "pending", "accepted", "rejected"] as const;

/** Inserting a ban sets users.is_banned and bumps token_version; suspend bumps token_version; unban
 * (or reversing a ban) clears is_banned. A suspension needs expires_at. */
export const moderationActions = pgTable("moderation_actions", {
  id: uuid("id").primaryKey().defaultRandom(),
  moderatorId: uuid("moderator_id").references(() => users.id, { onDelete: "set null" }),
  targetUserId: uuid("target_user_id").references(() => users.id, { onDelete: "cascade" }),
  reportId: uuid("report_id").references(() => moderationReports.id, { onDelete: "set null" }),
  actionType: varchar("action_type", { length: 20, enum: moderationActionTypes }).notNull(),
  targetType: varchar("target_type", { length: 20, enum: moderationTargetTypes }),
  targetId: uuid("target_id"),
  reason: text("reason").notNull(),
  expiresAt: ts("expires_at"),
  reversedAt: ts("reversed_at"),
  reversedBy: uuid("reversed_by").references(() => users.id, { onDelete: "set null" }),
  reversalReason: text("reversal_reason"),
  appealStatus: varchar("appeal_status", { length: 20, enum: appealStatuses }).notNull().default("none"),
  appealText: text("appeal_text"),
  appealedAt: ts("appealed_at"),
  appealResolvedAt: ts("appeal_resolved_at"),
  appealResolvedBy: uuid("appeal_resolved_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** Append-only (UPDATE/DELETE/TRUNCATE raise 42501), partitioned by month on created_at, no FKs on
 * purpose (rows outlive users). Row changes of users/orders are written by audit_trigger() with
 * secrets and identifiers stripped; the actor comes from `set_config('veza.actor_id', $1, true)`.
 * Application actions set `action` ('consent.change'). */
export const auditLogs = pgTable("audit_logs", {
  id: uuid("id").notNull().defaultRandom(),
  tableName: varchar("table_name", { length: 63 }),
  operation: varchar("operation", { length: 10, enum: ["INSERT", "UPDATE", "DELETE"] }),
  recordId: uuid("record_id"),
  oldData: jsonb("old_data").$type<Record<string, unknown>>(),
  newData: jsonb("new_data").$type<Record<string, unknown>>(),
  userId: uuid("user_id"),
  actorId: uuid("actor_id"),
  action: varchar("action", { length: 100 }),
  ipAddress: inet("ip_address"),
  userAgent: text("user_agent"),
  requestId: uuid("request_id"),
  severity: auditSeverity("severity").notNull().default("info"),
  metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.id, t.createdAt] })]);

export const systemConfigValueTypes = ["string", "number", "boolean", "json"] as const;

/** Key/value settings; value's JSON type matches value_type ('json' = object or array). */
export const systemConfigs = pgTable("system_configs", {
  id: uuid("id").primaryKey().defaultRandom(),
  key: varchar("key", { length: 100 }).notNull(),
  value: jsonb("value").notNull(),
  valueType: varchar("value_type", { length: 10, enum: systemConfigValueTypes }).notNull().default("string"),
  description: text("description"),
  isPublic: boolean("is_public").notNull().default(false),
  updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** On for a user when enabled AND (listed, or role listed, or in the rollout bucket). */
export const featureFlags = pgTable("feature_flags", {
  id: uuid("id").primaryKey().defaultRandom(),
  key: varchar("key", { length: 100 }).notNull(),
  description: text("description"),
  enabled: boolean("enabled").notNull().default(false),
  rolloutPercent: integer("rollout_percent").notNull().default(0),
  allowedUserIds: uuid("allowed_user_ids").array().notNull().default([]),
  allowedRoles: userRole("allowed_roles").array().notNull().default([]),
  updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});
