import { sql } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { actAs, auditInsertFrom, type AuditOrigin } from "../../lib/audit";
import { forgetAuthState } from "../../lib/auth/state";
import { ApiError } from "../../lib/errors";
import { verifyPassword } from "../../lib/auth/passwords";
import { accountKeys, identifiersRetryAfter, recordAttempt, tooManyAttempts } from "../auth/login-throttle";

/**
 * Art. 17, step 1 of §19.3: the account is soft-deleted at once. In one batch (one transaction):
 * deleted_at is set, token_version bumped (every access token dies), every refresh token revoked,
 * and 'account.delete' audited. Its email and username are free again at once (the unique indexes
 * only cover live accounts); the cron anonymises the row and erases the related data 30 days later.
 *
 * Round trips: one read (the password hash: an account with a password must give it), one batch.
 * As for a password change, the password is guarded by the account's sign-in lockout (a stolen
 * access token cannot guess it freely): a locked account is refused (429), and a wrong password is
 * recorded ('invalid_current_password', under lower(email)) and counts toward the lockout.
 * Tells whether the account ever asked for an export, whose archives must go too.
 */
export async function deleteAccount(c: Context<AppEnv>, userId: string, password: string | undefined, origin: AuditOrigin): Promise<{ hadExports: boolean }> {
  const db = c.var.db;
  const account = (
    await db.execute<{ password_hash: string | null; had_exports: boolean; email: string; retry_after: number | null }>(
      sql`SELECT u.password_hash, u.export_requested_at IS NOT NULL AS had_exports, lower(u.email) AS email,
                 ${identifiersRetryAfter(accountKeys())} AS retry_after
          FROM users u WHERE u.id = ${userId} AND u.deleted_at IS NULL`,
    )
  ).rows[0];
  if (!account) throw new ApiError("invalid_token", "This account no longer exists.");
  if (account.password_hash) {
    if (account.retry_after) throw tooManyAttempts(account.retry_after);
    if (password === undefined) {
      throw new ApiError("validation_failed", "Give your password to delete this account.", {
        errors: [{ path: "json.password", message: "is required to delete an account that has a password" }],
      });
    }
    if (!(await verifyPassword(password, account.password_hash))) {
      await db.execute(recordAttempt(c, account.email, "invalid_current_password"));
      throw new ApiError("forbidden", "The password is not correct.");
    }
  }

  const statement = sql`
    WITH deleted AS (
      UPDATE users SET deleted_at = now(), token_version = token_version + 1
       WHERE id = ${userId} AND deleted_at IS NULL
      RETURNING id
    ), revoked AS (
      UPDATE refresh_tokens SET is_revoked = true, revoked_at = now(), revoked_reason = 'account_deleted'
       WHERE user_id IN (SELECT id FROM deleted) AND NOT is_revoked
      RETURNING id
    )
    ${auditInsertFrom(
      {
        action: "account.delete",
        userId,
        actorId: userId,
        severity: "warning",
        origin,
        metadata: sql`jsonb_build_object('sessions_revoked', (SELECT count(*) FROM revoked))`,
      },
      sql`deleted`,
    )}
    RETURNING 1`;
  const [, result] = await db.batch([db.execute(actAs(userId)), db.execute(statement)]);
  await forgetAuthState(userId);
  if (result.rows.length === 0) throw new ApiError("invalid_token", "This account no longer exists.");
  return { hadExports: account.had_exports };
}
