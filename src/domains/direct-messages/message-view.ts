import { sql, type SQL } from "drizzle-orm";
import { ApiError } from "../../lib/errors";
import { decodeCursor } from "../../lib/cursor";

/**
 * SQL pieces shared by the direct-message statements. Each read builds its JSON answer in the
 * database, so one round trip yields the response as is. Aliases are constants of this module,
 * never input.
 */

const isoOf = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Where a message's attachment is downloaded: the participants' route, never the file's own URL. */
export const ATTACHMENT_PATH = "/v1/me/direct-messages/";

/**
 * The DirectMessage JSON of message `d` with its attachment's file `f` (joined on
 * attachment_file_id, live files only: a deleted file leaves the message without an attachment).
 */
export const messageJson = (d: string, f: string): SQL =>
  sql.raw(`json_build_object(
    'id', ${d}.id, 'sender_id', ${d}.sender_id, 'recipient_id', ${d}.recipient_id, 'content', ${d}.content,
    'message_type', ${d}.message_type,
    'attachment', CASE WHEN ${f}.id IS NULL THEN NULL ELSE json_build_object(
      'filename', ${f}.original_filename, 'mime_type', ${f}.mime_type, 'size', ${f}.file_size,
      'url', '${ATTACHMENT_PATH}' || ${d}.id || '/attachment') END,
    'is_read', ${d}.is_read, 'read_at', ${isoOf(`${d}.read_at`)}, 'created_at', ${isoOf(`${d}.created_at`)})`);

/** The ConversationUser JSON of user `u` with profile `p`. */
export const userJson = (u: string, p: string): SQL =>
  sql.raw(`json_build_object('id', ${u}.id, 'username', ${u}.username, 'display_name', ${u}.display_name, 'avatar_url', ${p}.avatar_url)`);

/** Messages of `d` that `me` has not deleted for themself. */
export const visibleTo = (d: string, me: string): SQL =>
  sql`((${sql.raw(d)}.sender_id = ${me}::uuid AND NOT ${sql.raw(d)}.is_deleted_by_sender) OR (${sql.raw(d)}.recipient_id = ${me}::uuid AND NOT ${sql.raw(d)}.is_deleted_by_recipient))`;

/**
 * Messages of `d` between `me` and `other` (a column or expression), in the shape of
 * idx_direct_messages_conversation_keyset (LEAST, GREATEST, created_at DESC, id DESC), so the
 * planner walks it in the keyset's order.
 */
export const between = (d: string, me: string, other: SQL): SQL =>
  sql`LEAST(${sql.raw(d)}.sender_id, ${sql.raw(d)}.recipient_id) = LEAST(${me}::uuid, ${other})
      AND GREATEST(${sql.raw(d)}.sender_id, ${sql.raw(d)}.recipient_id) = GREATEST(${me}::uuid, ${other})`;

/** A live (not deleted, not banned) user by username, with their profile: who a conversation is with. */
export const partnerByName = (username: string): SQL =>
  sql`SELECT u.id, u.username, u.display_name, p.avatar_url
        FROM users u LEFT JOIN user_profiles p ON p.user_id = u.id
       WHERE lower(u.username) = lower(${username}) AND u.deleted_at IS NULL AND NOT u.is_banned`;

/** The message type of an attachment of `mime`: its top-level type, `file` for anything else. */
export const messageTypeOf = (mime: string): SQL =>
  sql.raw(`(CASE WHEN ${mime} IS NULL THEN 'text'
                 WHEN ${mime} LIKE 'image/%' THEN 'image'
                 WHEN ${mime} LIKE 'audio/%' THEN 'audio'
                 WHEN ${mime} LIKE 'video/%' THEN 'video'
                 ELSE 'file' END)::message_type`);

/** A cursor of this API in `query.<field>`; 422 naming that field otherwise. */
export function cursorIn(field: string, value: string | undefined): [string, string] | null {
  if (value === undefined) return null;
  try {
    return decodeCursor(value);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    throw new ApiError("validation_failed", err.message, { errors: [{ path: `query.${field}`, message: "is not a cursor this API gave" }] });
  }
}

/** 422 for a conversation with yourself. */
export const withYourself = () =>
  new ApiError("validation_failed", "You cannot have a conversation with yourself.", { errors: [{ path: "param.username", message: "is you" }] });
