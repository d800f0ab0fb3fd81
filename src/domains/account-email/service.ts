import { sql } from "drizzle-orm";
import type { Context } from "hono";
import type { Database } from "../../db/client";
import type { AppEnv } from "../../env";
import { actAs } from "../../lib/audit";
import { ApiError } from "../../lib/errors";
import { randomToken, sha256Hex } from "../../lib/crypto";
import { enqueueMail } from "../mail/enqueue";
import { EMAIL_VERIFICATION_TTL_HOURS, emailVerificationMail } from "./mails";

/** A new verification link at most once a minute per account (a bounded mail bomb at worst). */
export const VERIFICATION_RESEND_INTERVAL_SECONDS = 60;

const ttl = sql.raw(`interval '${EMAIL_VERIFICATION_TTL_HOURS} hours'`);
const resendInterval = sql.raw(`interval '${VERIFICATION_RESEND_INTERVAL_SECONDS} seconds'`);

/**
 * Sends `user` a link that proves they read mail at `user.email`: a single-use token (only its
 * SHA-256 is stored, with the address it was sent to) valid for 24 hours. One round trip.
 *
 * Called by sign-up after the account exists, so it never throws: a failure is logged and the
 * account stays as it is; the person asks for another link (POST /v1/auth/verify-email/resend).
 */
export async function issueEmailVerification(c: Context<AppEnv>, user: { id: string; email: string; username: string }): Promise<void> {
  try {
    const token = randomToken();
    await c.var.db.execute(sql`
      INSERT INTO email_verification_tokens (user_id, token_hash, email, expires_at)
      VALUES (${user.id}, ${await sha256Hex(token)}, ${user.email}, now() + ${ttl})`);
    await enqueueMail(c.env, emailVerificationMail(c.env.APP_URL, user, token));
  } catch (err) {
    c.var.log.error("email verification not issued", { userId: user.id, error: err instanceof Error ? err.message : String(err) });
  }
}

/**
 * POST /v1/auth/verify-email/resend: a new link for the signed-in user, unless the address is
 * already verified (409) or a link went out less than a minute ago (429 + Retry-After).
 * One round trip: a per-user advisory lock, then one statement that checks and inserts, in one
 * transaction, so two simultaneous requests cannot both pass the once-a-minute check.
 */
export async function resendEmailVerification(c: Context<AppEnv>, userId: string): Promise<void> {
  const db = c.var.db;
  const token = randomToken();
  const [, result] = await db.batch([
    db.execute(sql`SELECT pg_advisory_xact_lock(hashtext('email_verification_tokens'), hashtext(${userId}::text))`),
    db.execute<{ email: string; username: string; verified: boolean; issued: boolean; retry_after: number | null }>(sql`
      WITH u AS (
        SELECT id, email, username, email_verified_at IS NOT NULL AS verified
        FROM users WHERE id = ${userId} AND deleted_at IS NULL
      ), recent AS (
        SELECT max(created_at) AS at FROM email_verification_tokens
        WHERE user_id = ${userId} AND NOT verified AND expires_at > now() AND created_at > now() - ${resendInterval}
      ), issued AS (
        INSERT INTO email_verification_tokens (user_id, token_hash, email, expires_at)
        SELECT u.id, ${await sha256Hex(token)}, u.email, now() + ${ttl}
        FROM u, recent WHERE NOT u.verified AND recent.at IS NULL
        RETURNING id
      )
      SELECT u.email, u.username, u.verified, EXISTS (SELECT 1 FROM issued) AS issued,
             ceil(extract(epoch FROM (SELECT at FROM recent) + ${resendInterval} - now()))::int AS retry_after
      FROM u`),
  ]);
  const row = result.rows[0];
  if (!row) throw new ApiError("invalid_token", "This account no longer exists.");
  if (row.verified) throw new ApiError("conflict", "This email address is already verified.");
  if (!row.issued) {
    const wait = Math.max(1, Number(row.retry_after ?? VERIFICATION_RESEND_INTERVAL_SECONDS));
    throw new ApiError("rate_limited", `A verification email was sent less than a minute ago; you can ask for another in ${wait} s.`, {
      headers: { "Retry-After": String(wait) },
    });
  }
  await enqueueMail(c.env, emailVerificationMail(c.env.APP_URL, row, token));
}

interface VerificationOutcome {
  used: boolean;
  expired: boolean;
  live: boolean;
  banned: boolean;
  current_email: boolean;
  spent: number;
}

/**
 * POST /v1/auth/verify-email. One statement spends the token and stamps users.email_verified_at,
 * only if the token is unused, unexpired, and its address is still the account's (a link sent
 * before an email change proves nothing about the new address). The token row is re-checked
 * under its row lock, so of two simultaneous uses exactly one succeeds. The batch's first
 * statement names the actor for the users audit trigger. One round trip.
 */
export async function verifyEmail(db: Database, token: string): Promise<void> {
  const hash = await sha256Hex(token);
  const [, result] = await db.batch([
    db.execute(actAs(sql`COALESCE((SELECT user_id::text FROM email_verification_tokens WHERE token_hash = ${hash}), '')`)),
    db.execute<VerificationOutcome & Record<string, unknown>>(sql`
      WITH token AS (
        SELECT t.id, t.verified AS used, t.expires_at <= now() AS expired, u.deleted_at IS NULL AS live,
               u.is_banned AS banned, lower(u.email) = lower(t.email) AS current_email
        FROM email_verification_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = ${hash}
      ), spent AS (
        UPDATE email_verification_tokens t SET verified = true, verified_at = now()
        FROM token
        WHERE t.id = token.id AND NOT t.verified AND t.expires_at > now()
          AND token.live AND NOT token.banned AND token.current_email
        RETURNING t.user_id
      ), confirmed AS (
        UPDATE users SET email_verified_at = now()
        FROM spent WHERE users.id = spent.user_id AND users.email_verified_at IS NULL
        RETURNING users.id
      )
      SELECT token.used, token.expired, token.live, token.banned, token.current_email,
             (SELECT count(*)::int FROM spent) AS spent
      FROM token`),
  ]);
  const outcome = result.rows[0];
  if (outcome && Number(outcome.spent) === 1) return;
  throw verificationRefusal(outcome);
}

function verificationRefusal(outcome: VerificationOutcome | undefined): ApiError {
  if (!outcome || !outcome.live) return new ApiError("invalid_token", "This verification link is not valid.");
  if (outcome.banned) return new ApiError("forbidden", "This account is banned.");
  if (outcome.used) return new ApiError("invalid_token", "This verification link has already been used.");
  if (outcome.expired) return new ApiError("invalid_token", "This verification link has expired; ask for a new one.");
  if (!outcome.current_email) {
    return new ApiError("invalid_token", "This verification link was sent to an address that is no longer the account's; ask for a new one.");
  }
  // Lost a race with a simultaneous use of the same link.
  return new ApiError("invalid_token", "This verification link has already been used.");
}
