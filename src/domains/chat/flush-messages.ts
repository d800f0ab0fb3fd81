import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { parseJson } from "../../lib/json-value";
import type { FlushItem, MemberState } from "../../../durable-objects/chat-room/storage";
import { wantsNotification } from "../notifications";

/** Usernames mentioned in `content`, as Postgres reads them (the object's MENTION_PATTERN). */
const mentionedIds = (roomId: string, content: SQL, senderId: SQL) => sql`ARRAY(
  SELECT u.id FROM users u JOIN room_members rm ON rm.user_id = u.id AND rm.room_id = ${roomId}::uuid AND NOT rm.is_banned
   WHERE lower(u.username) IN (SELECT lower(x[1]) FROM regexp_matches(${content}, '(?:^|[^\\w@])@([A-Za-z0-9_]{3,30})', 'g') AS x)
     AND u.deleted_at IS NULL AND u.id <> ${senderId}
   LIMIT 100)`;

/**
 * Writes a batch of the room's pending changes to Postgres in one `db.batch` (one round trip, one
 * transaction), idempotently: messages are upserted by (id, created_at) with their current state,
 * so a flush repeated after a lost answer writes the same rows; counters kept by triggers only count
 * rows actually inserted. Mention notifications are created only for messages Postgres did not have
 * yet (checked in the same transaction, before the upsert), so a repeated flush notifies no one twice.
 *
 * @username mentions are resolved here, against the room's members: the object does not know every
 * member, and this keeps the send path free of the database.
 */
/** A mention notification the flush created (to be pushed to its recipient's inbox socket). */
export interface MentionNotification {
  id: string;
  user_id: string;
  actor_id: string;
  type: "mention";
  entity_type: "message";
  entity_id: string;
  title: string | null;
  body: string | null;
  data: { room_id: string; seq: number };
  created_at: string;
}

