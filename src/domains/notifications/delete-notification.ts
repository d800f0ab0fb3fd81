import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { notFound } from "../../lib/errors";

/**
 * DELETE /v1/me/notifications/:id: a soft delete (deleted_at) of one notification of mine; 404
 * when no live notification of mine has that id (someone else's included, so ids reveal nothing).
 * One round trip.
 */
export async function deleteNotification(db: Database, userId: string, id: string): Promise<void> {
  const { rows } = await db.execute<{ id: string }>(sql`
    UPDATE notifications SET deleted_at = now()
     WHERE id = ${id}::uuid AND user_id = ${userId}::uuid AND deleted_at IS NULL
    RETURNING id`);
  if (rows.length === 0) throw notFound("This notification");
}
