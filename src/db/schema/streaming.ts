// Audio streaming (spec §7 + er-diagram v0.3 collaborations); mirrors migrations/0004_streaming.sql.
// The SQL is the source of truth: CHECKs, unique constraints (incl. the deferrable position ones),
// indexes, partitions and the counter/position triggers live only there.
import { pgTable, uuid, varchar, text, integer, boolean, timestamp, jsonb, numeric, primaryKey, foreignKey } from "drizzle-orm/pg-core";
import { visibility } from "./enums";
import { users } from "./accounts";
import { files } from "./files";

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** Processing lifecycle of a track (upload → HLS). */
export const trackStatuses = ["pending", "processing", "ready", "failed"] as const;
export type TrackStatus = (typeof trackStatuses)[number];

export const tracks = pgTable("tracks", {
  id: uuid("id").primaryKey().defaultRandom(),
  creatorId: uuid("creator_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  fileId: uuid("file_id").notNull().references(() => files.id, { onDelete: "restrict" }),
  title: varchar("title", { length: 255 }).notNull(),
  description: text("description"),
  artist: varchar("artist", { length: 255 }),
  album: varchar("album", { length: 255 }),
  genre: varchar("genre", { length: 100 }),
  /** Seconds; NULL until processing has measured the audio. */
  duration: integer("duration"),
  durationMs: integer("duration_ms"),
  bpm: integer("bpm"),
  musicalKey: varchar("musical_key", { length: 10 }),
  visibility: visibility("visibility").notNull().default("public"),
  isDownloadable: boolean("is_downloadable").notNull().default(false),
  coverArtFileId: uuid("cover_art_file_id").references(() => files.id, { onDelete: "set null" }),
  waveformData: jsonb("waveform_data"),
  status: varchar("status", { length: 20, enum: trackStatuses }).notNull().default("pending"),
  processingProgress: integer("processing_progress").notNull().default(0),
  processingError: text("processing_error"),
  /** R2 key prefix of the renditions: `${hlsPath}/master.m3u8`. */
  hlsPath: text("hls_path"),
  integratedLufs: numeric("integrated_lufs", { precision: 6, scale: 2 }),
  truePeakDbtp: numeric("true_peak_dbtp", { precision: 6, scale: 2 }),
  replayGainDb: numeric("replay_gain_db", { precision: 6, scale: 2 }),
  playCount: integer("play_count").notNull().default(0),
  likeCount: integer("like_count").notNull().default(0),
  commentCount: integer("comment_count").notNull().default(0),
  downloadCount: integer("download_count").notNull().default(0),
  publishedAt: ts("published_at"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  deletedAt: ts("deleted_at"),
});

export const playlists = pgTable("playlists", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  name: varchar("name", { length: 255 }).notNull(),
  description: text("description"),
  coverUrl: text("cover_url"),
  coverFileId: uuid("cover_file_id").references(() => files.id, { onDelete: "set null" }), // 0016_playlists
  visibility: visibility("visibility").notNull().default("public"),
  isCollaborative: boolean("is_collaborative").notNull().default(false),
  trackCount: integer("track_count").notNull().default(0),
  durationSeconds: integer("duration_seconds").notNull().default(0),
  followerCount: integer("follower_count").notNull().default(0),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  deletedAt: ts("deleted_at"),
});

export const collaboratorPermissions = ["view", "edit", "admin"] as const;
export const collaboratorStatuses = ["pending", "accepted", "declined"] as const;

export const playlistCollaborators = pgTable("playlist_collaborators", {
  id: uuid("id").primaryKey().defaultRandom(),
  playlistId: uuid("playlist_id").notNull().references(() => playlists.id, { onDelete: "cascade" }),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  permission: varchar("permission", { length: 10, enum: collaboratorPermissions }).notNull().default("edit"),
  status: varchar("status", { length: 10, enum: collaboratorStatuses }).notNull().default("pending"),
  invitedBy: uuid("invited_by").references(() => users.id, { onDelete: "set null" }),
  invitedAt: ts("invited_at").notNull().defaultNow(),
  acceptedAt: ts("accepted_at"),
  expiresAt: ts("expires_at"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const playlistFollows = pgTable("playlist_follows", {
  id: uuid("id").primaryKey().defaultRandom(),
  playlistId: uuid("playlist_id").notNull().references(() => playlists.id, { onDelete: "cascade" }),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** Positions are 0-based and unique per playlist, checked at commit (reorder in one statement). */
export const playlistTracks = pgTable("playlist_tracks", {
  id: uuid("id").primaryKey().defaultRandom(),
  playlistId: uuid("playlist_id").notNull().references(() => playlists.id, { onDelete: "cascade" }),
  trackId: uuid("track_id").notNull().references(() => tracks.id, { onDelete: "cascade" }),
  position: integer("position").notNull(),
  addedBy: uuid("added_by").references(() => users.id, { onDelete: "set null" }),
  addedAt: ts("added_at").notNull().defaultNow(),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const playbackSources = ["playlist", "album", "search", "direct"] as const;
export const playbackDeviceTypes = ["mobile", "desktop", "web"] as const;

/** Partitioned by month on played_at; user_id is NULL once anonymised (retention, §18). */
export const playbackHistory = pgTable("playback_history", {
  id: uuid("id").notNull().defaultRandom(),
  userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
  trackId: uuid("track_id").notNull().references(() => tracks.id, { onDelete: "cascade" }),
  playedDuration: integer("played_duration").notNull(),
  completionPercentage: integer("completion_percentage").notNull(),
  source: varchar("source", { length: 50, enum: playbackSources }),
  sourceId: uuid("source_id"),
  deviceType: varchar("device_type", { length: 50, enum: playbackDeviceTypes }),
  playedAt: ts("played_at").notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.id, t.playedAt] })]);

export const trackLikes = pgTable("track_likes", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  trackId: uuid("track_id").notNull().references(() => tracks.id, { onDelete: "cascade" }),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const trackComments = pgTable("track_comments", {
  id: uuid("id").primaryKey().defaultRandom(),
  trackId: uuid("track_id").notNull().references(() => tracks.id, { onDelete: "cascade" }),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  content: text("content").notNull(),
  parentCommentId: uuid("parent_comment_id"),
  timestampSeconds: integer("timestamp_seconds"),
  isEdited: boolean("is_edited").notNull().default(false),
  isDeleted: boolean("is_deleted").notNull().default(false),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  deletedAt: ts("deleted_at"),
}, (t) => [
  // A reply lives on its parent's track: (parent_comment_id, track_id) → (id, track_id).
  foreignKey({ name: "fk_track_comments_parent", columns: [t.parentCommentId, t.trackId], foreignColumns: [t.id, t.trackId] })
    .onDelete("cascade"),
]);

export const repeatModes = ["off", "track", "queue"] as const;

/** One per user: the persisted state of the PlaybackQueue Durable Object. */
export const queues = pgTable("queues", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  currentTrackId: uuid("current_track_id").references(() => tracks.id, { onDelete: "set null" }),
  /** Seconds into the current track. */
  currentPosition: integer("current_position").notNull().default(0),
  isPlaying: boolean("is_playing").notNull().default(false),
  shuffle: boolean("shuffle").notNull().default(false),
  repeatMode: varchar("repeat_mode", { length: 20, enum: repeatModes }).notNull().default("off"),
  volume: integer("volume").notNull().default(100),
  /** Optimistic concurrency: update `WHERE version = $read`, set `version + 1`. */
  version: integer("version").notNull().default(0),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const queueItems = pgTable("queue_items", {
  id: uuid("id").primaryKey().defaultRandom(),
  queueId: uuid("queue_id").notNull().references(() => queues.id, { onDelete: "cascade" }),
  trackId: uuid("track_id").notNull().references(() => tracks.id, { onDelete: "cascade" }),
  position: integer("position").notNull(),
  addedAt: ts("added_at").notNull().defaultNow(),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});
