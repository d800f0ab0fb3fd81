// Accounts: spec §4 (auth & security) and §5 (users & profiles). Mirrors migrations/0002_accounts.sql,
// which is the source of truth (indexes, CHECKs, triggers and partitioning live only there).
import {
  pgTable, uuid, varchar, text, integer, bigint, boolean, timestamp, jsonb, inet, date, primaryKey,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { userRole, visibility } from "./enums";

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** §4.1. Email/username are unique case-insensitively among live (deleted_at IS NULL) accounts:
 * look them up with `lower(email) = lower($1)`. An AFTER INSERT trigger creates the user's
 * user_profiles and user_settings rows. */
export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  email: varchar("email", { length: 255 }).notNull(),
  emailVerifiedAt: ts("email_verified_at"),
  passwordHash: varchar("password_hash", { length: 255 }),
  username: varchar("username", { length: 30 }).notNull(),
  firstName: varchar("first_name", { length: 100 }),
  lastName: varchar("last_name", { length: 100 }),
  displayName: varchar("display_name", { length: 100 }),
  role: userRole("role").notNull().default("user"),
  isActive: boolean("is_active").notNull().default(true),
  isVerified: boolean("is_verified").notNull().default(false),
  isBanned: boolean("is_banned").notNull().default(false),
  tokenVersion: integer("token_version").notNull().default(0),
  lastPasswordChangeAt: ts("last_password_change_at"),
  lastLoginAt: ts("last_login_at"),
  loginCount: integer("login_count").notNull().default(0),
  lastLoginIp: inet("last_login_ip"),
  dataProcessingConsent: boolean("data_processing_consent").notNull().default(false),
  dataProcessingConsentAt: ts("data_processing_consent_at"),
  marketingConsent: boolean("marketing_consent").notNull().default(false),
  marketingConsentAt: ts("marketing_consent_at"),
  exportRequestedAt: ts("export_requested_at"),
  exportedAt: ts("exported_at"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  deletedAt: ts("deleted_at"),
});

/** §4.2. Only the SHA-256 of the token is stored. Rotation keeps family_id; reuse of a rotated token
 * (replaced_by_id set) revokes the whole family. */
