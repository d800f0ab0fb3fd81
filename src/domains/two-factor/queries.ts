import type { Context } from "hono";
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { AppEnv } from "../../env";
import { auditInsert, auditOriginOf } from "../../lib/audit";

/**
 * A user's two_factor_configs row as the service needs it. `totp_last_used_step` is the RFC 6238
 * time step of the last TOTP code accepted: a code is accepted only for a later step, so each
 * code works once (RFC 6238 §5.2), whichever isolate checks it.
 */
export interface TwoFactorConfig {
  sealedSecret: string | null;
  enabled: boolean;
  enabledAt: Date | null;
  backupCodeHashes: string[];
  lastUsedStep: number | null;
}

export interface TwoFactorRead {
  /** null: no enrolment ever started (or it was disabled). */
  config: TwoFactorConfig | null;
  /** Only when asked for (disabling needs it). */
  passwordHash: string | null;
  /** Wrong codes/passwords sent to the 2FA routes in the last FAILURE_WINDOW. */
  recentFailures: number;
  /** Seconds until the oldest of those leaves the window. */
  retryAfterSeconds: number;
}

export const FAILED_ACTION = "auth.two_factor_failed";

/** Where a 2FA audit row says the request came from: the edge address only (cf-connecting-ip, never x-forwarded-for). */
export const auditOrigin = (c: Context<AppEnv>) => auditOriginOf(c);
export const FAILURE_WINDOW = "15 minutes";

interface ReadRow extends Record<string, unknown> {
  password_hash: string | null;
  has_config: boolean;
  totp_secret: string | null;
  totp_enabled: boolean | null;
  totp_enabled_at: string | Date | null;
  backup_codes: string[] | string | null;
  totp_last_used_step: string | number | null;
  failures: number | string;
  retry_after: number | string | null;
}

/**
 * Everything a 2FA operation decides on, in one round trip: the config, the recent failure count
 * (from audit_logs, idx_audit_logs_user_id) and, when asked, the password hash. Null when the
 * account is gone.
 */
export async function readTwoFactor(db: Database, userId: string, options: { withPassword?: boolean } = {}): Promise<TwoFactorRead | null> {
  const result = await db.execute<ReadRow>(sql`
    SELECT CASE WHEN ${options.withPassword ?? false}::boolean THEN u.password_hash END AS password_hash,
           t.user_id IS NOT NULL AS has_config, t.totp_secret, t.totp_enabled, t.totp_enabled_at, t.backup_codes, t.totp_last_used_step,
           f.failures, f.retry_after
    FROM users u
    LEFT JOIN two_factor_configs t ON t.user_id = u.id
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS failures,
             ceil(extract(epoch FROM min(a.created_at) + ${FAILURE_WINDOW}::interval - now()))::int AS retry_after
      FROM audit_logs a
      WHERE a.user_id = u.id AND a.action = ${FAILED_ACTION} AND a.created_at > now() - ${FAILURE_WINDOW}::interval
    ) f
    WHERE u.id = ${userId} AND u.deleted_at IS NULL`);
  const row = result.rows[0];
  if (!row) return null;
  const codes = typeof row.backup_codes === "string" ? (JSON.parse(row.backup_codes) as string[]) : row.backup_codes;
  return {
    config: row.has_config
      ? {
          sealedSecret: row.totp_secret,
          enabled: row.totp_enabled === true,
          enabledAt: row.totp_enabled_at === null ? null : new Date(row.totp_enabled_at),
          backupCodeHashes: codes ?? [],
          lastUsedStep: row.totp_last_used_step === null ? null : Number(row.totp_last_used_step),
        }
      : null,
    passwordHash: row.password_hash,
    recentFailures: Number(row.failures),
    retryAfterSeconds: Math.max(1, Number(row.retry_after ?? 1)),
  };
}

/** Records a wrong code or password sent to a 2FA route; five in the window lock the routes. */
export async function recordFailure(c: Context<AppEnv>, userId: string, operation: string): Promise<void> {
  await c.var.db.execute(auditInsert({ action: FAILED_ACTION, userId, severity: "warning", origin: auditOrigin(c), metadata: { operation } }));
}

/**
 * Starts (or restarts) enrolment with a new sealed secret, unless 2FA is already on. One
 * statement: null when the account is gone, `stored: false` when 2FA is already enabled.
 */
export async function storePendingSecret(db: Database, userId: string, sealedSecret: string): Promise<{ username: string; stored: boolean } | null> {
  const result = await db.execute<{ username: string; stored: boolean }>(sql`
    WITH me AS (SELECT id, username FROM users WHERE id = ${userId} AND deleted_at IS NULL),
    saved AS (
      INSERT INTO two_factor_configs AS t (user_id, totp_secret, totp_enabled)
      SELECT id, ${sealedSecret}, false FROM me
      ON CONFLICT (user_id) DO UPDATE
        SET totp_secret = EXCLUDED.totp_secret, totp_enabled_at = NULL, backup_codes = NULL, totp_last_used_step = NULL
        WHERE NOT t.totp_enabled
      RETURNING t.user_id
    )
    SELECT me.username, EXISTS (SELECT 1 FROM saved) AS stored FROM me`);
  const row = result.rows[0];
  return row ? { username: row.username, stored: row.stored === true } : null;
}

/** GET /v1/me/2fa in one round trip. */
export async function readStatus(db: Database, userId: string) {
  const result = await db.execute<{ totp_enabled: boolean; totp_enabled_at: string | Date | null; remaining: number | string }>(sql`
    SELECT totp_enabled, totp_enabled_at, COALESCE(jsonb_array_length(backup_codes), 0) AS remaining
    FROM two_factor_configs WHERE user_id = ${userId}`);
  const row = result.rows[0];
  const enabled = row?.totp_enabled === true;
  return {
    enabled,
    enabledAt: enabled && row?.totp_enabled_at ? new Date(row.totp_enabled_at) : null,
    backupCodesRemaining: enabled ? Number(row?.remaining ?? 0) : 0,
  };
}
