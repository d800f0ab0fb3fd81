// Analytics (spec §15) and the §23 materialized views; mirrors migrations/0012_analytics.sql and
// migrations/0014_materialized_views.sql, which are the source of truth (CHECKs, partitions,
// indexes, the views' queries). No per-user analytics table exists (§17.1).
import {
  pgTable, pgMaterializedView, uuid, varchar, text, integer, bigint, boolean, timestamp, jsonb, inet, numeric, date,
  primaryKey,
} from "drizzle-orm/pg-core";
import { users } from "./accounts";
import { tracks } from "./streaming";

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const analyticsEntityTypes = [
  "track", "playlist", "user", "post", "comment", "product", "order", "course", "lesson", "group", "room",
] as const;
export type AnalyticsEntityType = (typeof analyticsEntityTypes)[number];

/** Raw events, partitioned by month on created_at. event_type is dotted lower case ('track.play').
 * After 12 months the anonymisation job nulls user_id, session_id, ip_address, user_agent and sets
 * anonymized_at (a CHECK keeps anonymised rows clean). */
export const analyticsEvents = pgTable("analytics_events", {
  id: uuid("id").notNull().defaultRandom(),
  userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
  sessionId: uuid("session_id"),
  eventType: varchar("event_type", { length: 50 }).notNull(),
  entityType: varchar("entity_type", { length: 20, enum: analyticsEntityTypes }),
  entityId: uuid("entity_id"),
  properties: jsonb("properties").$type<Record<string, unknown>>().notNull().default({}),
  ipAddress: inet("ip_address"),
  userAgent: text("user_agent"),
  anonymizedAt: ts("anonymized_at"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.id, t.createdAt] })]);

/** Platform aggregates: one value per (metric_date, metric_name, dimension); dimension '' = total.
 * Upsert with ON CONFLICT (metric_date, metric_name, dimension). */
export const dailyMetrics = pgTable("daily_metrics", {
  id: uuid("id").primaryKey().defaultRandom(),
  metricDate: date("metric_date").notNull(),
  metricName: varchar("metric_name", { length: 100 }).notNull(),
  dimension: varchar("dimension", { length: 255 }).notNull().default(""),
  value: numeric("value").notNull().default("0"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** Per track per day, counts only (§17.4: never a user id). Unique on (track_id, day). */
export const trackAnalytics = pgTable("track_analytics", {
  id: uuid("id").primaryKey().defaultRandom(),
  trackId: uuid("track_id").notNull().references(() => tracks.id, { onDelete: "cascade" }),
  day: date("day").notNull(),
  plays: integer("plays").notNull().default(0),
  uniqueListeners: integer("unique_listeners").notNull().default(0),
  totalListenSeconds: bigint("total_listen_seconds", { mode: "number" }).notNull().default(0),
  avgCompletion: numeric("avg_completion", { precision: 5, scale: 2 }).notNull().default("0"),
  sourceCounts: jsonb("source_counts").$type<Record<string, number>>().notNull().default({}),
  deviceCounts: jsonb("device_counts").$type<Record<string, number>>().notNull().default({}),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const reportTypes = [
  "track_performance", "catalog_overview", "sales", "payouts", "course_performance", "platform_overview",
] as const;
export const reportFormats = ["csv", "json", "pdf"] as const;
export const reportStatuses = ["pending", "processing", "completed", "failed", "expired"] as const;
export type ReportStatus = (typeof reportStatuses)[number];

/** Generated asynchronously into R2 (file_key); a completed report has file_key and generated_at. */
export const reports = pgTable("reports", {
  id: uuid("id").primaryKey().defaultRandom(),
  ownerId: uuid("owner_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  reportType: varchar("report_type", { length: 50, enum: reportTypes }).notNull(),
  title: varchar("title", { length: 255 }),
  params: jsonb("params").$type<Record<string, unknown>>().notNull().default({}),
  periodStart: date("period_start"),
  periodEnd: date("period_end"),
  format: varchar("format", { length: 10, enum: reportFormats }).notNull().default("csv"),
  status: varchar("status", { length: 20, enum: reportStatuses }).notNull().default("pending"),
  fileKey: varchar("file_key", { length: 1024 }),
  fileSize: bigint("file_size", { mode: "number" }),
  errorMessage: text("error_message"),
  generatedAt: ts("generated_at"),
  expiresAt: ts("expires_at"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  deletedAt: ts("deleted_at"),
});

/** A user's saved dashboards; at most one default and distinct names (case-insensitive) per user. */
export const dashboardConfigs = pgTable("dashboard_configs", {
  id: uuid("id").primaryKey().defaultRandom(),
  ownerId: uuid("owner_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  name: varchar("name", { length: 100 }).notNull(),
  description: text("description"),
  layout: jsonb("layout").$type<Record<string, unknown>>().notNull().default({}),
  isDefault: boolean("is_default").notNull().default(false),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  deletedAt: ts("deleted_at"),
});

// --- §23 materialized views (0014). Refresh with REFRESH MATERIALIZED VIEW CONCURRENTLY <name>.

/** Top 100 public, ready tracks over the last 7 days (refreshed hourly). */
export const trendingTracks = pgMaterializedView("trending_tracks", {
  id: uuid("id").notNull(),
  title: varchar("title", { length: 255 }).notNull(),
  artist: varchar("artist", { length: 255 }),
  creatorId: uuid("creator_id").notNull(),
  coverArtFileId: uuid("cover_art_file_id"),
  uniqueListeners7d: bigint("unique_listeners_7d", { mode: "number" }).notNull(),
  playCount7d: bigint("play_count_7d", { mode: "number" }).notNull(),
  avgCompletion: numeric("avg_completion").notNull(),
  likeCount: integer("like_count").notNull(),
  trendingScore: numeric("trending_score").notNull(),
}).existing();

/** Per live user: counts (integer) and sums (bigint) of their content and follows (refreshed daily). */
export const userStatistics = pgMaterializedView("user_statistics", {
  userId: uuid("user_id").notNull(),
  username: varchar("username", { length: 30 }).notNull(),
  trackCount: integer("track_count").notNull(),
  playlistCount: integer("playlist_count").notNull(),
  followerCount: integer("follower_count").notNull(),
  followingCount: integer("following_count").notNull(),
  totalPlays: bigint("total_plays", { mode: "number" }).notNull(),
  totalLikes: bigint("total_likes", { mode: "number" }).notNull(),
  lastTrackUploaded: ts("last_track_uploaded"),
}).existing();
