// Social & community (spec §9) + notifications; mirrors migrations/0006_social.sql (the SQL is the
// source of truth: CHECKs, indexes and the counter triggers live only there).
import { sql } from "drizzle-orm";
import { pgTable, uuid, varchar, text, integer, boolean, timestamp, jsonb, foreignKey, type AnyPgColumn } from "drizzle-orm/pg-core";
import { notificationType, visibility } from "./enums";
import { users } from "./accounts";
import { files } from "./files";

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const follows = pgTable("follows", {
  id: uuid("id").primaryKey().defaultRandom(),
  followerId: uuid("follower_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  followingId: uuid("following_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const blocks = pgTable("blocks", {
  id: uuid("id").primaryKey().defaultRandom(),
  blockerId: uuid("blocker_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  blockedId: uuid("blocked_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  reason: varchar("reason", { length: 255 }),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const groups = pgTable("groups", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: varchar("name", { length: 255 }).notNull(),
  slug: varchar("slug", { length: 100 }).notNull(),
  description: text("description"),
  avatarUrl: text("avatar_url"),
  bannerUrl: text("banner_url"),
  avatarFileId: uuid("avatar_file_id").references(() => files.id, { onDelete: "set null" }), // 0020_groups
  bannerFileId: uuid("banner_file_id").references(() => files.id, { onDelete: "set null" }), // 0020_groups
  /** public | private */
  groupType: varchar("group_type", { length: 50 }).notNull().default("public"),
  requiresApproval: boolean("requires_approval").notNull().default(false),
  creatorId: uuid("creator_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  memberCount: integer("member_count").notNull().default(0),
  postCount: integer("post_count").notNull().default(0),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  deletedAt: ts("deleted_at"),
});

export const groupMembers = pgTable("group_members", {
  id: uuid("id").primaryKey().defaultRandom(),
  groupId: uuid("group_id").notNull().references(() => groups.id, { onDelete: "cascade" }),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  /** owner | admin | moderator | member */
  role: varchar("role", { length: 50 }).notNull().default("member"),
  /** pending | active | banned */
  status: varchar("status", { length: 50 }).notNull().default("active"),
  joinedAt: ts("joined_at").notNull().defaultNow(),
  approvedAt: ts("approved_at"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const posts = pgTable("posts", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  groupId: uuid("group_id").references(() => groups.id, { onDelete: "cascade" }),
  content: text("content").notNull().default(""),
  imageFileIds: uuid("image_file_ids").array(),
  audioFileId: uuid("audio_file_id").references(() => files.id, { onDelete: "set null" }),
  videoFileId: uuid("video_file_id").references(() => files.id, { onDelete: "set null" }),
  repostOfId: uuid("repost_of_id").references((): AnyPgColumn => posts.id, { onDelete: "cascade" }),
  visibility: visibility("visibility").notNull().default("public"),
  likeCount: integer("like_count").notNull().default(0),
  commentCount: integer("comment_count").notNull().default(0),
  repostCount: integer("repost_count").notNull().default(0),
  isPinned: boolean("is_pinned").notNull().default(false),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  deletedAt: ts("deleted_at"),
});

export const postLikes = pgTable("post_likes", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  postId: uuid("post_id").notNull().references(() => posts.id, { onDelete: "cascade" }),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const postComments = pgTable("post_comments", {
  id: uuid("id").primaryKey().defaultRandom(),
  postId: uuid("post_id").notNull().references(() => posts.id, { onDelete: "cascade" }),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  content: text("content").notNull(),
  parentCommentId: uuid("parent_comment_id"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  deletedAt: ts("deleted_at"),
}, (t) => [
  // a reply's parent is a comment of the same post
  foreignKey({
    name: "fk_post_comments_parent",
    columns: [t.parentCommentId, t.postId],
    foreignColumns: [t.id, t.postId],
  }).onDelete("cascade"),
]);

export const hashtags = pgTable("hashtags", {
  id: uuid("id").primaryKey().defaultRandom(),
  tag: varchar("tag", { length: 100 }).notNull(),
  slug: varchar("slug", { length: 100 }).notNull(),
  usageCount: integer("usage_count").notNull().default(0),
  firstUsedAt: ts("first_used_at").notNull().defaultNow(),
  lastUsedAt: ts("last_used_at").notNull().defaultNow(),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const postHashtags = pgTable("post_hashtags", {
  id: uuid("id").primaryKey().defaultRandom(),
  postId: uuid("post_id").notNull().references(() => posts.id, { onDelete: "cascade" }),
  hashtagId: uuid("hashtag_id").notNull().references(() => hashtags.id, { onDelete: "cascade" }),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const notifications = pgTable("notifications", {
  id: uuid("id").primaryKey().defaultRandom(),
  /** recipient */
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  /** who caused it; null for system notifications or once the actor is deleted */
  actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
  type: notificationType("type").notNull(),
  entityType: varchar("entity_type", { length: 50 }),
  entityId: uuid("entity_id"),
  title: varchar("title", { length: 255 }),
  body: text("body"),
  data: jsonb("data").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  isRead: boolean("is_read").notNull().default(false),
  readAt: ts("read_at"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  deletedAt: ts("deleted_at"),
});
