import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { refusal, seenColumns, target, type Seen } from "./playlist-view";

/**
 * DELETE /v1/playlists/:id by its owner: a soft delete, 404 everywhere at once. Its tracks,
 * collaborators and followers stay (a later restore would keep them). One statement.
 */
export async function deletePlaylist(db: Database, playlistId: string, userId: string): Promise<void> {
  const { rows } = await db.execute<Seen & { deleted: boolean }>(sql`
    WITH target AS (${target(playlistId, userId)}),
    deleted AS (
      UPDATE playlists SET deleted_at = now() WHERE id = (SELECT id FROM target) AND (SELECT role FROM target) = 'owner' RETURNING id
    )
    SELECT ${seenColumns}, EXISTS (SELECT 1 FROM deleted) AS deleted`);
  const row = rows[0]!;
  if (row.deleted) return;
  throw refusal(row, ["owner"], "Only the playlist's owner can delete it.")!;
}
