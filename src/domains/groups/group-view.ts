import { sql, type SQL } from "drizzle-orm";
import { iso, preciseIso } from "../tracks/track-view";
import type { GroupRole, GroupStatus } from "./roles";
import type { Group } from "./schemas";

/**
 * How a group is read and shaped, for every endpoint that answers with one: over any relation of
 * groups rows aliased `g` (the table, or the RETURNING of a write), with its owner (the inner join
 * to a live owner account is the liveness rule of ./access.ts) and the viewer's membership `m`.
 */
export function selectGroup(from: SQL, viewerId: string | null): SQL {
  return sql`
    SELECT g.id, g.name, g.slug, g.description, g.group_type, g.requires_approval, g.member_count, g.post_count,
           CASE WHEN af.deleted_at IS NULL AND af.mime_type LIKE 'image/%' THEN g.avatar_url END AS avatar_url,
           CASE WHEN bf.deleted_at IS NULL AND bf.mime_type LIKE 'image/%' THEN g.banner_url END AS banner_url,
           ${iso("g.created_at")} AS created_at, ${iso("g.updated_at")} AS updated_at, ${preciseIso("g.created_at")} AS cursor_at,
           ou.id AS owner_id, ou.username AS owner_username, ou.display_name AS owner_display_name, op.avatar_url AS owner_avatar_url,
           m.role AS my_role, m.status AS my_status, ${iso("m.joined_at")} AS my_joined_at, ${preciseIso("m.joined_at")} AS my_joined_cursor
      FROM ${from} g
      JOIN group_members o ON o.group_id = g.id AND o.role = 'owner'
      JOIN users ou ON ou.id = o.user_id AND ou.deleted_at IS NULL AND NOT ou.is_banned
      LEFT JOIN user_profiles op ON op.user_id = ou.id
      LEFT JOIN group_members m ON m.group_id = g.id AND m.user_id = ${viewerId}::uuid
      LEFT JOIN files af ON af.id = g.avatar_file_id
      LEFT JOIN files bf ON bf.id = g.banner_file_id
     WHERE g.deleted_at IS NULL`;
}

export type GroupRow = {
  id: string;
  name: string;
  slug: string;
  description: string | null;
  group_type: Group["group_type"];
  requires_approval: boolean;
  avatar_url: string | null;
  banner_url: string | null;
  member_count: number | string;
  post_count: number | string;
  created_at: string;
  updated_at: string;
  cursor_at: string;
  owner_id: string;
  owner_username: string;
  owner_display_name: string | null;
  owner_avatar_url: string | null;
  my_role: GroupRole | null;
  my_status: GroupStatus | null;
  my_joined_at: string | null;
  my_joined_cursor: string | null;
};

/** The answer's shape. */
export function toGroup(row: GroupRow): Group {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    description: row.description,
    group_type: row.group_type,
    requires_approval: row.requires_approval,
    avatar_url: row.avatar_url,
    banner_url: row.banner_url,
    member_count: Number(row.member_count),
    post_count: Number(row.post_count),
    owner: { id: row.owner_id, username: row.owner_username, display_name: row.owner_display_name, avatar_url: row.owner_avatar_url },
    created_at: row.created_at,
    updated_at: row.updated_at,
    my_membership: row.my_role && row.my_status ? { role: row.my_role, status: row.my_status, joined_at: row.my_joined_at! } : null,
  };
}
