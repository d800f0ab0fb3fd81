import type { z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { actAs, auditInsertFrom, auditOriginOf } from "../../lib/audit";
import { DUMMY_HASH, verifyPassword } from "../../lib/auth/passwords";
import { ApiError } from "../../lib/errors";
import { clientOf } from "../../lib/request-client";
import { verifySecondFactor } from "../two-factor/service";
import {
  attemptIpOf, identifiersRetryAfter, ipRetryAfter, lockAttempts, normaliseIdentifier, tooManyAttempts, type FailureReason,
} from "./login-throttle";
import type { LoginBodySchema } from "./schemas";
import { issueSession, newRefreshToken } from "./sessions";
import { toAuthUser, toSessionUser, type UserRow } from "./user-view";

type LoginInput = z.infer<typeof LoginBodySchema>;

interface LoginRow extends Partial<UserRow> {
  password_hash: string | null;
  is_banned: boolean | null;
  totp_enabled: boolean | null;
  known_device: boolean | null;
  retry_after: number;
  /** The attempt recorded by round trip 1 (its key: login_attempts is partitioned by attempted_at). */
  attempt_id: string;
  /** attempted_at as Postgres text: compared back in SQL at full (microsecond) precision. */
  attempt_at: string;
}

/** One answer for "no such account" and "wrong password", so neither can be told from the other. */
const badCredentials = () => new ApiError("unauthenticated", "The identifier or the password is not correct.");

/**
 * Round trip 1, one batch (one transaction): first the advisory locks of the account (its lower(email)
 * whichever identifier was typed; an unknown identifier as typed) and of the address; then, in one
 * statement, the account (live only: a soft-deleted one is unknown), its 2FA flag, whether this
 * device (user agent + IP) has signed in before, both lockouts (an account's failures counted under
 * its email and its username together), and the attempt recorded at once: 'rate_limited' when
 * locked out, else a provisional 'invalid_credentials' that counts toward the lockouts while the
 * password is checked. Concurrent guesses thus queue on the lock and each sees the ones before:
 * no more than the limit get past it. Emails hold an "@" and usernames cannot, so one of the two
 * unique indexes answers.
 */
async function readLoginState(c: Context<AppEnv>, identifier: string): Promise<LoginRow> {
  const db = c.var.db;
  const device = clientOf(c);
  const ip = attemptIpOf(c);
  const match = identifier.includes("@") ? sql`lower(u.email) = ${identifier}` : sql`lower(u.username) = ${identifier}`;
  const [, read] = await db.batch([
    db.execute(lockAttempts(sql`COALESCE((SELECT lower(u.email) FROM users u WHERE ${match} AND u.deleted_at IS NULL), ${identifier}::text)`, ip)),
    db.execute<LoginRow & Record<string, unknown>>(sql`
      WITH state AS (
        SELECT u.id, u.email, u.username, u.display_name, u.role, u.token_version, u.email_verified_at, u.created_at,
               u.password_hash, u.is_banned, COALESCE(tf.totp_enabled, false) AS totp_enabled,
               EXISTS (SELECT 1 FROM refresh_tokens rt
                       WHERE rt.user_id = u.id AND rt.user_agent IS NOT DISTINCT FROM ${device.userAgent}
                         AND rt.ip_address IS NOT DISTINCT FROM ${device.ip}::inet) AS known_device,
               GREATEST(COALESCE(${identifiersRetryAfter(sql`ARRAY[${identifier}::text, lower(u.email), lower(u.username)]`)}, 0),
                        COALESCE(${ipRetryAfter(ip)}, 0)) AS retry_after
        FROM (SELECT 1) AS one
        LEFT JOIN users u ON ${match} AND u.deleted_at IS NULL
        LEFT JOIN two_factor_configs tf ON tf.user_id = u.id
      ), attempt AS (
        INSERT INTO login_attempts (identifier, success, failure_reason, ip_address, user_agent)
        SELECT ${identifier.slice(0, 255)}, false, CASE WHEN state.retry_after > 0 THEN 'rate_limited' ELSE 'invalid_credentials' END,
               ${ip}::inet, ${device.userAgent}
        FROM state
        RETURNING id, attempted_at
      )
      SELECT state.*, attempt.id AS attempt_id, attempt.attempted_at::text AS attempt_at FROM state, attempt`),
  ]);
  return read.rows[0]!;
}

/** Relabels this attempt's row (its own round trip, outside the budget) and answers `error`. */
async function refuse(c: Context<AppEnv>, state: LoginRow, reason: FailureReason, error: ApiError): Promise<never> {
  await c.var.db.execute(sql`UPDATE login_attempts SET failure_reason = ${reason}
    WHERE id = ${state.attempt_id} AND attempted_at = ${state.attempt_at}::timestamptz`);
  throw error;
}

/**
 * Password sign-in, with brute-force protection and the second factor when it is on. Two round
 * trips: the locked read-and-record above, then one batch (attempt row marked a success, session,
 * login stats, new-device audit). A lockout or a wrong password costs the first only; the other
 * refusals relabel their attempt instead. With 2FA on, verifySecondFactor adds its own round trips
 * (read, conditional consume). Unknown account and wrong password cost the same bcrypt comparison
 * and answer the same 401.
 */
export async function signIn(c: Context<AppEnv>, input: LoginInput) {
  const identifier = normaliseIdentifier(input.identifier);
  const state = await readLoginState(c, identifier);

  // Both refusals are recorded already ('rate_limited', 'invalid_credentials'): no further round trip.
  if (state.retry_after > 0) throw tooManyAttempts(state.retry_after);

  const passwordOk = await verifyPassword(input.password, state.password_hash ?? DUMMY_HASH);
  if (!passwordOk || !state.id || !state.password_hash) throw badCredentials();
  const user = state as LoginRow & UserRow;

  // Told only to whoever knows the password: a ban is no secret from its owner.
  if (user.is_banned) return refuse(c, state, "banned", new ApiError("forbidden", "This account is banned."));

  if (user.totp_enabled) {
    if (!input.code) {
      return refuse(c, state, "two_factor_required", new ApiError("unauthenticated", "A two-factor code is required.", {
        errors: [{ path: "json.code", message: "required" }],
      }));
    }
    if (!(await verifySecondFactor(c, user.id, input.code))) {
      return refuse(c, state, "invalid_second_factor", new ApiError("unauthenticated", "The two-factor code is not valid.", {
        errors: [{ path: "json.code", message: "invalid" }],
      }));
    }
  }

  const db = c.var.db;
  const device = clientOf(c);
  const session = await newRefreshToken(db, c, user.id);
  const [, , , tokens] = await db.batch([
    db.execute(actAs(user.id)),
    db.execute(sql`UPDATE login_attempts SET success = true, failure_reason = NULL
                   WHERE id = ${state.attempt_id} AND attempted_at = ${state.attempt_at}::timestamptz`),
    db.execute(sql`UPDATE users SET last_login_at = now(), login_count = login_count + 1, last_login_ip = ${device.ip}::inet
                   WHERE id = ${user.id}`),
    session.insert,
    db.execute(auditInsertFrom({ action: "auth.login_new_device", userId: user.id, origin: auditOriginOf(c), metadata: { device_type: device.deviceType } },
      sql`(SELECT 1) AS one WHERE ${!user.known_device}`)),
  ]);

  return {
    user: toAuthUser(user),
    session: await issueSession(c, toSessionUser(user), tokens[0]!.familyId, session.refreshToken),
  };
}
