import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { badges } from "../../db/schema";
import { ApiError } from "../../lib/errors";
import type { BADGE_CATEGORIES } from "./schemas";
import { OWN_BADGES_JSON } from "./sql-fragments";

type Category = (typeof BADGE_CATEGORIES)[number];

/** GET /v1/badges: the active catalogue, by category then name. One round trip. */
export function listBadges(db: Database, category?: Category) {
  return db
    .select({
      id: badges.id,
      slug: badges.slug,
      name: badges.name,
      description: badges.description,
      category: badges.category,
      icon_url: badges.iconUrl,
      color: badges.color,
    })
    .from(badges)
    .where(and(eq(badges.isActive, true), category ? eq(badges.category, category) : undefined))
    .orderBy(asc(badges.category), asc(badges.name));
}

export interface BadgeChoice {
  badge_id: string;
  is_displayed: boolean;
}

/**
 * PUT /v1/me/badges: the user's badge set becomes exactly `choices`, display_order = position.
 * Two round trips: the badges are checked first (an unknown or retired badge is a 422 naming its
 * position, and nothing changes), then one batch (one transaction) removes the badges no longer
 * chosen, upserts the others (a badge kept keeps its earned_at) and reads the result back.
 */
export async function replaceBadges(db: Database, userId: string, choices: BadgeChoice[]) {
  const ids = choices.map((c) => c.badge_id.toLowerCase());
  if (ids.length) {
    const known = new Set(
      (await db.select({ id: badges.id }).from(badges).where(and(inArray(badges.id, ids), eq(badges.isActive, true)))).map((b) => b.id),
    );
    const errors = ids.flatMap((id, i) => (known.has(id) ? [] : [{ path: `json.badges.${i}.badge_id`, message: "is not an available badge" }]));
    if (errors.length) throw new ApiError("validation_failed", "Some badges do not exist.", { errors });
  }
  const chosen = JSON.stringify(choices.map((c, i) => ({ badge_id: ids[i], is_displayed: c.is_displayed, display_order: i })));
  const [, , read] = await db.batch([
    db.execute(sql`
      DELETE FROM user_badges ub
       WHERE ub.user_id = ${userId}
         AND ub.badge_id NOT IN (SELECT (x->>'badge_id')::uuid FROM jsonb_array_elements(${chosen}::jsonb) x)`),
    db.execute(sql`
      INSERT INTO user_badges (user_id, badge_id, is_displayed, display_order)
      SELECT ${userId}, b.id, (x->>'is_displayed')::boolean, (x->>'display_order')::integer
        FROM jsonb_array_elements(${chosen}::jsonb) x
        JOIN badges b ON b.id = (x->>'badge_id')::uuid AND b.is_active
      ON CONFLICT (user_id, badge_id) DO UPDATE
        SET is_displayed = EXCLUDED.is_displayed, display_order = EXCLUDED.display_order`),
    db.execute<{ badges: unknown[] }>(sql`SELECT ${sql.raw(OWN_BADGES_JSON)} AS badges FROM users u WHERE u.id = ${userId}`),
  ]);
  return (read.rows[0]?.badges ?? []) as unknown[];
}
