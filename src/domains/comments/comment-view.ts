import { sql, type SQL } from "drizzle-orm";
import { iso, preciseIso } from "../tracks/track-view";
import type { Comment } from "./schemas";

/**
 * How a comment is read and shaped. Like the tracks' selectTrack, the SELECT is written over any
 * relation of track_comments rows aliased `c` (the table, a keyset page, or the RETURNING of an
 * INSERT/UPDATE of the same statement), so writes answer in their one round trip.
 */

/**
 * A comment is shown while it is live (neither of the spec's two deletion markers) and its author's
 * account is live and not banned — as tracks of banned or deleted accounts are never shown.
 * `c` is a track_comments alias, `a` its author's users alias.
 */
export const shown = (c: string, a: string) => sql.raw(`(NOT ${c}.is_deleted AND ${c}.deleted_at IS NULL AND ${a}.deleted_at IS NULL AND NOT ${a}.is_banned)`);

/** Whether comment `c` has a shown reply: a deleted comment with one stays as its thread's placeholder. */
export const hasShownReply = (c: string) =>
  sql`EXISTS (SELECT 1 FROM track_comments r JOIN users ra ON ra.id = r.user_id WHERE r.parent_comment_id = ${sql.raw(c)}.id AND ${shown("r", "ra")})`;

export interface CommentRow {
  id: string;
  track_id: string;
  parent_comment_id: string | null;
  user_id: string;
  username: string;
  display_name: string | null;
  avatar_url: string | null;
  content: string;
  timestamp_seconds: number | null;
  is_edited: boolean;
  shown: boolean;
  reply_count: number;
  created_at: string;
  updated_at: string;
  cursor_at: string;
  [column: string]: unknown;
}

/** `SELECT <comment columns> FROM <from> c JOIN users a ...`: the author as profiles show them. */
export function selectComment(from: SQL): SQL {
  return sql`
    SELECT c.id, c.track_id, c.parent_comment_id, c.user_id, a.username, a.display_name, ap.avatar_url,
           c.content, c.timestamp_seconds, c.is_edited, ${shown("c", "a")} AS shown,
           (SELECT count(*) FROM track_comments r JOIN users ra ON ra.id = r.user_id
             WHERE r.parent_comment_id = c.id AND ${shown("r", "ra")})::int AS reply_count,
           ${iso("c.created_at")} AS created_at, ${iso("c.updated_at")} AS updated_at, ${preciseIso("c.created_at")} AS cursor_at
      FROM ${from} c
      JOIN users a ON a.id = c.user_id
      LEFT JOIN user_profiles ap ON ap.user_id = a.id`;
}

/** A shown comment as it is, anything else as a placeholder that says nothing of what it was. */
export function toComment(row: CommentRow): Comment {
  const base = {
    id: row.id,
    track_id: row.track_id,
    parent_comment_id: row.parent_comment_id,
    reply_count: Number(row.reply_count),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
  if (!row.shown) return { ...base, author: null, content: null, timestamp_seconds: null, is_edited: false, deleted: true };
  return {
    ...base,
    author: { id: row.user_id, username: row.username, display_name: row.display_name, avatar_url: row.avatar_url },
    content: row.content,
    timestamp_seconds: row.timestamp_seconds === null ? null : Number(row.timestamp_seconds),
    is_edited: row.is_edited,
    deleted: false,
  };
}
