import { sql, type SQL } from "drizzle-orm";

/**
 * What an Art. 20 export contains, table by table: everything the user owns or that is about them
 * (their own rows), never another person's account data. Single-row parts (account, profile,
 * settings, consents, two-factor state) come from one query; every list below is read page by
 * page (keyset on `t.id`), so no table's size reaches the Worker's memory at once.
 *
 * Each list reads `FROM <from>` with the table aliased `t`, filtered by `where(userId)`, and
 * selects `select` (default: the whole row as JSON). Secrets are removed again when written
 * (see `withoutSecrets`), whatever a row holds.
 */
export interface ListSection {
  name: string;
  from: string;
  where: (userId: string) => SQL;
  select?: string;
}

const by = (column: string) => (userId: string) => sql`${sql.raw(column)} = ${userId}::uuid`;
const either = (a: string, b: string) => (userId: string) => sql`(${sql.raw(a)} = ${userId}::uuid OR ${sql.raw(b)} = ${userId}::uuid)`;

/** The tracks of a playlist, in order, with enough of each track to recognise it. */
const playlistTracks = `to_jsonb(t) || jsonb_build_object('tracks', (
  SELECT COALESCE(jsonb_agg(jsonb_build_object('track_id', pt.track_id, 'position', pt.position, 'added_at', pt.added_at,
                                               'title', tr.title, 'artist', tr.artist) ORDER BY pt.position), '[]'::jsonb)
    FROM playlist_tracks pt JOIN tracks tr ON tr.id = pt.track_id WHERE pt.playlist_id = t.id))`;

const orderItems = `to_jsonb(t) || jsonb_build_object('items', (
  SELECT COALESCE(jsonb_agg(to_jsonb(oi) ORDER BY oi.created_at, oi.id), '[]'::jsonb) FROM order_items oi WHERE oi.order_id = t.id))`;

const cartItems = `to_jsonb(t) || jsonb_build_object('items', (
  SELECT COALESCE(jsonb_agg(to_jsonb(ci) ORDER BY ci.added_at, ci.id), '[]'::jsonb) FROM cart_items ci WHERE ci.cart_id = t.id))`;

const queueItems = `to_jsonb(t) || jsonb_build_object('items', (
  SELECT COALESCE(jsonb_agg(jsonb_build_object('track_id', qi.track_id, 'position', qi.position, 'added_at', qi.added_at) ORDER BY qi.position), '[]'::jsonb)
    FROM queue_items qi WHERE qi.queue_id = t.id))`;

/** A course the user teaches, with what they wrote for it: its lessons in order and its quizzes. */
const courseContent = `to_jsonb(t) || jsonb_build_object(
  'lessons', (SELECT COALESCE(jsonb_agg(to_jsonb(l) ORDER BY l.position), '[]'::jsonb) FROM lessons l WHERE l.course_id = t.id),
  'quizzes', (SELECT COALESCE(jsonb_agg(to_jsonb(q) ORDER BY q.created_at, q.id), '[]'::jsonb) FROM quizzes q WHERE q.course_id = t.id))`;

/** An item of equipment with its warranties and maintenance history (rows that have no user id of their own). */
const equipmentRecords = `to_jsonb(t) || jsonb_build_object(
  'warranties', (SELECT COALESCE(jsonb_agg(to_jsonb(ew) ORDER BY ew.start_date, ew.id), '[]'::jsonb) FROM equipment_warranties ew WHERE ew.equipment_id = t.id),
  'maintenance', (SELECT COALESCE(jsonb_agg(to_jsonb(em) ORDER BY em.performed_on, em.id), '[]'::jsonb) FROM equipment_maintenance em WHERE em.equipment_id = t.id))`;

