import { sql } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { auditInsertFrom, auditOriginOf } from "../../lib/audit";
import { forgetAuthState } from "../../lib/auth/state";
import { ApiError } from "../../lib/errors";
import { sha256Hex } from "../../lib/crypto";
import { issueSession, refreshTokenValues, type IssuedSession } from "./sessions";
import { toSessionUser } from "./user-view";

interface RotationRow {
  user_id: string;
  family_id: string;
  role: "user" | "creator" | "premium" | "moderator" | "admin";
  token_version: number;
  is_revoked: boolean;
  revoked_reason: string | null;
  expired: boolean;
  is_banned: boolean;
  deleted: boolean;
  issued: boolean;
}

const invalid = (detail: string) =>
  new ApiError("invalid_token", detail, { headers: { "WWW-Authenticate": 'Bearer error="invalid_token"' } });

/**
 * Rotates a refresh token in one statement (one round trip), so no token is ever used twice:
 * - the presented token is revoked ('rotated', replaced_by_id = its successor) only while it is
 *   live and its user may sign in; the row lock makes a concurrent second use find it revoked;
 * - its successor joins the same family (the session id stays), with this request's device (what
 *   the request does not say is kept from the presented token);
 * - a token that was already rotated is a reuse (a copy was stolen, or the client is confused):
 *   the whole family is revoked ('reuse_detected'), token_version is bumped so every access token
 *   out there dies now rather than in 15 minutes, and 'auth.refresh_reuse' is audited (warning).
 * The snapshot row (`tok`) then says why a refusal happened.
 */
export async function rotateRefreshToken(c: Context<AppEnv>, presented: string): Promise<IssuedSession> {
  const next = await refreshTokenValues(c);
  const nextId = crypto.randomUUID();
  const reuse = sql`tok.revoked_reason = 'rotated'`;
  const { rows } = await c.var.db.execute<RotationRow & Record<string, unknown>>(sql`
    WITH tok AS (
      SELECT t.id, t.user_id, t.family_id, t.device_name, t.device_type, t.user_agent, t.ip_address, t.is_revoked, t.revoked_reason, t.expires_at <= now() AS expired,
             u.role, u.token_version, u.is_banned, u.deleted_at IS NOT NULL AS deleted
      FROM refresh_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = ${await sha256Hex(presented)}
    ),
    rotated AS (
      UPDATE refresh_tokens r
      SET is_revoked = true, revoked_at = now(), revoked_reason = 'rotated', replaced_by_id = ${nextId}::uuid, last_used_at = now()
      FROM tok
      WHERE r.id = tok.id AND NOT r.is_revoked AND r.expires_at > now() AND NOT tok.is_banned AND NOT tok.deleted
      RETURNING r.user_id, r.family_id, tok.device_name, tok.device_type, tok.user_agent, tok.ip_address
    ),
    issued AS (
      INSERT INTO refresh_tokens (id, user_id, token_hash, family_id, device_name, device_type, user_agent, ip_address, expires_at)
      SELECT ${nextId}::uuid, user_id, ${next.tokenHash}, family_id, COALESCE(${next.deviceName}, device_name),
             COALESCE(${next.deviceType}, device_type), COALESCE(${next.userAgent}, user_agent), COALESCE(${next.ip}::inet, ip_address),
             ${next.expiresAt.toISOString()}::timestamptz
      FROM rotated
      RETURNING id
    ),
    family_revoked AS (
      UPDATE refresh_tokens r SET is_revoked = true, revoked_at = now(), revoked_reason = 'reuse_detected'
      FROM tok
      WHERE ${reuse} AND r.family_id = tok.family_id AND NOT r.is_revoked
      RETURNING r.id
    ),
    bumped AS (
      UPDATE users u SET token_version = u.token_version + 1 FROM tok WHERE ${reuse} AND u.id = tok.user_id RETURNING u.id
    ),
    audited AS (
      ${auditInsertFrom(
        {
          action: "auth.refresh_reuse",
          userId: sql`tok.user_id`,
          actorId: null,
          severity: "warning",
          origin: auditOriginOf(c),
          metadata: sql`jsonb_build_object('session_id', tok.family_id, 'revoked_tokens', (SELECT count(*) FROM family_revoked),
                                           'token_version_bumped', EXISTS (SELECT 1 FROM bumped))`,
        },
        sql`tok WHERE ${reuse}`,
      )}
    )
    SELECT tok.user_id, tok.family_id, tok.role, tok.token_version, tok.is_revoked, tok.revoked_reason, tok.expired,
           tok.is_banned, tok.deleted, EXISTS (SELECT 1 FROM issued) AS issued
    FROM tok`);

  const tok = rows[0];
  if (!tok) throw invalid("The refresh token is not valid.");
  if (tok.revoked_reason === "rotated") {
    await forgetAuthState(tok.user_id);
    c.var.log.warn("refresh token reuse: session revoked", { userId: tok.user_id, sessionId: tok.family_id });
    throw invalid("This refresh token was already used: the session has been ended for safety. Sign in again.");
  }
  if (tok.deleted) throw invalid("This account no longer exists.");
  if (tok.is_banned) throw new ApiError("forbidden", "This account is banned.");
  if (tok.is_revoked) throw invalid("The refresh token has been revoked. Sign in again.");
  if (tok.expired) throw invalid("The refresh token has expired. Sign in again.");
  if (!tok.issued) throw invalid("The refresh token has already been used.");
  return issueSession(c, toSessionUser({ id: tok.user_id, role: tok.role, token_version: tok.token_version }), tok.family_id, next.refreshToken);
}
