import { sql, type SQL } from "drizzle-orm";
import { permissions, type MemberRole } from "../../../durable-objects/chat-room/members";
import { ApiError, notFound } from "../../lib/errors";
import { iso, preciseIso } from "../tracks/track-view";
import { parseJson } from "./access";
import type { Membership, Room } from "./schemas";

/**
 * How a room is read and shaped, for every endpoint that answers with one. Written over any
 * relation of rooms rows aliased `r` (the table, or the RETURNING of a write in the same
 * statement), with the viewer's membership `m`, so writes answer in their one round trip.
 */

/** Rooms are listed by last activity, newest first; rooms without messages last (the epoch sorts below any activity). */
export const ACTIVITY = "COALESCE(r.last_activity_at, 'epoch'::timestamptz)";

export function selectRoom(from: SQL, viewerId: string | null): SQL {
  return sql`
    SELECT r.id, r.name, r.slug, r.description, r.topic, r.rules, r.welcome_message, r.room_type,
           (r.is_private OR r.room_type <> 'public') AS is_private, r.password_hash IS NOT NULL AS has_password,
           r.max_members, r.member_count, r.message_count, r.slow_mode_seconds, r.message_retention_days, r.is_nsfw,
           r.is_archived, ${iso("r.archived_at")} AS archived_at, r.room_code, r.creator_id, cu.username AS creator_username,
           ${iso("r.last_activity_at")} AS last_activity_at, ${iso("r.created_at")} AS created_at, ${iso("r.updated_at")} AS updated_at,
           ${preciseIso(ACTIVITY)} AS cursor_at,
           ${membershipColumns}
      FROM ${from} r
      LEFT JOIN users cu ON cu.id = r.creator_id
      LEFT JOIN room_members m ON m.room_id = r.id AND m.user_id = ${viewerId}::uuid
     WHERE r.deleted_at IS NULL`;
}

/**
 * A membership as one JSON value over `room_members m` (null when there is none or it is a ban).
 * Expired mutes read as not muted.
 */
export const membershipJson = sql`CASE WHEN m.id IS NOT NULL AND NOT m.is_banned THEN json_build_object(
  'role', m.role, 'can_invite', m.can_invite, 'can_manage_messages', m.can_manage_messages, 'can_manage_members', m.can_manage_members,
  'nickname', m.custom_nickname, 'notification_level', m.notification_level,
  'is_muted', m.is_muted AND (m.muted_until IS NULL OR m.muted_until > now()),
  'muted_until', CASE WHEN m.muted_until > now() THEN ${iso("m.muted_until")} END,
  'joined_at', ${iso("m.joined_at")}, 'last_read_seq', COALESCE(m.last_read_seq, 0)) END`;

/** The viewer's membership `m`: whether it is a ban, and the membership itself. */
const membershipColumns = sql`m.role AS my_role, COALESCE(m.is_banned, false) AS my_banned, ${membershipJson} AS my_membership,
  COALESCE(m.last_read_seq, 0) AS my_read_seq`;

interface MembershipRow {
  role: MemberRole;
  can_invite: boolean;
  can_manage_messages: boolean;
  can_manage_members: boolean;
  nickname: string | null;
  notification_level: Membership["notification_level"];
  is_muted: boolean;
  muted_until: string | null;
  joined_at: string;
  last_read_seq: number | string;
}

/** A `membershipJson` value -> the API's membership (with the effective permissions), or null. */
export function toMembership(value: unknown): Membership | null {
  const m = parseJson<MembershipRow>(value);
  if (!m) return null;
  return {
    role: m.role,
    permissions: permissions(m),
    nickname: m.nickname,
    notification_level: m.notification_level,
    is_muted: m.is_muted,
    muted_until: m.muted_until,
    joined_at: m.joined_at,
    last_read_seq: Number(m.last_read_seq),
  };
}

export interface RoomRow {
  id: string;
  name: string | null;
  slug: string | null;
  description: string | null;
  topic: string | null;
  rules: string | null;
  welcome_message: string | null;
  room_type: Room["room_type"];
  is_private: boolean;
  has_password: boolean;
  max_members: number | null;
  member_count: number | string;
  message_count: number | string;
  slow_mode_seconds: number;
  message_retention_days: number;
  is_nsfw: boolean;
  is_archived: boolean;
  archived_at: string | null;
  room_code: string | null;
  creator_id: string | null;
  creator_username: string | null;
  last_activity_at: string | null;
  created_at: string;
  updated_at: string;
  cursor_at: string;
  my_role: MemberRole | null;
  my_banned: boolean;
  my_membership: unknown;
  [column: string]: unknown;
}

/** A room the viewer may see: private rooms to their members only (404 to others), nothing to a banned member. */
export function readableRoom<T extends RoomRow>(row: T | undefined): T {
  if (!row || (row.is_private && (!row.my_role || row.my_banned))) throw notFound("This room");
  if (row.my_banned) throw new ApiError("forbidden", "You are banned from this room.");
  return row;
}

/** The answer's shape. The room code is an invitation: shown for public rooms and to members who may invite. */
export function toRoom(row: RoomRow): Room {
  const membership = toMembership(row.my_membership);
  const showCode = !row.is_private || membership?.permissions.invite === true;
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    description: row.description,
    topic: row.topic,
    rules: row.rules,
    welcome_message: row.welcome_message,
    room_type: row.room_type,
    has_password: row.has_password,
    max_members: row.max_members === null ? null : Number(row.max_members),
    member_count: Number(row.member_count),
    message_count: Number(row.message_count),
    slow_mode_seconds: Number(row.slow_mode_seconds),
    message_retention_days: Number(row.message_retention_days),
    is_nsfw: row.is_nsfw,
    is_archived: row.is_archived,
    archived_at: row.archived_at,
    room_code: showCode ? row.room_code : null,
    creator: row.creator_id && row.creator_username ? { id: row.creator_id, username: row.creator_username } : null,
    last_activity_at: row.last_activity_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
    my_membership: membership,
  };
}