export const LIST_SECTIONS: ListSection[] = [
  // Account and security
  { name: "roles", from: "user_roles t", where: by("t.user_id"), select: "to_jsonb(t) - 'verified_by'" },
  {
    name: "badges",
    from: "user_badges t JOIN badges b ON b.id = t.badge_id",
    where: by("t.user_id"),
    select: "to_jsonb(t) || jsonb_build_object('badge', jsonb_build_object('name', b.name, 'slug', b.slug, 'category', b.category))",
  },
  { name: "sessions", from: "refresh_tokens t", where: by("t.user_id"), select: "to_jsonb(t) - 'token_hash' - 'replaced_by_id'" },
  {
    // Attempts are keyed by the identifier typed (no user id); only those since this account exists.
    name: "login_history",
    from: "login_attempts t",
    where: (userId) => sql`t.identifier IN (
        SELECT DISTINCT x FROM users u, unnest(ARRAY[u.email, lower(u.email), u.username, lower(u.username)]) AS x WHERE u.id = ${userId}::uuid)
      AND t.attempted_at >= (SELECT created_at FROM users WHERE id = ${userId}::uuid)`,
  },
  { name: "federated_identities", from: "federated_identities t", where: by("t.user_id") },
  {
    name: "consent_history",
    from: "audit_logs t",
    where: (userId) => sql`t.user_id = ${userId}::uuid AND t.action = 'consent.change'`,
    select: "jsonb_build_object('at', t.created_at, 'old', t.old_data, 'new', t.new_data, 'ip_address', t.ip_address, 'user_agent', t.user_agent)",
  },
  // Music
  { name: "files", from: "files t", where: by("t.user_id") },
  { name: "tracks", from: "tracks t", where: by("t.creator_id"), select: "to_jsonb(t) - 'waveform_data'" },
  { name: "playlists", from: "playlists t", where: by("t.user_id"), select: playlistTracks },
  { name: "playlist_collaborations", from: "playlist_collaborators t", where: by("t.user_id") },
  { name: "playlist_follows", from: "playlist_follows t", where: by("t.user_id") },
  { name: "track_likes", from: "track_likes t", where: by("t.user_id") },
  { name: "track_comments", from: "track_comments t", where: by("t.user_id") },
  { name: "listening_history", from: "playback_history t", where: by("t.user_id") },
  { name: "play_queue", from: "queues t", where: by("t.user_id"), select: queueItems },
  // Chat
  { name: "rooms_created", from: "rooms t", where: by("t.creator_id") },
  { name: "room_memberships", from: "room_members t", where: by("t.user_id"), select: "to_jsonb(t) - 'banned_by' - 'invited_by'" },
  { name: "messages", from: "messages t", where: by("t.sender_id"), select: "to_jsonb(t) - 'moderated_by'" },
  { name: "message_reactions", from: "message_reactions t", where: by("t.user_id") },
  { name: "direct_messages", from: "direct_messages t", where: either("t.sender_id", "t.recipient_id") },
  { name: "presence", from: "user_presence t", where: by("t.user_id") },
  // Social
  { name: "follows", from: "follows t", where: either("t.follower_id", "t.following_id") },
  { name: "blocks", from: "blocks t", where: by("t.blocker_id") },
  { name: "groups_created", from: "groups t", where: by("t.creator_id") },
  { name: "group_memberships", from: "group_members t", where: by("t.user_id") },
  { name: "posts", from: "posts t", where: by("t.user_id") },
  { name: "post_likes", from: "post_likes t", where: by("t.user_id") },
  { name: "post_comments", from: "post_comments t", where: by("t.user_id") },
  { name: "notifications", from: "notifications t", where: by("t.user_id") },
  // Marketplace (orders are kept 7 years after deletion, but they are still the user's to export)
  { name: "products", from: "products t", where: by("t.seller_id") },
  { name: "product_reviews", from: "product_reviews t", where: by("t.user_id") },
  { name: "product_favorites", from: "product_favorites t", where: by("t.user_id") },
  { name: "carts", from: "carts t", where: by("t.user_id"), select: cartItems },
  { name: "orders", from: "orders t", where: by("t.user_id"), select: orderItems },
  { name: "transactions", from: "transactions t", where: by("t.user_id") },
  { name: "discount_code_usage", from: "discount_code_usage t", where: by("t.user_id") },
  { name: "seller_accounts", from: "seller_accounts t", where: by("t.user_id") },
  { name: "seller_payouts", from: "seller_payouts t", where: by("t.seller_id") },
  // Education, equipment, cloud, search, analytics
  { name: "courses_created", from: "courses t", where: by("t.educator_id"), select: courseContent },
  { name: "course_enrollments", from: "course_enrollments t", where: by("t.user_id") },
  { name: "lesson_progress", from: "lesson_progress t", where: by("t.user_id") },
  { name: "quiz_attempts", from: "quiz_attempts t", where: by("t.user_id") },
  { name: "certificates", from: "certificates t", where: by("t.user_id") },
  { name: "equipment", from: "equipment t", where: by("t.user_id"), select: equipmentRecords },
  // the sealed app password never leaves the database, whatever withoutSecrets would catch
  { name: "cloud_accounts", from: "cloud_accounts t", where: by("t.user_id"), select: "to_jsonb(t) - 'encrypted_password'" },
  { name: "search_history", from: "search_queries t", where: by("t.user_id") },
  { name: "analytics_events", from: "analytics_events t", where: by("t.user_id") },
  { name: "reports", from: "reports t", where: by("t.owner_id") },
  { name: "dashboards", from: "dashboard_configs t", where: by("t.owner_id") },
  // Moderation: the reports they filed and the sanctions they received, without the moderators' ids
  { name: "moderation_reports_filed", from: "moderation_reports t", where: by("t.reporter_id"), select: "to_jsonb(t) - 'assigned_to' - 'resolved_by'" },
  {
    name: "moderation_actions_received",
    from: "moderation_actions t",
    where: by("t.target_user_id"),
    select: "to_jsonb(t) - 'moderator_id' - 'reversed_by' - 'appeal_resolved_by'",
  },
];