export async function flushRoom(db: Database, roomId: string, items: FlushItem[], members: MemberState[]): Promise<MentionNotification[]> {
  const statements = [];
  if (items.length) {
    const rows = items.map(({ message: m }) => ({
      id: m.id,
      seq: m.seq,
      sender_id: m.sender_id,
      content: m.content,
      message_type: m.message_type,
      attachment_file_id: m.attachment ? (JSON.parse(m.attachment) as { file_id: string }).file_id : null,
      reply_to_id: m.reply_to_id,
      reply_to_created_at: m.reply_to_created_at === null ? null : new Date(m.reply_to_created_at).toISOString(),
      thread_root_id: m.thread_root_id,
      thread_root_created_at: m.thread_root_created_at === null ? null : new Date(m.thread_root_created_at).toISOString(),
      edited_at: m.edited_at === null ? null : new Date(m.edited_at).toISOString(),
      edit_count: m.edit_count,
      deleted_at: m.deleted_at === null ? null : new Date(m.deleted_at).toISOString(),
      moderated_by: m.deleted_by !== null && m.deleted_by !== m.sender_id ? m.deleted_by : null,
      is_pinned: m.is_pinned === 1,
      created_at: new Date(m.created_at).toISOString(),
    }));
    const batch = sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS b(
      id uuid, seq bigint, sender_id uuid, content text, message_type message_type, attachment_file_id uuid,
      reply_to_id uuid, reply_to_created_at timestamptz, thread_root_id uuid, thread_root_created_at timestamptz,
      edited_at timestamptz, edit_count int, deleted_at timestamptz, moderated_by uuid, is_pinned boolean, created_at timestamptz)`;
    statements.push(
      db.execute(sql`
        INSERT INTO notifications (user_id, actor_id, type, entity_type, entity_id, title, body, data)
        SELECT mentioned.id, b.sender_id, 'mention', 'message', b.id, left(r.name, 255), left(b.content, 280),
               jsonb_build_object('room_id', ${roomId}::uuid, 'seq', b.seq)
          FROM ${batch}
          JOIN rooms r ON r.id = ${roomId}::uuid
          CROSS JOIN LATERAL unnest(${mentionedIds(roomId, sql`b.content`, sql`b.sender_id`)}) AS mentioned(id)
          JOIN room_members rm ON rm.room_id = r.id AND rm.user_id = mentioned.id AND rm.notification_level <> 'none'
         WHERE b.deleted_at IS NULL AND ${wantsNotification(sql`mentioned.id`, "mention")}
           AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = b.id AND m.created_at = b.created_at)
        RETURNING id, user_id, actor_id, type, entity_type, entity_id, title, body, data, created_at`),
      db.execute(sql`
        INSERT INTO messages (id, room_id, sender_id, seq, content, message_type, attachment_file_id, reply_to_id, reply_to_created_at,
                              thread_root_id, thread_root_created_at, mentions, is_edited, edited_at, edit_count, is_deleted, deleted_at,
                              moderated_by, is_pinned, created_at)
        SELECT b.id, ${roomId}::uuid, b.sender_id, b.seq, b.content, b.message_type,
               (SELECT f.id FROM files f WHERE f.id = b.attachment_file_id), b.reply_to_id, b.reply_to_created_at,
               b.thread_root_id, b.thread_root_created_at,
               ${mentionedIds(roomId, sql`b.content`, sql`b.sender_id`)},
               b.edited_at IS NOT NULL, b.edited_at, b.edit_count, b.deleted_at IS NOT NULL, b.deleted_at, b.moderated_by, b.is_pinned, b.created_at
          FROM ${batch}
        ON CONFLICT (id, created_at) DO UPDATE
          SET content = EXCLUDED.content, is_edited = EXCLUDED.is_edited, edited_at = EXCLUDED.edited_at,
              edit_count = EXCLUDED.edit_count, is_deleted = EXCLUDED.is_deleted, deleted_at = EXCLUDED.deleted_at,
              moderated_by = CASE WHEN EXCLUDED.deleted_at IS NULL THEN NULL ELSE COALESCE(EXCLUDED.moderated_by, messages.moderated_by) END, is_pinned = EXCLUDED.is_pinned,
              mentions = EXCLUDED.mentions`),
    );
    const reactions = JSON.stringify(
      items.flatMap(({ message, reactions }) =>
        reactions.map((r) => ({ message_id: message.id, message_created_at: new Date(message.created_at).toISOString(), user_id: r.user_id, emoji: r.emoji, created_at: new Date(r.created_at).toISOString() })),
      ),
    );
    const flushedIds = JSON.stringify(items.map(({ message }) => message.id));
    const present = sql`jsonb_to_recordset(${reactions}::jsonb) AS x(message_id uuid, message_created_at timestamptz, user_id uuid, emoji text, created_at timestamptz)`;
    statements.push(
      // The reactions of each flushed message become exactly its present set.
      db.execute(sql`
        DELETE FROM message_reactions r
         WHERE r.message_id IN (SELECT value::uuid FROM jsonb_array_elements_text(${flushedIds}::jsonb))
           AND NOT EXISTS (SELECT 1 FROM ${present} WHERE x.message_id = r.message_id AND x.user_id = r.user_id AND x.emoji = r.emoji)`),
      db.execute(sql`
        INSERT INTO message_reactions (message_id, message_created_at, user_id, emoji, created_at)
        SELECT x.message_id, x.message_created_at, x.user_id, x.emoji, x.created_at FROM ${present}
          JOIN users u ON u.id = x.user_id
        ON CONFLICT (message_id, user_id, emoji) DO NOTHING`),
    );
  }
  const reads = members.filter((m) => m.read_dirty === 1).map((m) => ({ user_id: m.user_id, seq: m.read_seq, at: new Date(m.read_at ?? Date.now()).toISOString() }));
  if (reads.length) {
    statements.push(
      db.execute(sql`
        UPDATE room_members rm
           SET last_read_seq = GREATEST(COALESCE(rm.last_read_seq, 0), x.seq), last_read_at = GREATEST(rm.last_read_at, x.at),
               last_read_message_id = COALESCE((SELECT m.id FROM messages m WHERE m.room_id = rm.room_id AND m.seq = x.seq LIMIT 1), rm.last_read_message_id)
          FROM jsonb_to_recordset(${JSON.stringify(reads)}::jsonb) AS x(user_id uuid, seq bigint, at timestamptz)
         WHERE rm.room_id = ${roomId}::uuid AND rm.user_id = x.user_id`),
    );
  }
  const presence = members.filter((m) => m.presence_dirty === 1 && m.presence).map((m) => ({ user_id: m.user_id, status: m.presence, at: new Date(m.presence_at ?? Date.now()).toISOString() }));
  if (presence.length) {
    statements.push(
      db.execute(sql`
        INSERT INTO user_presence (user_id, status, current_activity, activity_data, last_seen_at)
        SELECT x.user_id, x.status, 'in_room', jsonb_build_object('room_id', ${roomId}::uuid), x.at
          FROM jsonb_to_recordset(${JSON.stringify(presence)}::jsonb) AS x(user_id uuid, status text, at timestamptz)
          JOIN users u ON u.id = x.user_id
        ON CONFLICT (user_id) DO UPDATE
          SET status = EXCLUDED.status, current_activity = EXCLUDED.current_activity, activity_data = EXCLUDED.activity_data,
              last_seen_at = GREATEST(user_presence.last_seen_at, EXCLUDED.last_seen_at)`),
    );
  }
  if (!statements.length) return [];
  const [first] = await db.batch(statements as [typeof statements[number], ...typeof statements]);
  // The mention notifications are the first statement's rows, when messages were flushed.
  if (!items.length) return [];
  return (first as unknown as { rows: Array<MentionNotification & { data: unknown }> }).rows.map((n) => ({
    ...n,
    data: parseJson<MentionNotification["data"]>(n.data)!,
    created_at: new Date(n.created_at).toISOString(),
  }));
}
