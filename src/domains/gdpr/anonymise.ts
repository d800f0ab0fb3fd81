import { sql } from "drizzle-orm";
import type { JobContext } from "../../jobs/schedule";
import { auditInsertFrom } from "../../lib/audit";
import { deleteExports } from "./export-storage";

/** §19.3: accounts are anonymised this long after their soft delete. */
export const ANONYMISE_AFTER_DAYS = 30;
/** Accounts per statement (one transaction each) and per run: the job stays bounded and short. */
export const ANONYMISE_BATCH = 100;
export const ANONYMISE_MAX_PER_RUN = 500;

/**
 * What an anonymised account shows instead of a name. The spec's '[Compte supprimé]' is French; the
 * API speaks English everywhere else, and clients that localise can recognise the account by it.
 */
export const DELETED_ACCOUNT_LABEL = "[Deleted account]";

/** Rows removed because they only describe the person (§19.3 step 3 and the same kind). */
const ERASED = {
  profiles: "user_profiles",
  settings: "user_settings",
  twoFactor: "two_factor_configs",
  federatedIdentities: "federated_identities",
  refreshTokens: "refresh_tokens",
  passwordResetTokens: "password_reset_tokens",
  emailVerificationTokens: "email_verification_tokens",
  passwordHistory: "password_history",
  searchQueries: "search_queries",
  presence: "user_presence",
  typingIndicators: "typing_indicators",
  badges: "user_badges",
  roles: "user_roles",
  notifications: "notifications",
  playQueues: "queues",
  cloudAccounts: "cloud_accounts",
  // A private inventory (serial numbers, prices, notes); its warranties and maintenance go with it (CASCADE).
  equipment: "equipment",
  // What a buyer meant to buy and liked says who they are; their orders (a legal record) stay.
  carts: "carts",
  productFavorites: "product_favorites",
} as const;

type Counts = Record<string, number>;

/**
 * One batch, one statement (atomic): picks up to `limit` accounts deleted before `cutoff` and not
 * yet anonymised (their email is not yet the anonymous one — the spec's marker, made exact),
 * rewrites their users row (§19.3 step 2), deletes their personal rows, detaches their listening
 * history, scrubs the billing identity of their orders and audits each account.
 *
 * - username 'deleted_' + 22 hex digits of the id (30 characters, the CHECK's maximum): the spec's
 *   8 digits (32 bits) would collide among a few tens of thousands of erased accounts.
 * - orders and transactions are kept (7-year legal retention, §18.1) with their user_id, which now
 *   points at an anonymous row; billing_email becomes the anonymous address (NOT NULL), the name
 *   goes, the address keeps only its country (the tax evidence of where the sale happened).
 * - login_attempts are keyed by what was typed: those with the old email/username up to the
 *   deletion go too (they hold the person's IP addresses).
 */
function anonymiseBatch(cutoff: Date, limit: number) {
  const erased = Object.entries(ERASED).map(
    ([name, table]) => sql`, ${sql.raw(`erased_${name}`)} AS (DELETE FROM ${sql.raw(table)} WHERE user_id IN (SELECT id FROM anonymised) RETURNING 1)`,
  );
  const counts = Object.keys(ERASED).map((name) => sql`, (SELECT count(*) FROM ${sql.raw(`erased_${name}`)})::int AS ${sql.raw(`"${name}"`)}`);
  return sql`
    WITH candidates AS (
      SELECT id, email, username, deleted_at, export_requested_at IS NOT NULL AS had_export
        FROM users
       WHERE deleted_at < LEAST(${cutoff.toISOString()}::timestamptz, now() - make_interval(days => ${ANONYMISE_AFTER_DAYS}))
         AND email <> 'deleted_' || id::text || '@anonymized.local'
       ORDER BY deleted_at, id
       LIMIT ${limit}
         FOR UPDATE SKIP LOCKED
    ), anonymised AS (
      UPDATE users u SET
        email = 'deleted_' || u.id::text || '@anonymized.local',
        username = 'deleted_' || left(replace(u.id::text, '-', ''), 22),
        password_hash = NULL,
        first_name = NULL,
        last_name = NULL,
        display_name = ${DELETED_ACCOUNT_LABEL},
        last_login_ip = NULL,
        data_processing_consent = false,
        marketing_consent = false,
        is_active = false
        FROM candidates c
       WHERE u.id = c.id
      RETURNING u.id, c.had_export
    )
    ${sql.join(erased, sql``)}
    , erased_login_attempts AS (
      DELETE FROM login_attempts la USING candidates c
       WHERE la.identifier IN (c.email, lower(c.email), c.username, lower(c.username)) AND la.attempted_at <= c.deleted_at
      RETURNING 1
    ), detached_playback AS (
      UPDATE playback_history SET user_id = NULL, device_type = NULL, source = NULL, source_id = NULL
       WHERE user_id IN (SELECT id FROM anonymised)
      RETURNING 1
    ), scrubbed_orders AS (
      UPDATE orders o SET
        billing_email = 'deleted_' || o.user_id::text || '@anonymized.local',
        billing_name = NULL,
        billing_address = CASE WHEN jsonb_typeof(o.billing_address) = 'object' AND o.billing_address ? 'country'
                               THEN jsonb_build_object('country', o.billing_address->'country') END
       WHERE o.user_id IN (SELECT id FROM anonymised)
      RETURNING 1
    ), audit AS (
      ${auditInsertFrom(
        { action: "account.anonymise", userId: sql`anonymised.id`, actorId: null, metadata: { job: "anonymise-deleted-accounts" } },
        sql`anonymised`,
      )}
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM anonymised)::int AS "anonymised"
      ${sql.join(counts, sql``)}
      , (SELECT count(*) FROM erased_login_attempts)::int AS "loginAttempts"
      , (SELECT count(*) FROM detached_playback)::int AS "playbackHistory"
      , (SELECT count(*) FROM scrubbed_orders)::int AS "ordersScrubbed"
      , (SELECT count(*) FROM audit)::int AS "audited"
      , (SELECT COALESCE(json_agg(id), '[]'::json) FROM anonymised WHERE had_export) AS "withExports"`;
}

/**
 * Daily cron (§19.3 steps 2–3): anonymises accounts soft-deleted more than 30 days before the
 * job's clock — and before the database's, so a run with a clock ahead of it (a retried or manual
 * run, a skewed isolate) never erases an account early — in batches, at most ANONYMISE_MAX_PER_RUN per run; the next run takes the rest.
 * Idempotent: an anonymised account is never a candidate again, so a second run changes nothing.
 * Also removes the erased accounts' export archives from R2. Returns the counts it logs.
 */
export async function anonymiseDeletedAccounts(ctx: JobContext): Promise<Record<string, number>> {
  const cutoff = new Date(ctx.now.getTime() - ANONYMISE_AFTER_DAYS * 86_400_000);
  const totals: Counts = { anonymised: 0, exportObjects: 0 };
  while (totals.anonymised! < ANONYMISE_MAX_PER_RUN) {
    const limit = Math.min(ANONYMISE_BATCH, ANONYMISE_MAX_PER_RUN - totals.anonymised!);
    const row = (await ctx.db.execute<Record<string, unknown>>(anonymiseBatch(cutoff, limit))).rows[0]!;
    const { withExports, audited: _audited, ...counts } = row;
    for (const [name, n] of Object.entries(counts)) totals[name] = (totals[name] ?? 0) + Number(n);
    for (const userId of withExports as string[]) totals.exportObjects! += await deleteExports(ctx.env.MEDIA, userId);
    if (Number(row.anonymised) < limit) break;
  }
  return totals;
}
