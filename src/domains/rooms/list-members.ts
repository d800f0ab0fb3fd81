import { sql } from "drizzle-orm";
import { permissions } from "../../../durable-objects/chat-room/members";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { forbidden } from "../../lib/errors";
import { preciseIso } from "../tracks/track-view";
import { actorColumn, actorCte, hasPermissionSql, memberRole, parseJson, visibleRoom, type Actor } from "./access";
import { memberViewJson, toMember } from "./member-view";
import type { Member } from "./schemas";

interface Query {
  limit: number;
  cursor?: string;
  banned: boolean;
}

/**
 * GET /v1/rooms/:id/members, oldest members first (keyset on joined_at, user id). A public room's
 * members are listed to anyone, a private room's to its members; the banned are listed (with
 * ?banned=true) only to those who may manage members. The rule is also in the statement's WHERE,
 * so rows are never read for someone who may not see them. One statement.
 */
export async function listMembers(db: Database, roomId: string, viewerId: string | null, query: Query): Promise<{ items: Member[]; next_cursor: string | null }> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const allowed = sql`EXISTS (SELECT 1 FROM actor a WHERE NOT a.is_banned AND (NOT a.is_private OR a.role IS NOT NULL)
                      ${query.banned ? sql`AND a.role IS NOT NULL AND ${hasPermissionSql("manage_members", "a")}` : sql``})`;
  const { rows } = await db.execute<{ actor: unknown; items: unknown }>(sql`
    WITH actor AS (${actorCte(roomId, viewerId)})
    SELECT ${actorColumn}, (
      SELECT COALESCE(json_agg(json_build_object('view', x.view, 'cursor_at', x.cursor_at, 'user_id', x.user_id) ORDER BY x.joined_at, x.user_id), '[]'::json)
        FROM (SELECT ${memberViewJson} AS view, ${preciseIso("m.joined_at")} AS cursor_at, m.joined_at, m.user_id
                FROM room_members m JOIN users u ON u.id = m.user_id
               WHERE m.room_id = (SELECT room_id FROM actor) AND m.is_banned = ${query.banned} AND ${allowed}
                 ${after ? sql`AND (m.joined_at, m.user_id) > (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
               ORDER BY m.joined_at, m.user_id
               LIMIT ${query.limit + 1}) x) AS items`);
  const row = rows[0]!;
  const actor = visibleRoom(parseJson<Actor>(row.actor));
  if (actor.is_banned) throw forbidden("You are banned from this room.");
  const role = memberRole(actor);
  const manages = role !== null && permissions({ ...actor, role }).manage_members;
  if (query.banned && !manages) throw forbidden("Only those who manage the room's members see its bans.");
  const all = parseJson<Array<{ view: unknown; cursor_at: string; user_id: string }>>(row.items) ?? [];
  const page = all.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((item) => toMember(item.view, manages)),
    next_cursor: all.length > query.limit && last ? encodeCursor(last.cursor_at, last.user_id) : null,
  };
}
