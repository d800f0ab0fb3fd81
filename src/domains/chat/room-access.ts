import { sql, type SQL } from "drizzle-orm";
import type { MemberInfo, RoomConfig } from "../../../durable-objects/chat-room/members";
import { ApiError, notFound } from "../../lib/errors";
import { parseJson } from "../../lib/json-value";
import { memberInfoJson, toMemberInfo } from "./member-info";

/** A room as one user may reach it: its settings, their membership (if any) and read marker. */
export interface RoomAccess {
  config: RoomConfig;
  is_private: boolean;
  member: MemberInfo | null;
  banned: boolean;
  last_read_seq: number;
}

/**
 * A sub-select producing the room's access row for `userId` (anonymous: null) as one JSON value, so
 * a query can check access and read what it serves in the same round trip. Deleted rooms have none.
 */
export function roomAccessJson(roomId: string, userId: string | null): SQL {
  return sql`(SELECT json_build_object(
      'room_id', r.id, 'slow_mode_seconds', r.slow_mode_seconds, 'is_archived', r.is_archived,
      'is_private', r.is_private OR r.room_type <> 'public', 'banned', COALESCE(m.is_banned, false),
      'last_read_seq', COALESCE(m.last_read_seq, 0),
      'member', CASE WHEN m.id IS NOT NULL AND NOT m.is_banned THEN ${memberInfoJson} END)
    FROM rooms r
    LEFT JOIN room_members m ON m.room_id = r.id AND m.user_id = ${userId}::uuid
    LEFT JOIN users u ON u.id = m.user_id
   WHERE r.id = ${roomId}::uuid AND r.deleted_at IS NULL)`;
}

/**
 * The RoomConfig of the room under alias `r` as one JSON value, deleted rooms included (is_deleted),
 * for writes that must reach a room's object whatever its state (platform moderation).
 */
export const roomConfigJson = (r = "r"): SQL =>
  sql.raw(`json_build_object('room_id', ${r}.id, 'slow_mode_seconds', ${r}.slow_mode_seconds, 'is_archived', ${r}.is_archived, 'is_deleted', ${r}.deleted_at IS NOT NULL)`);

/** A roomConfigJson value as the query returned it (JSON text or object). */
export const toRoomConfig = (value: unknown): RoomConfig => parseJson<RoomConfig>(value)!;

/** The access row as the query returned it (JSON text or object), or null for no such room. */
export function toRoomAccess(value: unknown): RoomAccess | null {
  if (value === null || value === undefined) return null;
  const row = parseJson<{
    room_id: string;
    slow_mode_seconds: number;
    is_archived: boolean;
    is_private: boolean;
    banned: boolean;
    last_read_seq: number | string;
    member: unknown;
  }>(value)!;
  return {
    config: { room_id: row.room_id, slow_mode_seconds: row.slow_mode_seconds, is_archived: row.is_archived, is_deleted: false },
    is_private: row.is_private,
    member: row.member ? toMemberInfo(row.member) : null,
    banned: row.banned,
    last_read_seq: Number(row.last_read_seq),
  };
}

/**
 * Members only: a private room is 404 to everyone else (as if it did not exist), a public one 403
 * (join it first); banned members are 403.
 */
export function requireMember(access: RoomAccess | null): { access: RoomAccess; member: MemberInfo } {
  if (!access || (access.is_private && !access.member)) throw notFound("This room");
  if (access.banned) throw new ApiError("forbidden", "You are banned from this room.");
  if (!access.member) throw new ApiError("forbidden", "Join this room first.");
  return { access, member: access.member };
}

/** Readers: anyone for a public room (except its banned members), members for a private one. */
export function requireReader(access: RoomAccess | null): RoomAccess {
  if (!access || (access.is_private && !access.member)) throw notFound("This room");
  if (access.banned) throw new ApiError("forbidden", "You are banned from this room.");
  return access;
}

/** The same rule in SQL, for queries that check and read at once (`a` is roomAccessJson's value). */
export const readableSql = (a: SQL) => sql`(${a} IS NOT NULL AND NOT (${a} ->> 'banned')::boolean AND (NOT (${a} ->> 'is_private')::boolean OR ${a} -> 'member' IS NOT NULL AND json_typeof(${a} -> 'member') = 'object'))`;
