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
  attemptIpOf, identifierRetryAfter, ipRetryAfter, normaliseIdentifier, recordAttempt, tooManyAttempts, type FailureReason,
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
  identifier_retry_after: number | null;
  ip_retry_after: number | null;
}

/** One answer for "no such account" and "wrong password", so neither can be told from the other. */
const badCredentials = () => new ApiError("unauthenticated", "The identifier or the password is not correct.");

/**
 * Round trip 1: the account (live only: a soft-deleted one is unknown), its 2FA flag, whether this
 * device (user agent + IP) has signed in before, and both lockouts, in one statement. Emails hold
 * an "@" and usernames cannot, so one of the two unique indexes answers.
 */
async function readLoginState(c: Context<AppEnv>, identifier: string): Promise<LoginRow> {
  const device = clientOf(c);
  const match = identifier.includes("@") ? sql`lower(u.email) = ${identifier}` : sql`lower(u.username) = ${identifier}`;
  const { rows } = await c.var.db.execute<LoginRow & Record<string, unknown>>(sql`
    SELECT u.id, u.email, u.username, u.display_name, u.role, u.token_version, u.email_verified_at, u.created_at,
           u.password_hash, u.is_banned, COALESCE(tf.totp_enabled, false) AS totp_enabled,
           EXISTS (SELECT 1 FROM refresh_tokens rt
                   WHERE rt.user_id = u.id AND rt.user_agent IS NOT DISTINCT FROM ${device.userAgent}
                     AND rt.ip_address IS NOT DISTINCT FROM ${device.ip}::inet) AS known_device,
           ${identifierRetryAfter(identifier)} AS identifier_retry_after,
           ${ipRetryAfter(attemptIpOf(c))} AS ip_retry_after
    FROM (SELECT 1) AS one
    LEFT JOIN users u ON ${match} AND u.deleted_at IS NULL
    LEFT JOIN two_factor_configs tf ON tf.user_id = u.id`);
  return rows[0]!;
}

/** Records a refused attempt (its own round trip, outside the budget) and answers `error`. */
async function refuse(c: Context<AppEnv>, identifier: string, reason: FailureReason, error: ApiError): Promise<never> {
  await c.var.db.execute(recordAttempt(c, identifier, reason));
  throw error;
}

/**
 * Password sign-in, with brute-force protection and the second factor when it is on. Two round
 * trips: the read above, then one batch (attempt row, session, login stats, new-device audit);
 * a refusal records its attempt instead. With 2FA on, verifySecondFactor adds its own round trips
 * (read, conditional consume). Unknown account and wrong password cost the same bcrypt comparison
 * and answer the same 401.
 */
export async function signIn(c: Context<AppEnv>, input: LoginInput) {
  const identifier = normaliseIdentifier(input.identifier);
  const state = await readLoginState(c, identifier);

  const retryAfter = Math.max(state.identifier_retry_after ?? 0, state.ip_retry_after ?? 0);
  if (retryAfter > 0) return refuse(c, identifier, "rate_limited", tooManyAttempts(retryAfter));

  const passwordOk = await verifyPassword(input.password, state.password_hash ?? DUMMY_HASH);
  if (!passwordOk || !state.id || !state.password_hash) return refuse(c, identifier, "invalid_credentials", badCredentials());
  const user = state as LoginRow & UserRow;

  // Told only to whoever knows the password: a ban is no secret from its owner.
  if (user.is_banned) return refuse(c, identifier, "banned", new ApiError("forbidden", "This account is banned."));

  if (user.totp_enabled) {
    if (!input.code) {
      return refuse(c, identifier, "two_factor_required", new ApiError("unauthenticated", "A two-factor code is required.", {
        errors: [{ path: "json.code", message: "required" }],
      }));
    }
    if (!(await verifySecondFactor(c, user.id, input.code))) {
      return refuse(c, identifier, "invalid_second_factor", new ApiError("unauthenticated", "The two-factor code is not valid.", {
        errors: [{ path: "json.code", message: "invalid" }],
      }));
    }
  }

  const db = c.var.db;
  const device = clientOf(c);
  const session = await newRefreshToken(db, c, user.id);
  const [, , , tokens] = await db.batch([
    db.execute(actAs(user.id)),
    db.execute(recordAttempt(c, identifier, null)),
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
