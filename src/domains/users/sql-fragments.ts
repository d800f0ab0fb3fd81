import { sql, type SQL } from "drizzle-orm";
import { blockHides } from "../blocks/either-blocked";
import { SETTINGS_COLUMNS } from "./schemas";

/**
 * SQL pieces shared by the account and profile reads. Each read endpoint is one statement that
 * builds its whole JSON answer in the database (json_build_object / json_agg), so the Worker makes
 * one round trip and the response needs no reshaping. Every fragment here is a constant: values
 * always travel as parameters.
 */

/** timestamptz -> "2026-03-01T12:00:00.000Z", the same text as Date#toISOString, whatever the session's TimeZone. */
export const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The verified roles of user `u`, in a stable order. */
export const VERIFIED_ROLES_JSON = `COALESCE((
  SELECT json_agg(json_build_object('role', r.role, 'verified_at', ${iso("r.verified_at")}) ORDER BY r.role)
    FROM user_roles r
   WHERE r.user_id = u.id AND r.verified
), '[]'::json)`;

const BADGE_FIELDS = `'id', b.id, 'slug', b.slug, 'name', b.name, 'description', b.description,
  'category', b.category, 'icon_url', b.icon_url, 'color', b.color`;

/** The user's order: display_order first (the index they chose), then when they picked it. */
const BADGE_ORDER = "ORDER BY ub.display_order NULLS LAST, ub.earned_at, b.slug";

/** All of user `u`'s (active) badges, shown or not, in their order: for the owner. */
export const OWN_BADGES_JSON = `COALESCE((
  SELECT json_agg(json_build_object(${BADGE_FIELDS}, 'is_displayed', ub.is_displayed, 'display_order', ub.display_order) ${BADGE_ORDER})
    FROM user_badges ub JOIN badges b ON b.id = ub.badge_id AND b.is_active
   WHERE ub.user_id = u.id
), '[]'::json)`;

/** The badges user `u` chose to display, in their order: for everyone else. */
export const DISPLAYED_BADGES_JSON = `COALESCE((
  SELECT json_agg(json_build_object(${BADGE_FIELDS}) ${BADGE_ORDER})
    FROM user_badges ub JOIN badges b ON b.id = ub.badge_id AND b.is_active
   WHERE ub.user_id = u.id AND ub.is_displayed
), '[]'::json)`;

/** The JSON of a user_settings row aliased `alias`. */
export const settingsJson = (alias: string) =>
  `json_build_object(${SETTINGS_COLUMNS.map((c) => `'${c}', ${alias}.${c}`).join(", ")}, 'updated_at', ${iso(`${alias}.updated_at`)})`;

/** The counters of §5.1, kept by triggers on follows, tracks and playlists (profile alias `p`). */
export const COUNTS_JSON = `json_build_object('followers', p.follower_count, 'following', p.following_count,
  'tracks', p.track_count, 'playlists', p.playlist_count)`;

/**
 * `col1 = $1, col2 = $2` for the keys of a validated patch. The keys come from a strict zod schema
 * (only known column names get this far) and are quoted as identifiers anyway.
 */
export function setClause(values: Record<string, unknown>): SQL {
  return sql.join(
    Object.entries(values).map(([column, value]) => sql`${sql.identifier(column)} = ${value}`),
    sql`, `,
  );
}

/** `patch` restricted to `fields` whose value was given (undefined means "leave as is"). */
export function pick<K extends string>(patch: Partial<Record<K, unknown>>, fields: readonly K[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((f) => patch[f] !== undefined).map((f) => [f, patch[f]]));
}

/**
 * The profile named `username` as `viewerId` may find it (users alias `u`, their user_profiles alias
 * `p`): live and not banned, not someone else's private profile, and no block either way. Everything
 * shown under a profile (its statistics, tracks, playlists) is found by this same rule, so each is
 * 404 exactly when the profile is.
 */
export function profileFoundBy(username: string, viewerId: string | null, u = "u", p = "p"): SQL {
  const user = sql.raw(u);
  return sql`lower(${user}.username) = lower(${username}) AND ${user}.deleted_at IS NULL AND NOT ${user}.is_banned
    AND (${sql.raw(p)}.profile_visibility <> 'private' OR ${user}.id = ${viewerId}::uuid)
    AND NOT ${blockHides(viewerId, sql`${user}.id`)}`;
}
