import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { shownTo } from "./notification-view";

/**
 * GET /v1/me/notifications/unread-count: one round trip over idx_notifications_unread (its
 * predicate is spelled `is_read = false` here so the planner matches it), less those the list
 * hides for a block.
 */
export async function countUnread(db: Database, userId: string): Promise<{ unread: number }> {
  const { rows } = await db.execute<{ unread: number }>(sql`
    SELECT count(*)::int AS unread FROM notifications n WHERE ${shownTo(userId)} AND n.is_read = false`);
  return { unread: Number(rows[0]?.unread ?? 0) };
}
