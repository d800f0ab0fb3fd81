import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, notFound } from "../../lib/errors";
import { eitherBlocked } from "../blocks/either-blocked";
import { iso } from "../tracks/track-view";
import { between, partnerByName, withYourself } from "./message-view";
import type { ReadReceipt } from "./schemas";

type ReadRow = {
  other_id: string | null;
  self: boolean | null;
  bound_ok: boolean | null;
  blocked: boolean | null;
  marked: number | string | null;
  up_to_id: string | null;
  read_at: string;
  unread_before: number | string | null;
  marked_visible: number | string | null;
};

export interface MarkedRead {
  receipt: ReadReceipt;
  /** The other user, whose messages were read (the one to tell). */
  senderId: string;
  /** A block either way: the reader's activity is then not reported to the other side. */
  blocked: boolean;
}

/**
 * POST /v1/me/conversations/:username/read: marks their messages to me read (is_read, read_at),
 * all of them or those up to `up_to_id` (a message of this conversation, either side's, in
 * (created_at, id) order); one statement over idx_direct_messages_unread. Idempotent: messages
 * already read keep their read_at. The statement's snapshot predates its own update, so the unread
 * count left is computed as "unread before" minus what this marked.
 */
export async function markRead(db: Database, me: string, username: string, upToId: string | undefined): Promise<MarkedRead> {
  const bound = upToId ?? null;
  const { rows } = await db.execute<ReadRow>(sql`
    WITH other AS (${partnerByName(username)}
    ), bound AS (
      SELECT d.created_at, d.id FROM direct_messages d, other o WHERE d.id = ${bound}::uuid AND ${between("d", me, sql`o.id`)}
    ), marked AS (
      UPDATE direct_messages d SET is_read = true, read_at = now()
        FROM other o
       WHERE d.recipient_id = ${me}::uuid AND d.sender_id = o.id AND NOT d.is_read
         AND (${bound}::uuid IS NULL OR (d.created_at, d.id) <= (SELECT created_at, id FROM bound))
      RETURNING d.id, d.created_at, d.is_deleted_by_recipient
    )
    SELECT o.id AS other_id, o.id = ${me}::uuid AS self,
           (${bound}::uuid IS NULL OR EXISTS (SELECT 1 FROM bound)) AS bound_ok,
           ${eitherBlocked(me, sql`o.id`)} AS blocked,
           (SELECT count(*) FROM marked) AS marked,
           (SELECT id FROM marked ORDER BY created_at DESC, id DESC LIMIT 1) AS up_to_id,
           ${iso("now()")} AS read_at,
           (SELECT count(*) FROM direct_messages d
             WHERE d.recipient_id = ${me}::uuid AND d.sender_id = o.id AND NOT d.is_read AND NOT d.is_deleted_by_recipient) AS unread_before,
           (SELECT count(*) FROM marked WHERE NOT is_deleted_by_recipient) AS marked_visible
      FROM (SELECT 1) AS one LEFT JOIN other o ON true`);
  const row = rows[0]!;
  if (!row.other_id) throw notFound("This user");
  if (row.self) throw withYourself();
  if (!row.bound_ok) {
    throw new ApiError("validation_failed", "up_to_id must be a message of this conversation.", { errors: [{ path: "json.up_to_id", message: "is not a message of this conversation" }] });
  }
  return {
    receipt: {
      marked: Number(row.marked),
      up_to_id: row.up_to_id,
      read_at: row.read_at,
      unread_count: Math.max(0, Number(row.unread_before) - Number(row.marked_visible)),
    },
    senderId: row.other_id,
    blocked: Boolean(row.blocked),
  };
}
