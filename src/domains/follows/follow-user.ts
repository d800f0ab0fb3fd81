import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { eitherBlocked, hasBlocked } from "../blocks/either-blocked";
import { notifiedJson, notifyInsert, toNotifications, type PushedNotification } from "../notifications/notify";
import type { FollowState } from "./schemas";

type FollowRow = {
  id: string | null;
  self: boolean | null;
  i_blocked: boolean | null;
  blocked: boolean | null;
  follower_count: number | null;
  notifications?: unknown;
};

const isYou = () => new ApiError("validation_failed", "You cannot follow yourself.", { errors: [{ path: "param.username", message: "is you" }] });

/**
 * PUT /v1/users/:username/follow, one statement (one round trip, one snapshot): the target must be
 * someone whose profile you may see (banned, deleted and others' private profiles are 404, as on
 * the profile), the follow is inserted unless a block stands either way (checked in the INSERT
 * itself, so a block landing concurrently cannot be raced past), and the same row tells 404, 422
 * and 403 apart. Idempotent (ON CONFLICT DO NOTHING). follower_count is the snapshot's plus the row
 * inserted here; the stored counter is kept by trg_follows_counts, exact under any interleaving.
 * A new follow notifies the followed user (type follow, once per follower: following, unfollowing
 * and following again does not notify twice); the created notification is returned for live delivery.
 */
export async function followUser(
  db: Database,
  followerId: string,
  username: string,
): Promise<{ state: FollowState; notifications: PushedNotification[] }> {
  const { rows } = await db.execute<FollowRow>(sql`
    WITH target AS (
      SELECT u.id, p.follower_count
        FROM users u JOIN user_profiles p ON p.user_id = u.id
       WHERE lower(u.username) = lower(${username}) AND u.deleted_at IS NULL AND NOT u.is_banned
         AND (p.profile_visibility <> 'private' OR u.id = ${followerId}::uuid)
    ), followed AS (
      INSERT INTO follows (follower_id, following_id)
      SELECT ${followerId}::uuid, t.id FROM target t
       WHERE t.id <> ${followerId}::uuid AND NOT ${eitherBlocked(followerId, sql`t.id`)}
      ON CONFLICT (follower_id, following_id) DO NOTHING
      RETURNING following_id
    ), notified AS (${notifyInsert({
      from: sql`followed fd`,
      recipient: sql`fd.following_id`,
      actor: followerId,
      type: "follow",
      entity: { type: "user", id: sql`${followerId}::uuid` },
      once: true,
    })})
    SELECT t.id, t.id = ${followerId}::uuid AS self,
           ${hasBlocked(followerId, sql`t.id`)} AS i_blocked, ${eitherBlocked(followerId, sql`t.id`)} AS blocked,
           t.follower_count + (SELECT count(*) FROM followed)::int AS follower_count,
           ${notifiedJson("notified")} AS notifications
      FROM (SELECT 1) AS one LEFT JOIN target t ON true`);
  const row = rows[0]!;
  if (!row.id) throw notFound("This user");
  if (row.self) throw isYou();
  // Who blocked whom is told only to the blocker: the blocked one learns nothing they could not guess.
  if (row.i_blocked) throw forbidden("You blocked this user; unblock them to follow them.");
  if (row.blocked) throw forbidden("You cannot follow this user.");
  return { state: { following: true, follower_count: Number(row.follower_count) }, notifications: toNotifications(row.notifications) };
}

/**
 * DELETE /v1/users/:username/follow, one statement; idempotent. Anyone you follow can be unfollowed
 * even if since banned or made private (you already know them); otherwise the target must be
 * someone you may see, so the answer reveals no hidden profile. Deleted accounts are 404 (their
 * follows went with them); blocks need no check (a block removes the follows).
 */
export async function unfollowUser(db: Database, followerId: string, username: string): Promise<FollowState> {
  const { rows } = await db.execute<FollowRow>(sql`
    WITH target AS (
      SELECT u.id, p.follower_count
        FROM users u JOIN user_profiles p ON p.user_id = u.id
       WHERE lower(u.username) = lower(${username}) AND u.deleted_at IS NULL
         AND ((NOT u.is_banned AND (p.profile_visibility <> 'private' OR u.id = ${followerId}::uuid))
              OR EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = ${followerId}::uuid AND f.following_id = u.id))
    ), unfollowed AS (
      DELETE FROM follows f USING target t WHERE f.follower_id = ${followerId}::uuid AND f.following_id = t.id RETURNING 1
    )
    SELECT t.id, t.id = ${followerId}::uuid AS self,
           GREATEST(t.follower_count - (SELECT count(*) FROM unfollowed)::int, 0) AS follower_count
      FROM (SELECT 1) AS one LEFT JOIN target t ON true`);
  const row = rows[0]!;
  if (!row.id) throw notFound("This user");
  if (row.self) throw isYou();
  return { following: false, follower_count: Number(row.follower_count) };
}
