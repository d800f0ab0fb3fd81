import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { notFound } from "../../lib/errors";

/**
 * DELETE /v1/me/direct-messages/:id: deletes the message for me only, by setting my side's flag
 * (is_deleted_by_sender or _by_recipient); the other side keeps seeing it. When both sides have
 * deleted it, trg_direct_messages_deleted_at stamps deleted_at for the retention purge. One
 * statement; idempotent. A message I am not part of is 404, like one that does not exist.
 */
export async function deleteMessageForMe(db: Database, me: string, messageId: string): Promise<void> {
  const { rows } = await db.execute<{ id: string }>(sql`
    UPDATE direct_messages
       SET is_deleted_by_sender = is_deleted_by_sender OR sender_id = ${me}::uuid,
           is_deleted_by_recipient = is_deleted_by_recipient OR recipient_id = ${me}::uuid
     WHERE id = ${messageId}::uuid AND (sender_id = ${me}::uuid OR recipient_id = ${me}::uuid)
    RETURNING id`);
  if (!rows.length) throw notFound("This message");
}
