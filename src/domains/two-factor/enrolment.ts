import type { Context } from "hono";
import { sql } from "drizzle-orm";
import type { AppEnv } from "../../env";
import { auditInsertFrom } from "../../lib/audit";
import { ApiError } from "../../lib/errors";
import { decryptSecret, encryptSecret } from "../../lib/crypto";
import { backupCodeSet } from "./backup-codes";
import { auditOrigin, readTwoFactor, storePendingSecret } from "./queries";
import { assertNotLocked, refuse, WRONG_CODE } from "./service";
import { matchTotpStep, newTotpSecret, otpauthUri } from "./totp";

const gone = () => new ApiError("unauthenticated", "This account no longer exists.");

/**
 * Step 1: a new secret, stored sealed (AES-256-GCM) and not yet enabled; calling again replaces
 * a pending one. The plaintext secret leaves the server only in this response. One round trip.
 */
export async function startEnrolment(c: Context<AppEnv>, userId: string) {
  const secret = newTotpSecret();
  const stored = await storePendingSecret(c.var.db, userId, await encryptSecret(secret, c.env.ENCRYPTION_KEY));
  if (!stored) throw gone();
  if (!stored.stored) throw new ApiError("conflict", "Two-factor authentication is already enabled; disable it first to enrol again.");
  return { secret, otpauthUri: otpauthUri(secret, stored.username) };
}

/**
 * Step 2: the first code from the app proves it holds the secret; 2FA is switched on with ten
 * fresh backup codes. The update is conditional on the secret read (a concurrent re-enrolment
 * makes it miss) and writes the audit row in the same statement. Two round trips.
 */
export async function confirmEnrolment(c: Context<AppEnv>, userId: string, code: string) {
  const state = await readTwoFactor(c.var.db, userId);
  if (!state) throw gone();
  assertNotLocked(state);
  const config = state.config;
  if (config?.enabled) throw new ApiError("conflict", "Two-factor authentication is already enabled.");
  if (!config?.sealedSecret) throw new ApiError("conflict", "No enrolment is in progress; start one with POST /v1/me/2fa/totp.");

  const step = matchTotpStep(await decryptSecret(config.sealedSecret, c.env.ENCRYPTION_KEY), code.replace(/\s/g, ""));
  if (step === null) return refuse(c, userId, "confirm", "The code does not match the authenticator app's secret.", [WRONG_CODE]);

  const { codes, hashesJson } = await backupCodeSet(userId);
  const result = await c.var.db.execute(sql`
    WITH enabled AS (
      UPDATE two_factor_configs
      SET totp_enabled = true, totp_enabled_at = now(), backup_codes = ${hashesJson}::jsonb, totp_last_used_step = ${step}
      WHERE user_id = ${userId} AND NOT totp_enabled AND totp_secret = ${config.sealedSecret}
      RETURNING user_id
    )
    ${auditInsertFrom({ action: "auth.two_factor_enabled", userId, severity: "info", origin: auditOrigin(c), metadata: { method: "totp" } }, sql`enabled`)}
    RETURNING user_id`);
  if (result.rows.length !== 1) throw new ApiError("conflict", "The enrolment changed while confirming it; start again.");
  return { backupCodes: codes };
}
