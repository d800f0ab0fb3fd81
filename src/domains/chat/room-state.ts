import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { parseJson } from "../../lib/json-value";
import type { ChatAttachment, MessageType } from "../../../durable-objects/chat-room/protocol";
import type { StoredMessage } from "../../../durable-objects/chat-room/storage";

/**
 * What the ChatRoom object reads from Postgres: where its seq continues from, a message it no
 * longer keeps (to edit, react to or reply to it), and the file a message attaches.
 */

/** The highest seq Postgres holds for the room (0 for a new room). */
export async function latestSeq(db: Database, roomId: string): Promise<number> {
  const { rows } = await db.execute<{ seq: string | null }>(sql`SELECT max(seq)::text AS seq FROM messages WHERE room_id = ${roomId}`);
  return Number(rows[0]?.seq ?? 0);
}

type Restored = Omit<StoredMessage, "flushed_rev" | "rev">;

/** A message of the room as Postgres has it, with its reactions, in the object's stored shape. */
export async function loadMessage(db: Database, roomId: string, messageId: string): Promise<{ message: Restored; reactions: Array<{ user_id: string; emoji: string; created_at: number }> } | null> {
  const { rows } = await db.execute<Record<string, unknown>>(sql`
    SELECT m.id, m.seq::text AS seq, m.sender_id, u.username AS sender_username, rm.custom_nickname AS sender_nickname, m.content,
           m.message_type, m.reply_to_id, m.reply_to_created_at, m.thread_root_id, m.thread_root_created_at, m.thread_count,
           m.edited_at, m.edit_count, m.deleted_at, m.moderated_by, m.is_pinned, m.created_at,
           CASE WHEN f.id IS NOT NULL THEN json_build_object('file_id', f.id, 'filename', f.original_filename, 'mime_type', f.mime_type, 'size', f.file_size) END AS attachment,
           COALESCE((SELECT json_agg(json_build_object('user_id', r.user_id, 'emoji', r.emoji, 'created_at', r.created_at)) FROM message_reactions r WHERE r.message_id = m.id), '[]') AS reactions
      FROM messages m JOIN users u ON u.id = m.sender_id
      LEFT JOIN room_members rm ON rm.room_id = m.room_id AND rm.user_id = m.sender_id
      LEFT JOIN files f ON f.id = m.attachment_file_id
     WHERE m.room_id = ${roomId} AND m.id = ${messageId} AND m.seq IS NOT NULL`);
  const r = rows[0];
  if (!r) return null;
  const time = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).getTime());
  const reactions = parseJson<Array<{ user_id: string; emoji: string; created_at: string }>>(r.reactions) ?? [];
  const attachment = typeof r.attachment === "string" ? r.attachment : r.attachment ? JSON.stringify(r.attachment) : null;
  return {
    message: {
      id: r.id as string,
      seq: Number(r.seq),
      sender_id: r.sender_id as string,
      sender_username: r.sender_username as string,
      sender_nickname: (r.sender_nickname as string | null) ?? null,
      nonce: null,
      content: r.content as string,
      message_type: r.message_type as MessageType,
      attachment,
      reply_to_id: (r.reply_to_id as string | null) ?? null,
      reply_to_created_at: time(r.reply_to_created_at),
      thread_root_id: (r.thread_root_id as string | null) ?? null,
      thread_root_created_at: time(r.thread_root_created_at),
      thread_count: Number(r.thread_count),
      edited_at: time(r.edited_at),
      edit_count: Number(r.edit_count),
      deleted_at: time(r.deleted_at),
      deleted_by: (r.moderated_by as string | null) ?? (r.deleted_at ? (r.sender_id as string) : null),
      is_pinned: r.is_pinned === true || r.is_pinned === "t" ? 1 : 0,
      created_at: time(r.created_at)!,
    },
    reactions: reactions.map((x) => ({ user_id: x.user_id, emoji: x.emoji, created_at: new Date(x.created_at).getTime() })),
  };
}

/** A file `userId` may attach: their own, completely uploaded, not deleted. */
export async function findAttachableFile(db: Database, userId: string, fileId: string): Promise<ChatAttachment | null> {
  const { rows } = await db.execute<{ id: string; original_filename: string; mime_type: string; file_size: string }>(sql`
    SELECT id, original_filename, mime_type, file_size::text FROM files
     WHERE id = ${fileId} AND user_id = ${userId} AND deleted_at IS NULL`);
  const f = rows[0];
  return f ? { file_id: f.id, filename: f.original_filename, mime_type: f.mime_type, size: Number(f.file_size) } : null;
}

/** messages.message_type from a file's type. */
export function messageTypeOf(mimeType: string): MessageType {
  const kind = mimeType.split("/")[0];
  return kind === "image" || kind === "audio" || kind === "video" ? kind : "file";
}
