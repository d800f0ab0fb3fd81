import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { ChatMessage } from "../../../durable-objects/chat-room/protocol";
import type { Env } from "../../env";
import { readableSql, requireReader, roomAccessJson, toRoomAccess } from "./room-access";
import { messageJoins, messageJson, toChatMessages } from "./message-view";
import { roomOf } from "./room-object";

export interface MessagePage {
  items: ChatMessage[];
  /** Pass as `before_seq` for the next (older) page; null at the beginning of the room. */
  next_before_seq: number | null;
}

/**
 * GET /v1/rooms/:id/messages: newest first, before `beforeSeq`. The newest messages come from the
 * room's object (it holds them before Postgres does); once a page reaches past what the object
 * keeps, the rest comes from Postgres — one page, no seam. The access check and the Postgres part
 * are one query: one round trip (none for the object).
 */
export async function listMessages(env: Env, db: Database, roomId: string, userId: string | null, beforeSeq: number | null, limit: number): Promise<MessagePage> {
  const before = beforeSeq ?? Number.MAX_SAFE_INTEGER;
  const kept = await roomOf(env, roomId).page(before, limit);
  const fromRoom = kept.messages;
  const lowest = fromRoom.length ? fromRoom[fromRoom.length - 1]!.seq : before;
  // Older than anything the object keeps (or it keeps nothing): Postgres has all of it.
  const needed = fromRoom.length < limit && (kept.oldest_seq === null || lowest <= kept.oldest_seq) ? limit - fromRoom.length : 0;
  const { rows } = await db.execute<{ access: unknown; messages: unknown }>(sql`
    WITH access AS (SELECT ${roomAccessJson(roomId, userId)} AS v)
    SELECT (SELECT v FROM access) AS access,
           (SELECT json_agg(page.msg ORDER BY page.seq DESC) FROM (
              SELECT m.seq, ${messageJson} AS msg FROM messages m ${messageJoins}
               WHERE ${needed} > 0 AND m.room_id = ${roomId}::uuid AND m.seq < ${Math.min(lowest, kept.oldest_seq ?? lowest)}
                 AND ${readableSql(sql`(SELECT v FROM access)`)}
               ORDER BY m.seq DESC LIMIT ${needed}) page) AS messages`);
  requireReader(toRoomAccess(rows[0]?.access));
  const older = toChatMessages(rows[0]?.messages);
  const items = [...fromRoom, ...older];
  const last = items[items.length - 1];
  return { items, next_before_seq: items.length === limit && last && last.seq > 1 ? last.seq : null };
}
