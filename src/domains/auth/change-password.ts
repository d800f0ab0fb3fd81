import { sql } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { actAs, auditInsertFrom, auditOriginOf } from "../../lib/audit";
import type { AuthContext } from "../../lib/auth/middleware";
import { hashPassword, verifyPassword } from "../../lib/auth/passwords";
import { forgetAuthState } from "../../lib/auth/state";
import { ApiError } from "../../lib/errors";
import { accountKeys, identifiersRetryAfter, recordAttempt, tooManyAttempts } from "./login-throttle";
import { issueSession, refreshTokenValues, type IssuedSession, type SessionUser } from "./sessions";
import { toSessionUser } from "./user-view";

/** How many of a user's latest passwords may not be chosen again (issue 3), the current one included. */
export const PASSWORD_HISTORY_DEPTH = 5;

/**
 * Refuses `candidate` when it is one of `recentHashes` (newest first, at most the last 5): one
 * bcrypt comparison each, so ~300 ms per hash. Shared with password reset.
 */
export async function assertPasswordNotReused(candidate: string, recentHashes: readonly string[]): Promise<void> {
  for (const hash of recentHashes.slice(0, PASSWORD_HISTORY_DEPTH)) {
    if (await verifyPassword(candidate, hash)) {
      throw new ApiError("validation_failed", `The new password must differ from your last ${PASSWORD_HISTORY_DEPTH} passwords.`, {
        errors: [{ path: "json.new_password", message: `must differ from your last ${PASSWORD_HISTORY_DEPTH} passwords` }],
      });
    }
  }
}

interface PasswordState {
  password_hash: string | null;
  email: string;
  history: string[];
  retry_after: number | null;
}

/**
 * Changes my password (two round trips: read, then one batch). The current password is proven
 * first (failures count toward the sign-in lockout of my email, so a stolen access token cannot
 * guess it freely), the new one must not be any of the last 5, and then, atomically:
 * the hash, last_password_change_at and token_version + 1 (every access token ends), the history
 * (kept to 5 rows), every refresh token revoked, a fresh session for this device, the audit row.
 * The update is conditional on the hash read, so of two concurrent changes one wins.
 */
export async function changePassword(c: Context<AppEnv>, auth: AuthContext, current: string, next: string): Promise<IssuedSession> {
  const db = c.var.db;
  const { rows } = await db.execute<PasswordState & Record<string, unknown>>(sql`
    SELECT u.password_hash, lower(u.email) AS email,
           COALESCE((SELECT json_agg(h.password_hash ORDER BY h.created_at DESC)
                     FROM (SELECT password_hash, created_at FROM password_history WHERE user_id = u.id
                           ORDER BY created_at DESC LIMIT ${PASSWORD_HISTORY_DEPTH}) h), '[]'::json) AS history,
           ${identifiersRetryAfter(accountKeys())} AS retry_after
    FROM users u WHERE u.id = ${auth.userId} AND u.deleted_at IS NULL`);
  const state = rows[0];
  if (!state) throw new ApiError("invalid_token", "This account no longer exists.");
  if (state.retry_after) throw tooManyAttempts(state.retry_after);
  if (!state.password_hash) {
    throw new ApiError("forbidden", "This account has no password yet (it signs in with a provider): set one through password reset.");
  }
  if (!(await verifyPassword(current, state.password_hash))) {
    await db.execute(recordAttempt(c, state.email, "invalid_current_password"));
    throw new ApiError("forbidden", "The current password is not correct.", { errors: [{ path: "json.current_password", message: "is not correct" }] });
  }
  // The current password is known in clear: no bcrypt needed to refuse it, nor its own history row.
  if (next === current) await assertPasswordNotReused(next, [state.password_hash]);
  await assertPasswordNotReused(next, state.history.filter((hash) => hash !== state.password_hash));

  const newHash = await hashPassword(next);
  const token = await refreshTokenValues(c);
  const [, result] = await db.batch([
    db.execute(actAs(auth.userId)),
    db.execute<{ id: string; role: SessionUser["role"]; token_version: number; family_id: string }>(sql`
      WITH u AS (
        UPDATE users SET password_hash = ${newHash}, last_password_change_at = now(), token_version = token_version + 1
        WHERE id = ${auth.userId} AND password_hash = ${state.password_hash} AND deleted_at IS NULL AND NOT is_banned
        RETURNING id, role, token_version
      ),
      kept AS (
        SELECT id FROM password_history WHERE user_id = ${auth.userId} ORDER BY created_at DESC LIMIT ${PASSWORD_HISTORY_DEPTH - 1}
      ),
      pruned AS (DELETE FROM password_history h USING u WHERE h.user_id = u.id AND h.id NOT IN (SELECT id FROM kept)),
      added AS (INSERT INTO password_history (user_id, password_hash) SELECT id, ${newHash} FROM u),
      revoked AS (
        UPDATE refresh_tokens r SET is_revoked = true, revoked_at = now(), revoked_reason = 'password_change'
        FROM u WHERE r.user_id = u.id AND NOT r.is_revoked
      ),
      issued AS (
        INSERT INTO refresh_tokens (user_id, token_hash, device_name, device_type, user_agent, ip_address, expires_at)
        SELECT id, ${token.tokenHash}, ${token.deviceName}, ${token.deviceType}, ${token.userAgent}, ${token.ip}::inet,
               ${token.expiresAt.toISOString()}::timestamptz
        FROM u
        RETURNING family_id
      ),
      audited AS (${auditInsertFrom({ action: "auth.password_change", userId: auth.userId, severity: "info", origin: auditOriginOf(c) }, sql`u`)})
      SELECT u.id, u.role, u.token_version, issued.family_id FROM u, issued`),
  ]);
  const changed = result.rows[0];
  if (!changed) throw new ApiError("conflict", "The password was changed meanwhile; try again with the new one.");
  await forgetAuthState(auth.userId);
  return issueSession(c, toSessionUser(changed), changed.family_id, token.refreshToken);
}
