import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { iso, preciseIso } from "../tracks/track-view";
import type { Block } from "./schemas";

type BlockRow = {
  id: string;
  cursor_at: string;
  created_at: string;
  reason: string | null;
  user_id: string;
  username: string;
  display_name: string | null;
  avatar_url: string | null;
};

/**
 * GET /v1/me/blocks: the users I blocked, most recent first, keyset on (created_at, id); one
 * round trip over idx_blocks_blocker_id (a user's blocks are few: the sort is in memory). Deleted
 * accounts are left out (their rows go with the account); banned ones stay, so they can be unblocked.
 */
export async function listBlocks(db: Database, blockerId: string, query: { limit: number; cursor?: string }): Promise<{ items: Block[]; next_cursor: string | null }> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const { rows } = await db.execute<BlockRow>(sql`
    SELECT b.id, ${preciseIso("b.created_at")} AS cursor_at, ${iso("b.created_at")} AS created_at, b.reason,
           u.id AS user_id, u.username, u.display_name, p.avatar_url
      FROM blocks b
      JOIN users u ON u.id = b.blocked_id AND u.deleted_at IS NULL
      LEFT JOIN user_profiles p ON p.user_id = u.id
     WHERE b.blocker_id = ${blockerId}::uuid
       ${after ? sql`AND (b.created_at, b.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
     ORDER BY b.created_at DESC, b.id DESC
     LIMIT ${query.limit + 1}`);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      user: { id: r.user_id, username: r.username, display_name: r.display_name, avatar_url: r.avatar_url },
      reason: r.reason,
      created_at: r.created_at,
    })),
    next_cursor: rows.length > query.limit && last ? encodeCursor(last.cursor_at, last.id) : null,
  };
}
