import { sql } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { actAs, auditInsertFrom, requestIdOf } from "../../lib/audit";
import { forgetAuthState } from "../../lib/auth/state";
import { hashPassword } from "../../lib/auth/passwords";
import { ApiError } from "../../lib/errors";
import { randomToken, sha256Hex } from "../../lib/crypto";
import { clientOf } from "../../lib/request-client";
import { assertPasswordNotReused, PASSWORD_HISTORY_DEPTH } from "../auth/change-password";
import { enqueueMail } from "../mail/enqueue";
import { PASSWORD_RESET_TTL_HOURS, passwordResetMail } from "./mails";

/** A new reset link at most once a minute per account: asking again within it sends nothing more. */
export const PASSWORD_RESET_INTERVAL_SECONDS = 60;

const ttl = sql.raw(`interval '${PASSWORD_RESET_TTL_HOURS} hours'`);
const interval = sql.raw(`interval '${PASSWORD_RESET_INTERVAL_SECONDS} seconds'`);

/**
 * POST /v1/auth/password-reset. Does the same work whether or not the address belongs to an
 * account — a token is made and hashed, one statement runs — and the mail is queued after the
 * response, so neither the answer nor its timing tells anyone which addresses have accounts.
 * Deleted and banned accounts get nothing. One round trip (an advisory lock on the address, then
 * the statement, in one transaction: the once-a-minute rule holds under concurrent requests).
 */
export async function requestPasswordReset(c: Context<AppEnv>, email: string): Promise<void> {
  const db = c.var.db;
  const token = randomToken();
  const hash = await sha256Hex(token);
  const { ip, userAgent } = clientOf(c);
  const [, result] = await db.batch([
    db.execute(sql`SELECT pg_advisory_xact_lock(hashtext('password_reset_tokens'), hashtext(lower(${email})))`),
    db.execute<{ email: string; username: string }>(sql`
      WITH u AS (
        SELECT id, email, username FROM users
        WHERE lower(email) = lower(${email}) AND deleted_at IS NULL AND NOT is_banned
      ), recent AS (
        SELECT 1 FROM password_reset_tokens t JOIN u ON u.id = t.user_id
        WHERE NOT t.used AND t.expires_at > now() AND t.created_at > now() - ${interval}
      ), issued AS (
        INSERT INTO password_reset_tokens (user_id, token_hash, expires_at, ip_address, user_agent)
        SELECT u.id, ${hash}, now() + ${ttl}, ${ip}::inet, ${userAgent} FROM u
        WHERE NOT EXISTS (SELECT 1 FROM recent)
        RETURNING user_id
      )
      SELECT u.email, u.username FROM u JOIN issued ON issued.user_id = u.id`),
  ]);
  const user = result.rows[0];
  if (!user) return;
  c.executionCtx.waitUntil(
    enqueueMail(c.env, passwordResetMail(c.env.APP_URL, user, token)).catch((err: unknown) =>
      c.var.log.error("password reset mail not queued", { error: err instanceof Error ? err.message : String(err) }),
    ),
  );
}

interface ResetTokenRow extends Record<string, unknown> {
  id: string;
  user_id: string;
  used: boolean;
  expired: boolean;
  usable_account: boolean;
  current_hash: string | null;
  recent_hashes: string[];
}

/**
 * POST /v1/auth/password-reset/confirm. Two round trips:
 *  1. the token, its account and the account's recent password hashes (a forged, used or expired
 *     token is refused here, before any bcrypt work);
 *  2. one statement, after the new password passed the history check and was hashed: spends the
 *     token (re-checked under its row lock, so a token works exactly once even when raced), sets the
 *     hash and last_password_change_at, bumps token_version (every access token dies), revokes every
 *     refresh token (every session dies), spends the account's other reset links, keeps the last 5
 *     hashes in password_history, and writes the 'auth.password_reset' audit row. When the email was
 *     unverified, the reset proved control of the mailbox: email_verified_at is set, and the account's
 *     federated identities and 2FA config are deleted — they may be a squatter's, added before the
 *     owner could prove the address was theirs (the pre-hijack of an unverified account).
 * Then the cached auth state is dropped, so the old access tokens are refused at once.
 */
