import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, notFound } from "../../lib/errors";
import { iso } from "../tracks/track-view";
import type { Block } from "./schemas";

type BlockRow = {
  id: string | null;
  username: string;
  display_name: string | null;
  avatar_url: string | null;
  self: boolean | null;
  reason: string | null;
  created_at: string | null;
};

/**
 * PUT /v1/me/blocks/:username: one statement, so one round trip and one transaction. The block is
 * upserted (idempotent: a second PUT keeps the first's date, and its reason unless a new one is
 * given) and the follows between the two users are deleted in both directions in the same
 * statement, so no follow can survive a block; follower/following counters follow by trigger.
 * Banned and deleted accounts are not found, as on their profile; blocking yourself is 422.
 */
export async function blockUser(db: Database, blockerId: string, username: string, reason: string | undefined): Promise<Block> {
  const { rows } = await db.execute<BlockRow>(sql`
    WITH target AS (
      SELECT u.id, u.username, u.display_name, p.avatar_url
        FROM users u LEFT JOIN user_profiles p ON p.user_id = u.id
       WHERE lower(u.username) = lower(${username}) AND u.deleted_at IS NULL AND NOT u.is_banned
    ), blocked AS (
      INSERT INTO blocks (blocker_id, blocked_id, reason)
      SELECT ${blockerId}::uuid, id, ${reason ?? null} FROM target WHERE id <> ${blockerId}::uuid
      ON CONFLICT (blocker_id, blocked_id) DO UPDATE SET reason = COALESCE(EXCLUDED.reason, blocks.reason)
      RETURNING reason, created_at
    ), unfollowed AS (
      DELETE FROM follows f USING target t
       WHERE t.id <> ${blockerId}::uuid
         AND ((f.follower_id = ${blockerId}::uuid AND f.following_id = t.id) OR (f.follower_id = t.id AND f.following_id = ${blockerId}::uuid))
      RETURNING f.id
    )
    SELECT t.id, t.username, t.display_name, t.avatar_url, t.id = ${blockerId}::uuid AS self,
           b.reason, ${iso("b.created_at")} AS created_at, (SELECT count(*) FROM unfollowed) AS unfollowed
      FROM (SELECT 1) AS one LEFT JOIN target t ON true LEFT JOIN blocked b ON true`);
  const row = rows[0]!;
  if (!row.id) throw notFound("This user");
  if (row.self) throw new ApiError("validation_failed", "You cannot block yourself.", { errors: [{ path: "param.username", message: "is you" }] });
  return {
    user: { id: row.id, username: row.username, display_name: row.display_name, avatar_url: row.avatar_url },
    reason: row.reason,
    created_at: row.created_at!,
  };
}

/**
 * DELETE /v1/me/blocks/:username, one statement; idempotent (no block is not an error). A banned
 * user can still be unblocked (their ban may be lifted); a name nobody live has is 404.
 */
export async function unblockUser(db: Database, blockerId: string, username: string): Promise<void> {
  const { rows } = await db.execute<{ id: string | null }>(sql`
    WITH target AS (
      SELECT id FROM users WHERE lower(username) = lower(${username}) AND deleted_at IS NULL
    ), removed AS (
      DELETE FROM blocks b USING target t WHERE b.blocker_id = ${blockerId}::uuid AND b.blocked_id = t.id RETURNING b.id
    )
    SELECT (SELECT id FROM target) AS id, (SELECT count(*) FROM removed) AS removed`);
  const id = rows[0]?.id;
  if (!id) throw notFound("This user");
  if (id === blockerId) throw new ApiError("validation_failed", "You cannot block or unblock yourself.", { errors: [{ path: "param.username", message: "is you" }] });
}
