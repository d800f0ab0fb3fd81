import { sql, type SQL } from "drizzle-orm";
import { iso } from "../tracks/track-view";
import type { Collaborator, Permission } from "./schemas";

/** `SELECT <collaborator columns> FROM <from> c ...` over playlist_collaborators rows aliased `c`. */
export const selectCollaborator = (from: SQL) => sql`
  SELECT c.user_id, cu.username, cu.display_name, cp.avatar_url, c.permission, c.status,
         c.invited_by, ib.username AS invited_by_username,
         ${iso("c.invited_at")} AS invited_at, ${iso("c.accepted_at")} AS accepted_at, ${iso("c.expires_at")} AS expires_at
    FROM ${from} c
    JOIN users cu ON cu.id = c.user_id
    LEFT JOIN user_profiles cp ON cp.user_id = c.user_id
    LEFT JOIN users ib ON ib.id = c.invited_by`;

export interface CollaboratorRow {
  user_id: string;
  username: string;
  display_name: string | null;
  avatar_url: string | null;
  permission: Permission;
  status: Collaborator["status"];
  invited_by: string | null;
  invited_by_username: string | null;
  invited_at: string;
  accepted_at: string | null;
  expires_at: string | null;
  [column: string]: unknown;
}

export const toCollaborator = (row: CollaboratorRow): Collaborator => ({
  user: { id: row.user_id, username: row.username, display_name: row.display_name, avatar_url: row.avatar_url },
  permission: row.permission,
  status: row.status,
  invited_by: row.invited_by ? { id: row.invited_by, username: row.invited_by_username ?? "" } : null,
  invited_at: row.invited_at,
  accepted_at: row.accepted_at,
  expires_at: row.expires_at,
});

/** Inviting or promoting someone to edit/admin makes the playlist collaborative (spec: the flag says edits are shared). */
export const turnsCollaborative = (permission: Permission) => permission !== "view";