export async function confirmPasswordReset(c: Context<AppEnv>, token: string, newPassword: string): Promise<void> {
  const db = c.var.db;
  const lookup = await db.execute<ResetTokenRow>(sql`
    SELECT t.id, t.user_id, t.used, t.expires_at <= now() AS expired,
           (u.deleted_at IS NULL AND NOT u.is_banned) AS usable_account, u.password_hash AS current_hash,
           COALESCE((SELECT json_agg(h.password_hash) FROM (
              SELECT password_hash FROM password_history WHERE user_id = t.user_id
              ORDER BY created_at DESC LIMIT ${PASSWORD_HISTORY_DEPTH}) h), '[]'::json) AS recent_hashes
    FROM password_reset_tokens t JOIN users u ON u.id = t.user_id
    WHERE t.token_hash = ${await sha256Hex(token)}`);
  const row = lookup.rows[0];
  if (!row || !row.usable_account) throw new ApiError("invalid_token", "This password reset link is not valid.");
  if (row.used) throw new ApiError("invalid_token", "This password reset link has already been used.");
  if (row.expired) throw new ApiError("invalid_token", "This password reset link has expired; ask for a new one.");

  // The same rule as changing a password: not one of the last 5, the current one included (it
  // heads password_history; listed first here too, in case an account predates its history).
  await assertPasswordNotReused(newPassword, [...new Set([...(row.current_hash ? [row.current_hash] : []), ...row.recent_hashes])]);

  const hash = await hashPassword(newPassword);
  const { ip, userAgent } = clientOf(c);
  const [, result] = await db.batch([
    // The actor of the users audit row the trigger writes: the account holder, through the link.
    db.execute(actAs(row.user_id)),
    db.execute<{ changed: number; revoked: number }>(sql`
      WITH prior AS (
        -- Every CTE sees the statement's snapshot: this is the address's state before the reset.
        SELECT id FROM users WHERE id = ${row.user_id} AND email_verified_at IS NULL
      ), spent AS (
        UPDATE password_reset_tokens t SET used = true, used_at = now()
        FROM users u
        WHERE t.id = ${row.id} AND NOT t.used AND t.expires_at > now()
          AND u.id = t.user_id AND u.deleted_at IS NULL AND NOT u.is_banned
        RETURNING t.user_id
      ), changed AS (
        UPDATE users SET password_hash = ${hash}, last_password_change_at = now(), token_version = token_version + 1,
                         email_verified_at = COALESCE(users.email_verified_at, now())
        FROM spent WHERE users.id = spent.user_id
        RETURNING users.id
      ), unclaimed_identities AS (
        -- An unverified account may have been registered by someone else with the owner's address
        -- (pre-hijack): whatever sign-in methods it gained before the owner proved the mailbox go.
        DELETE FROM federated_identities
        WHERE user_id IN (SELECT id FROM changed) AND user_id IN (SELECT id FROM prior)
        RETURNING id
      ), unclaimed_two_factor AS (
        DELETE FROM two_factor_configs
        WHERE user_id IN (SELECT id FROM changed) AND user_id IN (SELECT id FROM prior)
        RETURNING user_id
      ), other_links AS (
        UPDATE password_reset_tokens SET used = true, used_at = now()
        WHERE user_id IN (SELECT id FROM changed) AND id <> ${row.id} AND NOT used
        RETURNING id
      ), remembered AS (
        INSERT INTO password_history (user_id, password_hash) SELECT id, ${hash} FROM changed
        RETURNING id
      ), forgotten AS (
        DELETE FROM password_history
        WHERE user_id IN (SELECT id FROM changed) AND id NOT IN (
          SELECT id FROM password_history WHERE user_id = ${row.user_id}
          ORDER BY created_at DESC, id DESC LIMIT ${PASSWORD_HISTORY_DEPTH - 1})
        RETURNING id
      ), revoked AS (
        UPDATE refresh_tokens SET is_revoked = true, revoked_at = now(), revoked_reason = 'password_reset'
        WHERE user_id IN (SELECT id FROM changed) AND NOT is_revoked
        RETURNING id
      ), audited AS (
        ${auditInsertFrom(
          {
            action: "auth.password_reset",
            userId: sql`id`,
            severity: "warning",
            origin: { ip, userAgent, requestId: requestIdOf(c) },
            metadata: sql`jsonb_build_object('sessions_revoked', (SELECT count(*) FROM revoked), 'reset_token_id', ${row.id}::text,
              'email_verified_by_reset', EXISTS (SELECT 1 FROM prior),
              'identities_removed', (SELECT count(*) FROM unclaimed_identities),
              'two_factor_removed', EXISTS (SELECT 1 FROM unclaimed_two_factor))`,
          },
          sql`changed`,
        )}
        RETURNING id
      )
      SELECT (SELECT count(*)::int FROM changed) AS changed, (SELECT count(*)::int FROM revoked) AS revoked`),
  ]);
  // Lost a race: the same link was used a moment ago (or the account was closed or banned since).
  if (Number(result.rows[0]?.changed ?? 0) !== 1) throw new ApiError("invalid_token", "This password reset link has already been used.");
  await forgetAuthState(row.user_id);
}