/** The single-row parts, one query: account (no password hash), profile, settings, consents, 2FA state. */
export const headerQuery = (userId: string) => sql`
  SELECT jsonb_build_object(
    'account', to_jsonb(u) - 'password_hash',
    'profile', (SELECT to_jsonb(p) FROM user_profiles p WHERE p.user_id = u.id),
    'settings', (SELECT to_jsonb(s) FROM user_settings s WHERE s.user_id = u.id),
    'consents', jsonb_build_object(
      'data_processing_consent', u.data_processing_consent, 'data_processing_consent_at', u.data_processing_consent_at,
      'marketing_consent', u.marketing_consent, 'marketing_consent_at', u.marketing_consent_at),
    'two_factor', (SELECT jsonb_build_object('totp_enabled', f.totp_enabled, 'totp_enabled_at', f.totp_enabled_at,
                                             'sms_enabled', f.sms_enabled, 'sms_phone', f.sms_phone)
                     FROM two_factor_configs f WHERE f.user_id = u.id)
  ) AS doc
  FROM users u WHERE u.id = ${userId}::uuid`;

/** One page of a list section after `cursor` (an id), in id order. */
export const pageQuery = (section: ListSection, userId: string, cursor: string | null, limit: number) => sql`
  SELECT t.id::text AS cursor, ${sql.raw(section.select ?? "to_jsonb(t)")} AS row
    FROM ${sql.raw(section.from)}
   WHERE ${section.where(userId)} AND (${cursor}::uuid IS NULL OR t.id > ${cursor}::uuid)
   ORDER BY t.id
   LIMIT ${limit}`;

const SECRET_KEY = /(^|_)(password|passwd|secret|secrets|token|tokens|otp|totp|salt|credentials)(_|$)|_(hash|encrypted|ciphertext)$|^(backup_codes|recovery_codes|api_key|private_key)$/;
const NOT_SECRET = new Set(["file_hash", "token_version"]);

/**
 * Drops credential-like string fields from a row (password hashes, token hashes, encrypted
 * provider tokens and passwords): an export must never hand over a credential, and a column added
 * later with such a name is covered without touching the section list. Booleans and timestamps
 * (`totp_enabled`, `*_at`) are facts, not secrets, and stay.
 */
export function withoutSecrets(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (typeof value === "string" && !NOT_SECRET.has(key) && !key.endsWith("_at") && SECRET_KEY.test(key)) continue;
    out[key] = value;
  }
  return out;
}
