import type { Context } from "hono";
import { sql, type SQL } from "drizzle-orm";
import type { AppEnv } from "../../env";
import { auditInsertFrom } from "../../lib/audit";
import { ApiError, type FieldError } from "../../lib/errors";
import { decryptSecret, timingSafeEqual } from "../../lib/crypto";
import { hashBackupCode, normaliseBackupCode } from "./backup-codes";
import { auditOrigin, readTwoFactor, recordFailure, type TwoFactorConfig, type TwoFactorRead } from "./queries";
import { matchTotpStep } from "./totp";

/** What a correct second factor proves, and what must be consumed so it works only once. */
export type SecondFactorProof = { kind: "totp"; step: number } | { kind: "backup_code"; hash: string };

/** Longer input is neither a TOTP code nor a backup code (even with separators). */
const MAX_CODE_LENGTH = 32;

/**
 * Checks `code` against an enabled config without changing anything: a six-digit code must be the
 * TOTP code of a step within ±1 of now and later than the last one accepted; anything else is
 * tried as a backup code.
 */
export async function proveSecondFactor(c: Context<AppEnv>, userId: string, config: TwoFactorConfig, code: string): Promise<SecondFactorProof | null> {
  if (!config.enabled || !config.sealedSecret || code.length > MAX_CODE_LENGTH) return null;
  const digits = code.replace(/\s/g, "");
  if (/^\d{6}$/.test(digits)) {
    const secret = await decryptSecret(config.sealedSecret, c.env.ENCRYPTION_KEY);
    const step = matchTotpStep(secret, digits);
    if (step === null || (config.lastUsedStep !== null && step <= config.lastUsedStep)) return null;
    return { kind: "totp", step };
  }
  const normalised = normaliseBackupCode(code);
  if (!normalised) return null;
  const hash = await hashBackupCode(userId, normalised);
  let found = false;
  for (const stored of config.backupCodeHashes) found = timingSafeEqual(stored, hash) || found;
  return found ? { kind: "backup_code", hash } : null;
}

/** SQL condition: the proof still holds in the row, i.e. no concurrent request consumed it. */
export function proofHolds(proof: SecondFactorProof): SQL {
  return proof.kind === "totp"
    ? sql`(totp_last_used_step IS NULL OR totp_last_used_step < ${proof.step})`
    : sql`backup_codes @> jsonb_build_array(${proof.hash}::text)`;
}

/** SQL assignment that uses the proof up: the step is remembered, the backup code removed. */
export function consumeProof(proof: SecondFactorProof): SQL {
  return proof.kind === "totp" ? sql`totp_last_used_step = ${proof.step}` : sql`backup_codes = backup_codes - ${proof.hash}::text`;
}

/**
 * Uses the proof up with a conditional update (one round trip), so two requests racing with the
 * same code cannot both win. Using a backup code is audited in the same statement.
 */
async function consumeSecondFactor(c: Context<AppEnv>, userId: string, proof: SecondFactorProof): Promise<boolean> {
  const used = sql`
    UPDATE two_factor_configs SET ${consumeProof(proof)}
    WHERE user_id = ${userId} AND totp_enabled AND ${proofHolds(proof)}
    RETURNING user_id, COALESCE(jsonb_array_length(backup_codes), 0) AS remaining`;
  const result =
    proof.kind === "totp"
      ? await c.var.db.execute(used)
      : await c.var.db.execute(sql`
          WITH used AS (${used})
          ${auditInsertFrom({ action: "auth.two_factor_backup_code_used", userId, severity: "warning", origin: auditOrigin(c) }, sql`used`)}
          RETURNING user_id`);
  return result.rows.length === 1;
}

/**
 * The login's second step: true when `code` is a valid TOTP code (RFC 6238, ±1 step, not used
 * before) or an unused backup code of the user's enabled 2FA, which is then consumed. False when
 * 2FA is off, the code is wrong, or it was already used. Two round trips when the code is right
 * (read, conditional consume), one when it is wrong. Attempt limiting is the caller's: the login
 * counts a wrong code as a failed attempt.
 */
export async function verifySecondFactor(c: Context<AppEnv>, userId: string, code: string): Promise<boolean> {
  const state = await readTwoFactor(c.var.db, userId);
  if (!state?.config?.enabled) return false;
  const proof = await proveSecondFactor(c, userId, state.config, code);
  return proof ? consumeSecondFactor(c, userId, proof) : false;
}

/** Five wrong codes or passwords in 15 minutes lock the 2FA routes of the account (429). */
export const MAX_RECENT_FAILURES = 5;

export function assertNotLocked(state: TwoFactorRead): void {
  if (state.recentFailures >= MAX_RECENT_FAILURES) {
    throw new ApiError("rate_limited", "Too many wrong codes; try again later.", { headers: { "Retry-After": String(state.retryAfterSeconds) } });
  }
}

/** Records the failure (second round trip), then answers 422 on the given fields. */
export async function refuse(c: Context<AppEnv>, userId: string, operation: string, detail: string, errors: FieldError[]): Promise<never> {
  await recordFailure(c, userId, operation);
  throw new ApiError("validation_failed", detail, { errors });
}

export const WRONG_CODE: FieldError = { path: "json.code", message: "is not a valid code, or was already used" };
