import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { encodeCursor } from "../../lib/cursor";
import { notFound } from "../../lib/errors";
import { hasBlocked } from "../blocks/either-blocked";
import { preciseIso } from "../tracks/track-view";
import { between, cursorIn, messageJson, partnerByName, userJson, visibleTo, withYourself } from "./message-view";
import type { ConversationUser, DirectMessage, MessagePage } from "./schemas";

type PageRow = {
  user: ConversationUser | null;
  self: boolean | null;
  blocked_by_me: boolean | null;
  blocked_me: boolean | null;
  messages: Array<{ message: DirectMessage; cursor_at: string }>;
};

/**
 * GET /v1/me/conversations/:username/messages: the conversation newest first, without the
 * messages I deleted for myself, keyset on (created_at, id) over idx_direct_messages_conversation_keyset;
 * one statement with the other user's card and the block flags. Reading is allowed whatever the
 * blocks (the history stays mine); reading does not mark anything read (POST …/read does).
 */
export async function listMessages(db: Database, me: string, username: string, query: { limit: number; before?: string }): Promise<MessagePage> {
  const before = cursorIn("before", query.before);
  const { rows } = await db.execute<PageRow>(sql`
    WITH other AS (${partnerByName(username)})
    SELECT ${userJson("o", "o")} AS user, o.id = ${me}::uuid AS self,
           ${hasBlocked(me, sql`o.id`)} AS blocked_by_me, ${hasBlocked(sql`o.id`, me)} AS blocked_me,
           COALESCE((
             SELECT json_agg(json_build_object('message', m.message, 'cursor_at', m.cursor_at) ORDER BY m.created_at DESC, m.id DESC)
               FROM (SELECT d.id, d.created_at, ${preciseIso("d.created_at")} AS cursor_at, ${messageJson("d", "f")} AS message
                       FROM direct_messages d LEFT JOIN files f ON f.id = d.attachment_file_id AND f.deleted_at IS NULL
                      WHERE ${between("d", me, sql`o.id`)} AND ${visibleTo("d", me)}
                        ${before ? sql`AND (d.created_at, d.id) < (${before[0]}::timestamptz, ${before[1]}::uuid)` : sql``}
                      ORDER BY d.created_at DESC, d.id DESC
                      LIMIT ${query.limit + 1}) m
           ), '[]'::json) AS messages
      FROM other o`);
  const row = rows[0];
  if (!row?.user) throw notFound("This user");
  if (row.self) throw withYourself();
  const page = row.messages.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    user: row.user,
    blocked: Boolean(row.blocked_by_me || row.blocked_me),
    blocked_by_me: Boolean(row.blocked_by_me),
    items: page.map((m) => m.message),
    next_cursor: row.messages.length > query.limit && last ? encodeCursor(last.cursor_at, last.message.id) : null,
  };
}
