import { sql, type SQL } from "drizzle-orm";
import type { UserRef } from "../blocks/either-blocked";
import type { NotificationType } from "./schemas";

/**
 * The user_settings column that says whether a user wants notifications of each kind. The schema's
 * only per-kind switches are the spec's email_on_* flags (§5.2): they are the one place a user says
 * which kinds they care about, so they decide whether such a notification is created at all.
 * email_notifications / push_notifications / browser_notifications choose delivery channels, not
 * the inbox, and are left to whoever sends on those channels. System notices (security,
 * moderation, legal) cannot be turned off.
 */
const PREFERENCE: Record<NotificationType, string | null> = {
  follow: "email_on_follow",
  like: "email_on_like",
  comment: "email_on_comment",
  message: "email_on_message",
  mention: "email_on_mention",
  system: null,
};

/**
 * True when the recipient `user` (a column such as sql`mentioned.id`, or a user id) wants a
 * notification of `type`: for creators of notifications to put in their INSERT ... SELECT's WHERE,
 * so the check costs no round trip. One probe of idx_user_settings_user_id; a user without a
 * settings row (the AFTER INSERT trigger on users creates one) gets the defaults, which are true.
 */
export function wantsNotification(user: UserRef, type: NotificationType): SQL {
  const column = PREFERENCE[type];
  if (!column) return sql`true`;
  const recipient = typeof user === "string" ? sql`${user}::uuid` : user;
  return sql`COALESCE((SELECT us.${sql.raw(column)} FROM user_settings us WHERE us.user_id = ${recipient}), true)`;
}
