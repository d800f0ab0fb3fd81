import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { actAs } from "../../lib/audit";
import { ApiError } from "../../lib/errors";
import { PROFILE_FIELDS, USER_FIELDS, type UpdateMe } from "./inputs";
import type { Me } from "./schemas";
import { COUNTS_JSON, OWN_BADGES_JSON, VERIFIED_ROLES_JSON, iso, pick, setClause, settingsJson } from "./sql-fragments";

/** The whole account of user `u` (with profile `p`, settings `s`) as one JSON value. */
const ME_JSON = `json_build_object(
  'id', u.id,
  'email', u.email,
  'email_verified', u.email_verified_at IS NOT NULL,
  'email_verified_at', ${iso("u.email_verified_at")},
  'username', u.username,
  'display_name', u.display_name,
  'first_name', u.first_name,
  'last_name', u.last_name,
  'role', u.role,
  'verified_roles', ${VERIFIED_ROLES_JSON},
  'consents', json_build_object(
    'data_processing', u.data_processing_consent,
    'data_processing_at', ${iso("u.data_processing_consent_at")},
    'marketing', u.marketing_consent,
    'marketing_at', ${iso("u.marketing_consent_at")}),
  'created_at', ${iso("u.created_at")},
  'profile', json_build_object(
    'bio', p.bio, 'tagline', p.tagline, 'location', p.location, 'website_url', p.website_url,
    'birthdate', to_char(p.birthdate, 'YYYY-MM-DD'), 'gender', p.gender,
    'avatar_url', p.avatar_url, 'banner_url', p.banner_url,
    'language', p.language, 'timezone', p.timezone, 'theme', p.theme,
    'profile_visibility', p.profile_visibility, 'show_email', p.show_email, 'show_location', p.show_location,
    'counts', ${COUNTS_JSON}),
  'settings', ${settingsJson("s")},
  'badges', ${OWN_BADGES_JSON}
)`;

/** One statement: the account, its profile, settings, verified roles and badges. */
const selectMe = (db: Database, userId: string) =>
  db.execute<{ me: Me }>(sql`
    SELECT ${sql.raw(ME_JSON)} AS me
      FROM users u
      JOIN user_profiles p ON p.user_id = u.id
      JOIN user_settings s ON s.user_id = u.id
     WHERE u.id = ${userId} AND u.deleted_at IS NULL`);

function meOf(rows: { me: Me }[]): Me {
  const me = rows[0]?.me;
  // authenticate() let the request through, so the account was live a moment ago: deleted since.
  if (!me) throw new ApiError("invalid_token", "This account no longer exists.");
  return me;
}

/** GET /v1/me: one round trip. */
export async function findMe(db: Database, userId: string): Promise<Me> {
  return meOf((await selectMe(db, userId)).rows);
}

/**
 * PATCH /v1/me: the users and user_profiles updates and the read of the result in one batch (one
 * round trip, one transaction, so the answer is exactly what was committed). The batch starts by
 * naming the actor for the audit trigger on users.
 */
export async function updateMe(db: Database, userId: string, patch: UpdateMe): Promise<Me> {
  const userChanges = pick(patch, USER_FIELDS);
  const profileChanges = pick(patch, PROFILE_FIELDS);
  const writes = [];
  if (Object.keys(userChanges).length) {
    writes.push(db.execute(actAs(userId)));
    writes.push(db.execute(sql`UPDATE users SET ${setClause(userChanges)} WHERE id = ${userId} AND deleted_at IS NULL`));
  }
  if (Object.keys(profileChanges).length) {
    writes.push(db.execute(sql`UPDATE user_profiles SET ${setClause(profileChanges)} WHERE user_id = ${userId}`));
  }
  if (!writes.length) return findMe(db, userId);
  const read = selectMe(db, userId);
  const results = await db.batch([...writes, read] as unknown as [typeof read]);
  return meOf((results.at(-1) as Awaited<typeof read>).rows);
}
