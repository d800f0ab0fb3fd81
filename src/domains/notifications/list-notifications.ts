import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { iso, preciseIso } from "../tracks/track-view";
import { shownTo } from "./notification-view";
import type { Notification } from "./schemas";

type NotificationRow = Omit<Notification, "actor"> & {
  cursor_at: string;
  actor_id: string | null;
  username: string | null;
  display_name: string | null;
  avatar_url: string | null;
};

/**
 * GET /v1/me/notifications: mine, newest first, keyset on (created_at, id) over
 * idx_notifications_user_id_created_at; one round trip. Notifications of blocked actors are left
 * out inside the scan, before the LIMIT, so a page is never short while more remain. The actor's
 * card is null when they are gone (erased, deleted or banned, as comments hide such authors); the
 * notification itself stays, it is the recipient's.
 */
export async function listNotifications(
  db: Database,
  userId: string,
  query: { limit: number; cursor?: string; unread: boolean },
): Promise<{ items: Notification[]; next_cursor: string | null }> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const { rows } = await db.execute<NotificationRow>(sql`
    SELECT n.id, ${preciseIso("n.created_at")} AS cursor_at, ${iso("n.created_at")} AS created_at, ${iso("n.read_at")} AS read_at,
           n.type, n.entity_type, n.entity_id, n.title, n.body, n.data, n.is_read,
           a.id AS actor_id, a.username, a.display_name, p.avatar_url
      FROM notifications n
      LEFT JOIN users a ON a.id = n.actor_id AND a.deleted_at IS NULL AND NOT a.is_banned
      LEFT JOIN user_profiles p ON p.user_id = a.id
     WHERE ${shownTo(userId)}
       ${query.unread ? sql`AND n.is_read = false` : sql``}
       ${after ? sql`AND (n.created_at, n.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
     ORDER BY n.created_at DESC, n.id DESC
     LIMIT ${query.limit + 1}`);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: r.id,
      actor: r.actor_id && r.username ? { id: r.actor_id, username: r.username, display_name: r.display_name, avatar_url: r.avatar_url } : null,
      type: r.type,
      entity_type: r.entity_type,
      entity_id: r.entity_id,
      title: r.title,
      body: r.body,
      data: r.data,
      is_read: r.is_read,
      read_at: r.read_at,
      created_at: r.created_at,
    })),
    next_cursor: rows.length > query.limit && last ? encodeCursor(last.cursor_at, last.id) : null,
  };
}
