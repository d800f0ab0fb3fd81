import { sql } from "drizzle-orm";
import { permissions, type MemberInfo } from "../../../durable-objects/chat-room/members";
import { memberInfoJson, toMemberInfo } from "../chat/member-info";
import { iso } from "../tracks/track-view";
import { parseJson } from "./access";
import type { Member } from "./schemas";

/**
 * A member as the API shows them, as one JSON value over `room_members m` joined to `users u`
 * (usable in a SELECT, or in `UPDATE room_members m ... FROM users u ... RETURNING`).
 */
export const memberViewJson = sql`json_build_object(
  'user_id', m.user_id, 'username', u.username, 'nickname', m.custom_nickname, 'role', m.role,
  'can_invite', m.can_invite, 'can_manage_messages', m.can_manage_messages, 'can_manage_members', m.can_manage_members,
  'is_muted', m.is_muted AND (m.muted_until IS NULL OR m.muted_until > now()),
  'muted_until', CASE WHEN m.muted_until > now() THEN ${iso("m.muted_until")} END,
  'joined_at', ${iso("m.joined_at")}, 'is_banned', m.is_banned, 'banned_at', ${iso("m.banned_at")}, 'banned_reason', m.banned_reason)`;

/** Both shapes of a changed member: the API's and the ChatRoom object's (for notifyMemberChanged). */
export const changedMemberColumns = sql`${memberViewJson} AS view, ${memberInfoJson} AS member`;

interface MemberViewRow {
  user_id: string;
  username: string;
  nickname: string | null;
  role: Member["role"];
  can_invite: boolean;
  can_manage_messages: boolean;
  can_manage_members: boolean;
  is_muted: boolean;
  muted_until: string | null;
  joined_at: string;
  is_banned: boolean;
  banned_at: string | null;
  banned_reason: string | null;
}

/** `showReason`: the ban's reason is for those who manage members, not for everyone who lists them. */
export function toMember(value: unknown, showReason = true): Member {
  const row = parseJson<MemberViewRow>(value)!;
  return {
    user: { id: row.user_id, username: row.username },
    nickname: row.nickname,
    role: row.role,
    can_invite: row.can_invite,
    can_manage_messages: row.can_manage_messages,
    can_manage_members: row.can_manage_members,
    permissions: permissions(row),
    is_muted: row.is_muted,
    muted_until: row.muted_until,
    joined_at: row.joined_at,
    is_banned: row.is_banned,
    banned_at: row.banned_at,
    banned_reason: showReason ? row.banned_reason : null,
  };
}

/** The ChatRoom object's MemberInfo from a `member` column, or null. */
export const toInfo = (value: unknown): MemberInfo | null => (value === null || value === undefined ? null : toMemberInfo(value));