export const refreshTokens = pgTable("refresh_tokens", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  tokenHash: varchar("token_hash", { length: 255 }).notNull(),
  familyId: uuid("family_id").notNull().defaultRandom(),
  replacedById: uuid("replaced_by_id").references((): AnyPgColumn => refreshTokens.id, { onDelete: "set null" }),
  deviceName: varchar("device_name", { length: 255 }),
  deviceType: varchar("device_type", { length: 50 }),
  userAgent: text("user_agent"),
  ipAddress: inet("ip_address"),
  expiresAt: ts("expires_at").notNull(),
  lastUsedAt: ts("last_used_at"),
  isRevoked: boolean("is_revoked").notNull().default(false),
  revokedAt: ts("revoked_at"),
  revokedReason: varchar("revoked_reason", { length: 255 }),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** §4.3 (token stored as SHA-256 only). */
export const passwordResetTokens = pgTable("password_reset_tokens", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  tokenHash: varchar("token_hash", { length: 255 }).notNull(),
  used: boolean("used").notNull().default(false),
  usedAt: ts("used_at"),
  expiresAt: ts("expires_at").notNull(),
  ipAddress: inet("ip_address"),
  userAgent: text("user_agent"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** §4.4 (token stored as SHA-256 only). */
export const emailVerificationTokens = pgTable("email_verification_tokens", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  tokenHash: varchar("token_hash", { length: 255 }).notNull(),
  email: varchar("email", { length: 255 }).notNull(),
  verified: boolean("verified").notNull().default(false),
  verifiedAt: ts("verified_at"),
  expiresAt: ts("expires_at").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** §4.5: the last 5 bcrypt hashes of a user. */
export const passwordHistory = pgTable("password_history", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  passwordHash: varchar("password_hash", { length: 255 }).notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** §4.6. totpSecret is AES-256-GCM ciphertext (base64); backupCodes is an array of hashes. */
export const twoFactorConfigs = pgTable("two_factor_configs", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  totpSecret: text("totp_secret"),
  totpEnabled: boolean("totp_enabled").notNull().default(false),
  totpEnabledAt: ts("totp_enabled_at"),
  totpLastUsedStep: bigint("totp_last_used_step", { mode: "number" }),
  backupCodes: jsonb("backup_codes").$type<string[]>(),
  smsPhone: varchar("sms_phone", { length: 20 }),
  smsEnabled: boolean("sms_enabled").notNull().default(false),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** §4.7. accessToken/refreshToken are AES-256-GCM ciphertext (base64). */
export const federatedIdentities = pgTable("federated_identities", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  provider: varchar("provider", { length: 50 }).$type<"google" | "github" | "discord" | "spotify">().notNull(),
  providerUserId: varchar("provider_user_id", { length: 255 }).notNull(),
  accessToken: text("access_token"),
  refreshToken: text("refresh_token"),
  tokenExpiresAt: ts("token_expires_at"),
  providerEmail: varchar("provider_email", { length: 255 }),
  providerUsername: varchar("provider_username", { length: 255 }),
  providerAvatarUrl: text("provider_avatar_url"),
  providerProfileData: jsonb("provider_profile_data"),
  isPrimary: boolean("is_primary").notNull().default(false),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** §4.8: append-only, partitioned by month on attempted_at; no user FK (unknown identifiers too). */
export const loginAttempts = pgTable("login_attempts", {
  id: uuid("id").notNull().defaultRandom(),
  identifier: varchar("identifier", { length: 255 }).notNull(),
  success: boolean("success").notNull(),
  failureReason: varchar("failure_reason", { length: 100 }),
  ipAddress: inet("ip_address").notNull(),
  userAgent: text("user_agent"),
  attemptedAt: ts("attempted_at").notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.id, t.attemptedAt] })]);

/** §5.1: one row per user, created by a trigger on users. Counters are kept by triggers. */
export const userProfiles = pgTable("user_profiles", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  bio: text("bio"),
  tagline: varchar("tagline", { length: 255 }),
  location: varchar("location", { length: 255 }),
  websiteUrl: varchar("website_url", { length: 500 }),
  birthdate: date("birthdate"),
  gender: varchar("gender", { length: 50 }),
  avatarUrl: text("avatar_url"),
  bannerUrl: text("banner_url"),
  language: varchar("language", { length: 5 }).default("en"),
  timezone: varchar("timezone", { length: 50 }).default("UTC"),
  theme: varchar("theme", { length: 20 }).$type<"light" | "dark" | "auto">().default("auto"),
  profileVisibility: visibility("profile_visibility").notNull().default("public"),
  showEmail: boolean("show_email").notNull().default(false),
  showLocation: boolean("show_location").notNull().default(true),
  followerCount: integer("follower_count").notNull().default(0),
  followingCount: integer("following_count").notNull().default(0),
  trackCount: integer("track_count").notNull().default(0),
  playlistCount: integer("playlist_count").notNull().default(0),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** §5.2: one row per user, created by a trigger on users. */
export const userSettings = pgTable("user_settings", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  emailNotifications: boolean("email_notifications").notNull().default(true),
  pushNotifications: boolean("push_notifications").notNull().default(true),
  browserNotifications: boolean("browser_notifications").notNull().default(true),
  emailOnFollow: boolean("email_on_follow").notNull().default(true),
  emailOnLike: boolean("email_on_like").notNull().default(true),
  emailOnComment: boolean("email_on_comment").notNull().default(true),
  emailOnMessage: boolean("email_on_message").notNull().default(true),
  emailOnMention: boolean("email_on_mention").notNull().default(true),
  emailMarketing: boolean("email_marketing").notNull().default(false),
  allowSearchIndexing: boolean("allow_search_indexing").notNull().default(true),
  showActivity: boolean("show_activity").notNull().default(true),
  explicitContent: boolean("explicit_content").notNull().default(false),
  autoplay: boolean("autoplay").notNull().default(true),
  /** Opt-in (0021): searches are kept in search_queries only once the user turns this on. */
  saveSearchHistory: boolean("save_search_history").notNull().default(false),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** §5.3: professional roles a user declares (and staff may verify). */
export const userRoles = pgTable("user_roles", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  role: varchar("role", { length: 50 }).$type<"creator" | "producer" | "label" | "educator">().notNull(),
  verified: boolean("verified").notNull().default(false),
  verifiedAt: ts("verified_at"),
  verifiedBy: uuid("verified_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** §5.5: declarative skill badges (no rarity, no competition). */
export const badges = pgTable("badges", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: varchar("name", { length: 100 }).notNull(),
  slug: varchar("slug", { length: 100 }).notNull(),
  description: text("description"),
  category: varchar("category", { length: 50 }).$type<"instrument" | "genre" | "experience" | "role">().notNull(),
  iconUrl: text("icon_url"),
  color: varchar("color", { length: 7 }),
  isActive: boolean("is_active").notNull().default(true),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** §5.4 */
export const userBadges = pgTable("user_badges", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  badgeId: uuid("badge_id").notNull().references(() => badges.id, { onDelete: "cascade" }),
  isDisplayed: boolean("is_displayed").notNull().default(true),
  displayOrder: integer("display_order"),
  earnedAt: ts("earned_at").notNull().defaultNow(),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});
