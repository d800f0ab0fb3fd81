import { sql, type SQL } from "drizzle-orm";

/** A user in a block check: a column or expression (SQL), or a user id (bound as a parameter). */
export type UserRef = SQL | string;

const ref = (user: UserRef): SQL => (typeof user === "string" ? sql`${user}::uuid` : user);

/**
 * `EXISTS` a block between `a` and `b`, whoever blocked whom: the one condition every feature that
 * lets two people reach each other (direct messages, follows, mentions, ...) refuses on. Two probes
 * of uq_blocks_blocker_blocked; put it in the statement that does the work, so the check and the
 * write see the same snapshot and cost no extra round trip.
 */
export const eitherBlocked = (a: UserRef, b: UserRef): SQL =>
  sql`EXISTS (SELECT 1 FROM blocks blk
               WHERE (blk.blocker_id = ${ref(a)} AND blk.blocked_id = ${ref(b)})
                  OR (blk.blocker_id = ${ref(b)} AND blk.blocked_id = ${ref(a)}))`;

/**
 * Whether a block stands between the viewer and `owner` (either way), so the viewer must not see
 * what `owner` made: their profile, tracks, playlists, posts and comments. Always false for an
 * anonymous viewer. Put `AND NOT ${"$"}{blockHides(...)}` beside the other visibility rules.
 */
export const blockHides = (viewerId: string | null, owner: SQL): SQL => (viewerId ? eitherBlocked(viewerId, owner) : sql`false`);

/** `EXISTS` a block of `blocked` by `blocker` (one direction only). */
export const hasBlocked = (blocker: UserRef, blocked: UserRef): SQL =>
  sql`EXISTS (SELECT 1 FROM blocks blk WHERE blk.blocker_id = ${ref(blocker)} AND blk.blocked_id = ${ref(blocked)})`;
