import { sql } from "drizzle-orm";
import { parseJson } from "../../lib/json-value";
import { iso } from "../tracks/track-view";
import type { GroupRole, GroupStatus } from "./roles";
import type { Member } from "./schemas";

/**
 * A member (or request, or ban) as the API shows them, as one JSON value over `group_members m`
 * joined to `users u` and `user_profiles p` (usable in a SELECT, or over a write's RETURNING).
 */
export const memberJson = sql`json_build_object(
  'user_id', u.id, 'username', u.username, 'display_name', u.display_name, 'avatar_url', p.avatar_url,
  'role', m.role, 'status', m.status, 'joined_at', ${iso("m.joined_at")})`;

type MemberJsonRow = {
  user_id: string;
  username: string;
  display_name: string | null;
  avatar_url: string | null;
  role: GroupRole;
  status: GroupStatus;
  joined_at: string;
};

export function toMember(value: unknown): Member {
  const row = parseJson<MemberJsonRow>(value)!;
  return {
    user: { id: row.user_id, username: row.username, display_name: row.display_name, avatar_url: row.avatar_url },
    role: row.role,
    status: row.status,
    joined_at: row.joined_at,
  };
}
