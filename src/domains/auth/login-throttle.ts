import { sql, type SQL } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { ApiError } from "../../lib/errors";
import { clientOf, edgeIpOf } from "../../lib/request-client";

/** Brute-force limits (issue 3): failures counted within a sliding window. */
export const WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_IDENTIFIER = 5;
export const MAX_FAILURES_PER_IP = 20;
const WINDOW = sql.raw(`interval '${WINDOW_MINUTES} minutes'`);

/** Why an attempt failed, as login_attempts.failure_reason records it. */
export type FailureReason =
  | "invalid_credentials"
  | "invalid_second_factor"
  | "invalid_current_password"
  | "two_factor_required"
  | "banned"
  | "rate_limited";

/**
 * The failures that are guesses of a secret, the only ones that count toward a lockout. An attempt
 * refused because of the lockout itself is recorded but not counted (else an attacker would keep a
 * victim locked out for ever), nor is "two-factor code required" (the password was right).
 */
const COUNTED = sql`('invalid_credentials', 'invalid_second_factor', 'invalid_current_password')`;

/**
 * The address attempts are attributed to: Cloudflare's cf-connecting-ip only (x-forwarded-for is
 * client input). Requests without it (none in production) share the unspecified address, and so
 * its IP limit.
 */
export const attemptIpOf = (c: Context<AppEnv>) => edgeIpOf(c) ?? "0.0.0.0";

/** Identifiers are compared lower-cased, as users are looked up. */
export const normaliseIdentifier = (identifier: string) => identifier.trim().toLowerCase();

/**
 * Seconds until `identifier` may try again, or NULL: a scalar subquery for the caller's read. With
 * N counted failures since the later of (window start, the identifier's last success), the lockout
 * ends when the Nth newest leaves the window. A success clears the identifier's streak.
 */
export function identifierRetryAfter(identifier: string | SQL): SQL {
  return identifiersRetryAfter(sql`ARRAY[${identifier}]::text[]`);
}

/**
 * The keys an account's attempts are recorded under, whichever was typed: its email and its
 * username, lower-cased (`u` is the users row). Counted together, so the two identifiers of one
 * account share one lockout.
 */
export const accountKeys = (u = sql.raw("u")): SQL => sql`ARRAY[lower(${u}.email), lower(${u}.username)]::text[]`;

/** As identifierRetryAfter, the failures of every key in `keys` (a text[] expression) counted together. */
export function identifiersRetryAfter(keys: SQL): SQL {
  return sql`(SELECT ceil(extract(epoch FROM la.attempted_at + ${WINDOW} - now()))::int
    FROM login_attempts la
    WHERE la.identifier = ANY(${keys}) AND NOT la.success AND la.failure_reason IN ${COUNTED}
      AND la.attempted_at > now() - ${WINDOW}
      AND la.attempted_at > COALESCE((SELECT max(s.attempted_at) FROM login_attempts s
                                      WHERE s.identifier = ANY(${keys}) AND s.success
                                        AND s.attempted_at > now() - ${WINDOW}), '-infinity')
    ORDER BY la.attempted_at DESC OFFSET ${MAX_FAILURES_PER_IDENTIFIER - 1} LIMIT 1)`;
}

/**
 * Serialises the attempts on one account (or one unknown identifier) and on one address until the
 * end of the caller's transaction: the statement to run first in a batch whose next statement
 * checks the lockouts and records the attempt, so that concurrent attempts are counted one after
 * the other (READ COMMITTED: the next statement's snapshot sees every earlier attempt committed).
 * `key` is the account's canonical key (lower(email)) when known, else the identifier typed.
 * Identifiers and addresses lock in separate key spaces, always in that order (no deadlock).
 */
export function lockAttempts(key: SQL | string, ip: string): SQL {
  return sql`SELECT pg_advisory_xact_lock(${sql.raw(String(LOCK_SPACE_IDENTIFIER))}, hashtext(${key})),
                    pg_advisory_xact_lock(${sql.raw(String(LOCK_SPACE_IP))}, hashtext(${ip}::text))`;
}
const LOCK_SPACE_IDENTIFIER = 0x6c6f6731; // "log1"
const LOCK_SPACE_IP = 0x6c6f6732; // "log2"

/** Seconds until `ip` may try again, or NULL (a success does not clear an address's failures). */
export function ipRetryAfter(ip: string): SQL {
  return sql`(SELECT ceil(extract(epoch FROM la.attempted_at + ${WINDOW} - now()))::int
    FROM login_attempts la
    WHERE la.ip_address = ${ip}::inet AND NOT la.success AND la.failure_reason IN ${COUNTED}
      AND la.attempted_at > now() - ${WINDOW}
    ORDER BY la.attempted_at DESC OFFSET ${MAX_FAILURES_PER_IP - 1} LIMIT 1)`;
}

/** The 429 of a locked identifier or address; Retry-After is at least one second. */
export function tooManyAttempts(seconds: number): ApiError {
  const retryAfter = Math.max(1, Math.ceil(seconds));
  return new ApiError("rate_limited", `Too many failed sign-in attempts. Try again in ${retryAfter} seconds.`, {
    headers: { "Retry-After": String(retryAfter) },
  });
}

/** The login_attempts row of one attempt (every attempt is recorded, successful or not). */
export function recordAttempt(c: Context<AppEnv>, identifier: string, failure: FailureReason | null): SQL {
  return sql`INSERT INTO login_attempts (identifier, success, failure_reason, ip_address, user_agent)
    VALUES (${identifier.slice(0, 255)}, ${failure === null}, ${failure}, ${attemptIpOf(c)}::inet, ${clientOf(c).userAgent})`;
}
