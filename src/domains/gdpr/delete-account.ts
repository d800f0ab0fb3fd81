import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { actAs, auditInsertFrom, type AuditOrigin } from "../../lib/audit";
import { forgetAuthState } from "../../lib/auth/state";
import { ApiError } from "../../lib/errors";
import { verifyPassword } from "../../lib/auth/passwords";

/**
 * Art. 17, step 1 of §19.3: the account is soft-deleted at once. In one batch (one transaction):
 * deleted_at is set, token_version bumped (every access token dies), every refresh token revoked,
 * and 'account.delete' audited. Its email and username are free again at once (the unique indexes
 * only cover live accounts); the cron anonymises the row and erases the related data 30 days later.
 *
 * Round trips: one read (the password hash: an account with a password must give it), one batch.
 * Tells whether the account ever asked for an export, whose archives must go too.
 */
export async function deleteAccount(db: Database, userId: string, password: string | undefined, origin: AuditOrigin): Promise<{ hadExports: boolean }> {
  const account = (
    await db.execute<{ password_hash: string | null; had_exports: boolean }>(
      sql`SELECT password_hash, export_requested_at IS NOT NULL AS had_exports FROM users WHERE id = ${userId} AND deleted_at IS NULL`,
    )
  ).rows[0];
  if (!account) throw new ApiError("invalid_token", "This account no longer exists.");
  if (account.password_hash) {
    if (password === undefined) {
      throw new ApiError("validation_failed", "Give your password to delete this account.", {
        errors: [{ path: "json.password", message: "is required to delete an account that has a password" }],
      });
    }
    if (!(await verifyPassword(password, account.password_hash))) throw new ApiError("forbidden", "The password is not correct.");
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
