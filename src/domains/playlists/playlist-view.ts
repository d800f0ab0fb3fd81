import { sql, type SQL } from "drizzle-orm";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { blockHides } from "../blocks/either-blocked";
import { iso, preciseIso } from "../tracks/track-view";
import type { Visibility } from "../tracks/schemas";
import { signCover } from "./cover-signature";
import type { Playlist, Role } from "./schemas";

/**
 * How a playlist is read, shaped and guarded, for every endpoint that answers with one or checks
 * access to one. Written over any relation of playlists rows aliased `p` (the table, or the
 * RETURNING of a write in the same statement), so writes answer in their one round trip.
 *
 * Roles: the owner; an accepted collaborator's permission (view/edit/admin), where edit and admin
 * count as view while the playlist is not collaborative. Pending and declined invitations give
 * nothing. A private playlist is seen by members only; a deleted playlist, or one whose owner is
 * deleted or banned, by nobody (the owner cannot sign in then).
 */
export const roleOf = (viewerId: string | null) => sql`
  CASE WHEN p.user_id = ${viewerId}::uuid THEN 'owner'
       WHEN mc.id IS NOT NULL THEN CASE WHEN p.is_collaborative THEN mc.permission ELSE 'view' END
  END`;

/** The joins the access rules need: the owner `o` and the viewer's accepted membership `mc`. */
const accessJoins = (viewerId: string | null) => sql`
  JOIN users o ON o.id = p.user_id
  LEFT JOIN playlist_collaborators mc ON mc.playlist_id = p.id AND mc.user_id = ${viewerId}::uuid AND mc.status = 'accepted'`;

const live = sql`p.deleted_at IS NULL AND o.deleted_at IS NULL AND NOT o.is_banned`;

/** Visible to the viewer (aliases p, o, mc); never across a block between the viewer and the owner. */
export const playlistVisible = (viewerId: string | null) =>
  sql`${live} AND (p.visibility <> 'private' OR ${roleOf(viewerId)} IS NOT NULL) AND NOT ${blockHides(viewerId, sql`p.user_id`)}`;

/**
 * A CTE body for writes: the live playlist (whoever may see it) with the user's role, so one
 * statement can both act and tell afterwards why it did not (see `refusal`).
 */
export const target = (playlistId: string, userId: string) => sql`
  SELECT p.id, p.user_id, p.visibility, p.is_collaborative, ${roleOf(userId)} AS role
    FROM playlists p ${accessJoins(userId)}
   WHERE p.id = ${playlistId} AND ${live}`;

/** What a write saw of its target: `target_role`, `target_visibility` (null: no such live playlist). */
export const seenColumns = sql`(SELECT role FROM target) AS target_role, (SELECT visibility FROM target) AS target_visibility`;

export interface Seen {
  target_role: Role | null;
  target_visibility: Visibility | null;
  [column: string]: unknown;
}

/** Roles allowed to change the tracks, the name/description/cover and the collaborators. */
export const EDITORS: Role[] = ["owner", "admin", "edit"];
export const MANAGERS: Role[] = ["owner", "admin"];

/** The refusal for a user the write did not let through: 404 when they may not see it, else 403. */
export function refusal(seen: Seen, allowed: Role[], detail: string): ApiError | null {
  if (!seen.target_visibility || (seen.target_visibility === "private" && !seen.target_role)) return notFound("This playlist");
  if (!seen.target_role || !allowed.includes(seen.target_role)) return forbidden(detail);
  return null;
}

/** The path a cover is served at; migrations/0016 (trg_playlists_cover_url) writes the same into cover_url. */
export const coverPath = (playlistId: string, fileId: string) => `/v1/playlists/${playlistId}/cover/${fileId}`;

export interface PlaylistRow {
  id: string;
  owner_id: string;
  owner_username: string;
  owner_display_name: string | null;
  owner_avatar_url: string | null;
  name: string;
  description: string | null;
  visibility: Visibility;
  is_collaborative: boolean;
  cover_file_id: string | null;
  track_count: number;
  duration_seconds: number;
  follower_count: number;
  my_role: Role | null;
  followed_by_me: boolean;
  created_at: string;
  updated_at: string;
  cursor_at: string;
  [column: string]: unknown;
}

/**
 * `SELECT <playlist columns> FROM <from> p JOIN users o ... WHERE <visible to viewer>` (more
 * conditions may follow with AND). The cover only while its file is a live image.
 */
export function selectPlaylist(from: SQL, viewerId: string | null, cursorColumn = "p.created_at"): SQL {
  return sql`
    SELECT p.id, p.user_id AS owner_id, o.username AS owner_username, o.display_name AS owner_display_name, op.avatar_url AS owner_avatar_url,
           p.name, p.description, p.visibility, p.is_collaborative,
           CASE WHEN cf.deleted_at IS NULL AND cf.mime_type LIKE 'image/%' THEN cf.id END AS cover_file_id,
           p.track_count, p.duration_seconds, p.follower_count,
           ${roleOf(viewerId)} AS my_role,
           EXISTS (SELECT 1 FROM playlist_follows f WHERE f.playlist_id = p.id AND f.user_id = ${viewerId}::uuid) AS followed_by_me,
           ${iso("p.created_at")} AS created_at, ${iso("p.updated_at")} AS updated_at, ${preciseIso(cursorColumn)} AS cursor_at
      FROM ${from} p
      ${accessJoins(viewerId)}
      LEFT JOIN user_profiles op ON op.user_id = o.id
      LEFT JOIN files cf ON cf.id = p.cover_file_id
     WHERE ${playlistVisible(viewerId)}`;
}

/** A private playlist's cover URL is signed (only members ever get the playlist shaped). */
export async function toPlaylist(row: PlaylistRow, secret: string): Promise<Playlist> {
  const signature = row.cover_file_id && row.visibility === "private" ? await signCover(secret, row.id) : null;
  return {
    id: row.id,
    owner: { id: row.owner_id, username: row.owner_username, display_name: row.owner_display_name, avatar_url: row.owner_avatar_url },
    name: row.name,
    description: row.description,
    visibility: row.visibility,
    is_collaborative: row.is_collaborative,
    cover_url: row.cover_file_id ? coverPath(row.id, row.cover_file_id) + (signature ? `?exp=${signature.exp}&sig=${signature.sig}` : "") : null,
    cover_expires_at: signature ? new Date(signature.exp * 1000).toISOString() : null,
    track_count: Number(row.track_count),
    duration_seconds: Number(row.duration_seconds),
    follower_count: Number(row.follower_count),
    my_role: row.my_role ?? null,
    followed_by_me: row.followed_by_me,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
