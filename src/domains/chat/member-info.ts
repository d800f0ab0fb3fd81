import { sql } from "drizzle-orm";
import type { MemberInfo } from "../../../durable-objects/chat-room/members";
import { parseJson } from "../../lib/json-value";

/**
 * The select list that builds a MemberInfo from `room_members m` joined to `users u` (as one JSON
 * value: usable in a SELECT or an UPDATE ... FROM users u ... RETURNING). Expired mutes read as
 * not muted.
 */
export const memberInfoJson = sql`json_build_object(
  'user_id', m.user_id, 'username', u.username, 'nickname', m.custom_nickname, 'role', m.role,
  'can_invite', m.can_invite, 'can_manage_messages', m.can_manage_messages, 'can_manage_members', m.can_manage_members,
  'muted_until', CASE WHEN m.is_muted AND m.muted_until IS NOT NULL THEN (extract(epoch FROM m.muted_until) * 1000)::bigint END,
  'muted_forever', m.is_muted AND m.muted_until IS NULL)`;

/** JSON numbers come back as numbers; bigint from extract() may come back as a string. */
export function toMemberInfo(row: unknown): MemberInfo {
  const m = parseJson<MemberInfo>(row)!;
  return { ...m, muted_until: m.muted_until === null ? null : Number(m.muted_until) };
}
