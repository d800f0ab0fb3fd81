import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { iso } from "../tracks/track-view";
import { parseJson } from "./access";
import { ACTIVITY, selectRoom, toRoom, type RoomRow } from "./room-view";
import type { Room } from "./schemas";

interface Page {
  limit: number;
  cursor?: string;
}

/** Unread counts stop here: a room unread for a year costs a bounded scan, and a badge shows "999+" anyway. */
export const UNREAD_CAP = 1000;

/** Keyset condition after the cursor, in the lists' order (last activity desc, then id desc). */
function after(page: Page): SQL {
  if (!page.cursor) return sql``;
  const [at, id] = decodeCursor(page.cursor);
  return sql`AND (${sql.raw(ACTIVITY)}, r.id) < (${at}::timestamptz, ${id}::uuid)`;
}

function toPage<R extends RoomRow, T>(rows: R[], limit: number, shape: (row: R) => T) {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(shape), next_cursor: rows.length > limit && last ? encodeCursor(last.cursor_at, last.id) : null };
}

/** `%`, `_` and `\` typed by the user match themselves. */
const containing = (q: string) => `%${q.replace(/[\\%_]/g, "\\$&")}%`;

/**
 * GET /v1/rooms: public rooms that are neither archived nor deleted, most recently active first,
 * optionally whose name contains `q`; rooms the viewer is banned from are left out. One statement.
 */
export async function discoverRooms(db: Database, viewerId: string | null, query: Page & { q?: string }) {
  const { rows } = await db.execute<RoomRow>(sql`
    ${selectRoom(sql`rooms`, viewerId)}
      AND r.room_type = 'public' AND NOT r.is_private AND NOT r.is_archived AND NOT COALESCE(m.is_banned, false)
      ${query.q ? sql`AND r.name ILIKE ${containing(query.q)}` : sql``}
      ${after(query)}
     ORDER BY ${sql.raw(ACTIVITY)} DESC, r.id DESC
     LIMIT ${query.limit + 1}`);
  return toPage(rows, query.limit, toRoom);
}

interface MyRoomRow extends RoomRow {
  last_message: unknown;
  unread_count: number | string;
}

interface LastMessageRow {
  id: string;
  seq: number | string | null;
  sender_id: string;
  sender_username: string;
  content: string;
  is_deleted: boolean;
  created_at: string;
}

/**
 * GET /v1/me/rooms: the rooms the caller is a member of (not banned from, not deleted), most
 * recently active first, each with its last message (a LATERAL on idx_messages_room_id_created_at:
 * one index probe per room of the page) and the caller's unread count (messages after their read
 * marker, from others, not deleted: a range of uq_messages_room_seq, capped at UNREAD_CAP). The page
 * is chosen first and the laterals run for its rooms only. One statement.
 */
export async function listMyRooms(db: Database, userId: string, query: Page) {
  const { rows } = await db.execute<MyRoomRow>(sql`
    SELECT v.*, lm.last_message, uc.unread_count
      FROM (
        ${selectRoom(sql`rooms`, userId)} AND m.user_id IS NOT NULL AND NOT m.is_banned ${after(query)}
         ORDER BY ${sql.raw(ACTIVITY)} DESC, r.id DESC
         LIMIT ${query.limit + 1}
      ) v
      LEFT JOIN LATERAL (
        SELECT json_build_object('id', x.id, 'seq', x.seq, 'sender_id', x.sender_id, 'sender_username', su.username,
                                 'content', CASE WHEN x.is_deleted THEN '' ELSE x.content END, 'is_deleted', x.is_deleted,
                                 'created_at', ${iso("x.created_at")}) AS last_message
          FROM messages x JOIN users su ON su.id = x.sender_id
         WHERE x.room_id = v.id
         ORDER BY x.created_at DESC, x.seq DESC NULLS LAST
         LIMIT 1
      ) lm ON true
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS unread_count
          FROM (SELECT 1 FROM messages y
                 WHERE y.room_id = v.id AND y.seq > v.my_read_seq AND y.sender_id <> ${userId} AND NOT y.is_deleted
                 LIMIT ${UNREAD_CAP}) capped
      ) uc
     ORDER BY v.cursor_at DESC, v.id DESC`);
  return toPage(rows, query.limit, (row): Room & { last_message: ReturnType<typeof toLastMessage>; unread_count: number } => ({
    ...toRoom(row),
    last_message: toLastMessage(row.last_message),
    unread_count: Number(row.unread_count),
  }));
}

function toLastMessage(value: unknown) {
  const m = parseJson<LastMessageRow>(value);
  if (!m) return null;
  return {
    id: m.id,
    seq: m.seq === null ? null : Number(m.seq),
    sender: { id: m.sender_id, username: m.sender_username },
    content: m.content,
    is_deleted: m.is_deleted,
    created_at: m.created_at,
  };
}
