import { sql, type SQL } from "drizzle-orm";
import { eitherBlocked } from "../blocks";

/**
 * The notifications (alias `n`) `userId` sees: theirs, not deleted, and not caused by someone on
 * either side of a block with them. The list, the unread count and the count answered after a
 * read all use it, so the badge never counts what the list hides. A NULL actor (system notice,
 * account erased) matches no block row, so those always show.
 */
export const shownTo = (userId: string): SQL =>
  sql`n.user_id = ${userId}::uuid AND n.deleted_at IS NULL AND NOT ${eitherBlocked(sql`n.actor_id`, userId)}`;
