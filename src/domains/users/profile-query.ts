import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { notFound } from "../../lib/errors";
import type { PublicProfile } from "./schemas";
import { COUNTS_JSON, DISPLAYED_BADGES_JSON, VERIFIED_ROLES_JSON, iso, profileFoundBy } from "./sql-fragments";

/**
 * The spec's "profile with statistics" query (database-overview.md), reshaped for one round trip:
 *  - followers / following / tracks / playlists are the §5.1 counters on user_profiles, kept by
 *    triggers, instead of COUNT(DISTINCT ...) over a four-way join (which multiplied rows: the
 *    spec's SUM(play_count) was inflated by followers x following x playlists);
 *  - total plays and likes are summed live over the user's public, non-deleted tracks (the spec's
 *    `is_public` filter), on idx_tracks_creator_id. user_statistics would answer the same from a
 *    daily snapshot, a day stale, and it also sums private tracks, which a public page must not
 *    reveal; a creator's track list is small enough to sum on each (edge-cacheable) read.
 * Email only with show_email, location only with show_location; identity columns that are account
 * data (first/last name, birthdate, gender, last login) are never public.
 */
const PUBLIC_PROFILE_JSON = `jsonb_build_object(
  'id', u.id,
  'username', u.username,
  'display_name', u.display_name,
  'bio', p.bio,
  'tagline', p.tagline,
  'website_url', p.website_url,
  'avatar_url', p.avatar_url,
  'banner_url', p.banner_url,
  'profile_visibility', p.profile_visibility,
  'verified_roles', ${VERIFIED_ROLES_JSON},
  'counts', ${COUNTS_JSON},
  'stats', (
    SELECT json_build_object(
      'total_plays', COALESCE(sum(t.play_count), 0),
      'total_likes', COALESCE(sum(t.like_count), 0),
      'public_tracks', count(*),
      'last_track_published_at', ${iso("max(COALESCE(t.published_at, t.created_at))")})
      FROM tracks t
     WHERE t.creator_id = u.id AND t.deleted_at IS NULL AND t.visibility = 'public'),
  'badges', ${DISPLAYED_BADGES_JSON},
  'created_at', ${iso("u.created_at")}
)
|| CASE WHEN p.show_email THEN jsonb_build_object('email', u.email) ELSE '{}'::jsonb END
|| CASE WHEN p.show_location THEN jsonb_build_object('location', p.location) ELSE '{}'::jsonb END`;

/**
 * GET /v1/users/:username, one round trip. Soft-deleted and banned accounts are not found; a
 * private profile is found only by its owner (anyone else gets the same 404 as for a name nobody
 * has, so its existence is not revealed); unlisted profiles are found by whoever has the name. A
 * block either way hides the profile from both sides (the blocker finds them in GET /v1/me/blocks).
 */
export async function findPublicProfile(db: Database, username: string, viewerId: string | null): Promise<PublicProfile> {
  const { rows } = await db.execute<{ profile: PublicProfile }>(sql`
    SELECT ${sql.raw(PUBLIC_PROFILE_JSON)} AS profile
      FROM users u
      JOIN user_profiles p ON p.user_id = u.id
     WHERE ${profileFoundBy(username, viewerId)}`);
  const profile = rows[0]?.profile;
  if (!profile) throw notFound("This profile");
  return profile;
}
