import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { shownTo } from "./notification-view";

/**
 * POST /v1/me/notifications/read: marks the given notifications of mine (or, without ids, all of
 * mine) read, and answers how many stay unread; one round trip. Only unread rows are touched, so
 * read_at keeps the first reading. Ids that are not my live notifications change nothing and are
 * not reported, so the call reveals nothing about others' ids. The count is taken in the same
 * statement, whose snapshot does not see the UPDATE: the rows it marked are taken out by id.
 */
export async function markRead(db: Database, userId: string, ids: string[] | undefined): Promise<{ unread: number }> {
  const { rows } = await db.execute<{ unread: number }>(sql`
    WITH marked AS (
      UPDATE notifications SET is_read = true, read_at = now()
       WHERE user_id = ${userId}::uuid AND deleted_at IS NULL AND is_read = false
         ${ids ? sql`AND id = ANY(${`{${ids.join(",")}}`}::uuid[])` : sql``}
      RETURNING id)
    SELECT count(*)::int AS unread FROM notifications n
     WHERE ${shownTo(userId)} AND n.is_read = false AND n.id NOT IN (SELECT id FROM marked)`);
  return { unread: Number(rows[0]?.unread ?? 0) };
}
