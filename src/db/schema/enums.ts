import { pgEnum } from "drizzle-orm/pg-core";

/** The enums of spec §3.2 and chat-data-models.md; migrations/0001_foundation.sql creates them. */
export const userRole = pgEnum("user_role", ["user", "creator", "premium", "moderator", "admin"]);
export const visibility = pgEnum("visibility", ["public", "unlisted", "private"]);
export const orderStatus = pgEnum("order_status", ["pending", "paid", "processing", "completed", "cancelled", "refunded"]);
export const messageType = pgEnum("message_type", ["text", "image", "audio", "video", "file"]);
export const notificationType = pgEnum("notification_type", ["follow", "like", "comment", "message", "mention", "system"]);
export const notificationLevel = pgEnum("notification_level", ["none", "mentions", "all"]);
export const moderationStatus = pgEnum("moderation_status", ["pending", "approved", "rejected", "flagged"]);
export const virusScanStatus = pgEnum("virus_scan_status", ["pending", "scanning", "clean", "infected", "failed"]);
export const auditSeverity = pgEnum("audit_severity", ["debug", "info", "warning", "error", "critical"]);
