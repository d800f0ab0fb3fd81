import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { readableSql, requireReader, roomAccessJson, toRoomAccess } from "./room-access";
import { messageJoins, messageJson, toChatMessages } from "./message-view";
import type { MessagePage } from "./list-messages";

/**
 * Full-text search in one room's messages, newest first, on the spec's GIN index
 * (`to_tsvector('english', content)`); `q` is read as a web search (words, "phrases", -not, or).
 * Messages reach Postgres within a second of being sent, so the newest may not be found at once.
 * One round trip, access check included.
 */
export async function searchMessages(db: Database, roomId: string, userId: string | null, q: string, beforeSeq: number | null, limit: number): Promise<MessagePage> {
  const { rows } = await db.execute<{ access: unknown; messages: unknown }>(sql`
    WITH access AS (SELECT ${roomAccessJson(roomId, userId)} AS v)
    SELECT (SELECT v FROM access) AS access,
           (SELECT json_agg(page.msg ORDER BY page.seq DESC) FROM (
              SELECT m.seq, ${messageJson} AS msg FROM messages m ${messageJoins}
               WHERE m.room_id = ${roomId}::uuid AND NOT m.is_deleted AND m.seq < ${beforeSeq ?? Number.MAX_SAFE_INTEGER}
                 AND to_tsvector('english', m.content) @@ websearch_to_tsquery('english', ${q})
                 AND ${readableSql(sql`(SELECT v FROM access)`)}
               ORDER BY m.seq DESC LIMIT ${limit}) page) AS messages`);
  requireReader(toRoomAccess(rows[0]?.access));
  const items = toChatMessages(rows[0]?.messages);
  const last = items[items.length - 1];
  return { items, next_before_seq: items.length === limit && last ? last.seq : null };
}
