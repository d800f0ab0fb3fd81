/**
 * Who is in a room, as the ChatRoom object needs to know it to enforce the rules without asking
 * Postgres: the Worker reads it (membership check at the upgrade, or after a moderation change)
 * and hands it over; the object keeps it in each socket's attachment and in its storage.
 */

export const MEMBER_ROLES = ["owner", "admin", "moderator", "member"] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

const RANK: Record<MemberRole, number> = { owner: 3, admin: 2, moderator: 1, member: 0 };

export interface MemberInfo {
  user_id: string;
  username: string;
  nickname: string | null;
  role: MemberRole;
  /** The explicit grants of room_members (can_invite, ...); roles add their own (see `permissions`). */
  can_invite: boolean;
  can_manage_messages: boolean;
  can_manage_members: boolean;
  /** Muted: until then (ms since the epoch), or for good (`Infinity` is not JSON: use `muted_forever`). */
  muted_until: number | null;
  muted_forever: boolean;
}

/** The room's settings the object enforces; pushed by the Worker whenever they change. */
export interface RoomConfig {
  room_id: string;
  slow_mode_seconds: number;
  is_archived: boolean;
  /** The room was deleted: every socket is closed and nothing more is accepted. */
  is_deleted: boolean;
}

export interface Permissions {
  invite: boolean;
  manage_messages: boolean;
  manage_members: boolean;
  /** Room settings, archive: owner and admins. */
  manage_room: boolean;
}

/**
 * Effective permissions (chat-data-models: roles plus explicit grants): owners and admins may do
 * everything, moderators invite and manage messages and members, a member what they were granted.
 */
export function permissions(member: Pick<MemberInfo, "role" | "can_invite" | "can_manage_messages" | "can_manage_members">): Permissions {
  const rank = RANK[member.role];
  return {
    invite: rank >= RANK.moderator || member.can_invite,
    manage_messages: rank >= RANK.moderator || member.can_manage_messages,
    manage_members: rank >= RANK.moderator || member.can_manage_members,
    manage_room: rank >= RANK.admin,
  };
}

/** Moderation only goes down: an actor acts on members of a strictly lower role (the owner on everyone else). */
export const outranks = (actor: MemberRole, target: MemberRole) => RANK[actor] > RANK[target];

export function isMuted(member: Pick<MemberInfo, "muted_until" | "muted_forever">, now = Date.now()): boolean {
  return member.muted_forever || (member.muted_until !== null && member.muted_until > now);
}
