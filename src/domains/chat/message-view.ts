import { sql } from "drizzle-orm";
import type { ChatMessage, MessageType, ReactionSummary } from "../../../durable-objects/chat-room/protocol";
import { mentionedUsernames } from "../../../durable-objects/chat-room/storage";
import { parseJson } from "../../lib/json-value";

/**
 * A message as Postgres stores it, in the protocol's ChatMessage shape (the same a socket
 * receives), built in SQL from `messages m` so a page is one query: sender, attachment and
 * aggregated reactions included. Deleted messages keep their place and lose their content.
 */
export const messageJson = sql`json_build_object(
  'id', m.id, 'room_id', m.room_id, 'seq', m.seq, 'sender_id', m.sender_id, 'username', su.username, 'nickname', srm.custom_nickname,
  'content', CASE WHEN m.is_deleted THEN '' ELSE m.content END, 'message_type', m.message_type,
  'attachment', CASE WHEN f.id IS NOT NULL AND NOT m.is_deleted THEN json_build_object('file_id', f.id, 'filename', f.original_filename, 'mime_type', f.mime_type, 'size', f.file_size) END,
  'reply_to_id', m.reply_to_id, 'thread_root_id', m.thread_root_id, 'thread_count', m.thread_count,
  'is_edited', m.is_edited, 'edited_at', m.edited_at, 'edit_count', m.edit_count, 'is_deleted', m.is_deleted, 'is_pinned', m.is_pinned,
  'created_at', m.created_at,
  'reactions', CASE WHEN m.is_deleted THEN '[]'::json ELSE COALESCE((
     SELECT json_agg(json_build_object('emoji', g.emoji, 'count', g.n, 'user_ids', g.user_ids) ORDER BY g.first_at)
       FROM (SELECT r.emoji, count(*) AS n, json_agg(r.user_id ORDER BY r.created_at, r.user_id) AS user_ids, min(r.created_at) AS first_at
               FROM message_reactions r WHERE r.message_id = m.id AND r.message_created_at = m.created_at GROUP BY r.emoji) g), '[]'::json) END)`;

/** The joins messageJson needs, after `FROM messages m`. */
export const messageJoins = sql`JOIN users su ON su.id = m.sender_id
  LEFT JOIN room_members srm ON srm.room_id = m.room_id AND srm.user_id = m.sender_id
  LEFT JOIN files f ON f.id = m.attachment_file_id`;

interface Row {
  id: string;
  room_id: string;
  seq: number | string;
  sender_id: string;
  username: string;
  nickname: string | null;
  content: string;
  message_type: MessageType;
  attachment: { file_id: string; filename: string; mime_type: string; size: number | string } | null;
  reply_to_id: string | null;
  thread_root_id: string | null;
  thread_count: number;
  is_edited: boolean;
  edited_at: string | null;
  edit_count: number;
  is_deleted: boolean;
  is_pinned: boolean;
  created_at: string;
  reactions: ReactionSummary[];
}

const iso = (value: string) => new Date(value).toISOString();

/** A page of messages as a query aggregated them (json_agg, newest first), or none. */
export const toChatMessages = (value: unknown): ChatMessage[] => parseJson<unknown[]>(value)?.map(toChatMessage) ?? [];

export function toChatMessage(value: unknown): ChatMessage {
  const r = parseJson<Row>(value)!;
  const seq = Number(r.seq);
  return {
    id: r.id,
    room_id: r.room_id,
    seq,
    rev: seq,
    sender: { id: r.sender_id, username: r.username, nickname: r.nickname },
    content: r.content,
    message_type: r.message_type,
    attachment: r.attachment ? { ...r.attachment, size: Number(r.attachment.size) } : null,
    reply_to_id: r.reply_to_id,
    thread_root_id: r.thread_root_id,
    thread_count: r.thread_count,
    mentions: r.is_deleted ? [] : mentionedUsernames(r.content),
    is_edited: r.is_edited,
    edited_at: r.edited_at ? iso(r.edited_at) : null,
    edit_count: r.edit_count,
    is_deleted: r.is_deleted,
    is_pinned: r.is_pinned,
    reactions: r.reactions,
    created_at: iso(r.created_at),
  };
}
