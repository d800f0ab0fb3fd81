import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { eitherBlocked } from "../blocks/either-blocked";
import { messageJson, messageTypeOf, partnerByName, userJson, withYourself } from "./message-view";
import type { ConversationUser, DirectMessage, SendMessageInput } from "./schemas";

type SendRow = {
  recipient_id: string | null;
  self: boolean | null;
  blocked: boolean | null;
  attachment_ok: boolean | null;
  message: DirectMessage | null;
  sender: ConversationUser | null;
  recipient: ConversationUser | null;
};

export interface SentMessage {
  message: DirectMessage;
  sender: ConversationUser;
  recipient: ConversationUser;
}

/**
 * POST /v1/me/conversations/:username/messages: the checks and the insert are one statement (one
 * round trip, one snapshot). The INSERT … SELECT carries `NOT eitherBlocked(...)` itself, so a
 * message can never land between blocked users; the same statement also says why nothing was
 * inserted (no such user, yourself, a block, an attachment that is not yours), so refusals are
 * told apart without a second query. Banned and deleted recipients are not found, as their
 * profiles are not. An attachment must be a live file of the sender: a files row exists only once
 * its upload completed (finishUpload writes both together).
 */
export async function sendMessage(db: Database, senderId: string, username: string, input: SendMessageInput): Promise<SentMessage> {
  const fileId = input.attachment_file_id ?? null;
  const { rows } = await db.execute<SendRow>(sql`
    WITH recipient AS (${partnerByName(username)}
    ), attachment AS (
      SELECT f.id, f.original_filename, f.mime_type, f.file_size
        FROM files f
       WHERE f.id = ${fileId}::uuid AND f.user_id = ${senderId}::uuid AND f.deleted_at IS NULL
    ), verdict AS (
      SELECT r.id AS recipient_id, r.id = ${senderId}::uuid AS self, ${eitherBlocked(senderId, sql`r.id`)} AS blocked,
             (${fileId}::uuid IS NULL OR EXISTS (SELECT 1 FROM attachment)) AS attachment_ok
        FROM recipient r
    ), inserted AS (
      INSERT INTO direct_messages (sender_id, recipient_id, content, message_type, attachment_file_id)
      SELECT ${senderId}::uuid, r.id, ${input.content}, ${messageTypeOf("a.mime_type")}, a.id
        FROM recipient r LEFT JOIN attachment a ON true
       WHERE r.id <> ${senderId}::uuid
         AND NOT ${eitherBlocked(senderId, sql`r.id`)}
         AND (${fileId}::uuid IS NULL OR a.id IS NOT NULL)
      RETURNING *
    )
    SELECT v.recipient_id, v.self, v.blocked, v.attachment_ok,
           (SELECT ${messageJson("i", "a")} FROM inserted i LEFT JOIN attachment a ON a.id = i.attachment_file_id) AS message,
           (SELECT ${userJson("u", "p")} FROM users u LEFT JOIN user_profiles p ON p.user_id = u.id WHERE u.id = ${senderId}::uuid) AS sender,
           (SELECT ${userJson("r", "r")} FROM recipient r) AS recipient
      FROM (SELECT 1) AS one LEFT JOIN verdict v ON true`);
  const row = rows[0]!;
  if (!row.recipient_id) throw notFound("This user");
  if (row.self) throw withYourself();
  if (row.blocked) throw forbidden("You cannot send messages to this user: one of you blocked the other.");
  if (!row.attachment_ok) {
    throw new ApiError("validation_failed", "The attachment must be a file of yours whose upload completed.", {
      errors: [{ path: "json.attachment_file_id", message: "is not a completed file of yours" }],
    });
  }
  return { message: row.message!, sender: row.sender!, recipient: row.recipient! };
}
