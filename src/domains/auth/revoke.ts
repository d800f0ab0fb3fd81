import { sql } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { actAs, auditInsert, auditInsertFrom, auditOriginOf } from "../../lib/audit";
import type { AuthContext } from "../../lib/auth/middleware";
import { forgetAuthState } from "../../lib/auth/state";
import { sha256Hex } from "../../lib/crypto";
import { notFound } from "../../lib/errors";

const revoke = (reason: string) => sql`is_revoked = true, revoked_at = now(), revoked_reason = ${reason}`;

/**
 * Ends the session of the request: its refresh-token family, and the family of `refreshToken` if
 * the client sent one of its own (one round trip). The access token in hand stays valid until it
 * expires (at most 15 minutes): the client drops it; logout-all ends access tokens at once.
 */
export async function logout(c: Context<AppEnv>, auth: AuthContext, refreshToken?: string): Promise<void> {
  const alsoFamily = refreshToken
    ? sql`OR family_id IN (SELECT family_id FROM refresh_tokens WHERE token_hash = ${await sha256Hex(refreshToken)} AND user_id = ${auth.userId})`
    : sql``;
  await c.var.db.execute(sql`
    UPDATE refresh_tokens SET ${revoke("logout")}
    WHERE user_id = ${auth.userId} AND NOT is_revoked AND (family_id = ${auth.sessionId} ${alsoFamily})`);
}

/**
 * Signs the user out everywhere in one batch: token_version + 1 (every access token issued so far
 * is refused from the next request on), every refresh token revoked, the action audited; then the
 * cached auth state is purged so this data centre sees the new version at once.
 */
export async function logoutEverywhere(c: Context<AppEnv>, auth: AuthContext): Promise<void> {
  const db = c.var.db;
  await db.batch([
    db.execute(actAs(auth.userId)),
    db.execute(sql`UPDATE users SET token_version = token_version + 1 WHERE id = ${auth.userId}`),
    db.execute(sql`UPDATE refresh_tokens SET ${revoke("logout_all")} WHERE user_id = ${auth.userId} AND NOT is_revoked`),
    db.execute(auditInsert({ action: "auth.logout_all", userId: auth.userId, origin: auditOriginOf(c) })),
  ]);
  await forgetAuthState(auth.userId);
}

/**
 * Revokes one of my sessions (a refresh-token family) and audits it, in one statement. Not mine,
 * unknown or already ended: 404, whoever it belongs to. Its access token (if any is out) lapses
 * within 15 minutes; logout-all ends every access token at once.
 */
export async function revokeSession(c: Context<AppEnv>, auth: AuthContext, sessionId: string): Promise<void> {
  const { rows } = await c.var.db.execute<{ revoked: number | string }>(sql`
    WITH ended AS (
      UPDATE refresh_tokens SET ${revoke("session_revoked")}
      WHERE family_id = ${sessionId} AND user_id = ${auth.userId} AND NOT is_revoked
      RETURNING id
    ),
    audited AS (
      ${auditInsertFrom({ action: "auth.session_revoke", userId: auth.userId, origin: auditOriginOf(c), metadata: { session_id: sessionId } },
        sql`(SELECT 1) AS one WHERE EXISTS (SELECT 1 FROM ended)`)}
    )
    SELECT count(*) AS revoked FROM ended`);
  if (Number(rows[0]?.revoked ?? 0) === 0) throw notFound("The session");
}
