import type { Context } from "hono";
import { sql } from "drizzle-orm";
import type { AppEnv } from "../../env";
import { auditInsertFrom } from "../../lib/audit";
import { ApiError } from "../../lib/errors";
import { DUMMY_HASH, verifyPassword } from "../../lib/auth/passwords";
import { backupCodeSet } from "./backup-codes";
import { auditOrigin, readStatus, readTwoFactor, type TwoFactorRead } from "./queries";
import { assertNotLocked, consumeProof, proofHolds, proveSecondFactor, refuse, WRONG_CODE } from "./service";

function enabledState(state: TwoFactorRead | null): asserts state is TwoFactorRead & { config: NonNullable<TwoFactorRead["config"]> } {
  if (!state) throw new ApiError("unauthenticated", "This account no longer exists.");
  assertNotLocked(state);
  if (!state.config?.enabled) throw new ApiError("conflict", "Two-factor authentication is not enabled.");
}

/** GET /v1/me/2fa: one round trip. */
export async function twoFactorStatus(c: Context<AppEnv>, userId: string) {
  return readStatus(c.var.db, userId);
}

/**
 * Switches 2FA off: needs the password and a current code. Which of the two was wrong is not
 * said (a stolen access token must not become a password oracle), and failures count towards
 * the lock. The password is checked first so a wrong one never consumes a backup code. The
 * delete is conditional on the code still being unused. Two round trips.
 */
export async function disableTwoFactor(c: Context<AppEnv>, userId: string, password: string, code: string): Promise<void> {
  const state = await readTwoFactor(c.var.db, userId, { withPassword: true });
  enabledState(state);
  const passwordOk = await verifyPassword(password, state.passwordHash ?? DUMMY_HASH);
  const proof = passwordOk && state.passwordHash ? await proveSecondFactor(c, userId, state.config, code) : null;
  const wrong = () =>
    refuse(c, userId, "disable", "The password or the code is not right.", [
      { path: "json.password", message: "or the code is not right" },
      { path: "json.code", message: "or the password is not right" },
    ]);
  if (!proof) return wrong();

  const result = await c.var.db.execute(sql`
    WITH removed AS (
      DELETE FROM two_factor_configs WHERE user_id = ${userId} AND totp_enabled AND ${proofHolds(proof)}
      RETURNING user_id
    )
    ${auditInsertFrom({ action: "auth.two_factor_disabled", userId, severity: "warning", origin: auditOrigin(c), metadata: { proof: proof.kind } }, sql`removed`)}
    RETURNING user_id`);
  // Lost a race with another request using the same code: that code is spent.
  if (result.rows.length !== 1) throw new ApiError("validation_failed", "The code was already used.", { errors: [WRONG_CODE] });
}

/**
 * Replaces every backup code with a new set of ten, given a current TOTP code (or one of the
 * old backup codes). Conditional on the code still being unused; audited. Two round trips.
 */
export async function regenerateBackupCodes(c: Context<AppEnv>, userId: string, code: string) {
  const state = await readTwoFactor(c.var.db, userId);
  enabledState(state);
  const proof = await proveSecondFactor(c, userId, state.config, code);
  if (!proof) return refuse(c, userId, "backup_codes", "The code is not valid.", [WRONG_CODE]);

  const { codes, hashesJson } = await backupCodeSet(userId);
  const lastStep = proof.kind === "totp" ? sql`, ${consumeProof(proof)}` : sql``;
  const result = await c.var.db.execute(sql`
    WITH renewed AS (
      UPDATE two_factor_configs SET backup_codes = ${hashesJson}::jsonb ${lastStep}
      WHERE user_id = ${userId} AND totp_enabled AND ${proofHolds(proof)}
      RETURNING user_id
    )
    ${auditInsertFrom(
      { action: "auth.two_factor_backup_codes_regenerated", userId, severity: "warning", origin: auditOrigin(c), metadata: { proof: proof.kind } },
      sql`renewed`,
    )}
    RETURNING user_id`);
  if (result.rows.length !== 1) throw new ApiError("validation_failed", "The code was already used.", { errors: [WRONG_CODE] });
  return { backupCodes: codes };
}
