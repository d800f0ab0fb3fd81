import { Secret, TOTP } from "otpauth";

/**
 * TOTP as RFC 6238 and every authenticator app expect it: HMAC-SHA-1, 6 digits, 30 s steps,
 * a 160-bit secret (RFC 4226 §4's recommended length), codes of the previous and next step
 * accepted for clock drift. The arithmetic is `otpauth`'s (pure JS, constant-time comparison);
 * this file only fixes the parameters and turns its "delta" into an absolute time step, which is
 * what replay protection stores.
 */
export const TOTP_ISSUER = "Veza";
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps of drift tolerated either way. */
export const TOTP_WINDOW = 1;
const SECRET_BYTES = 20;

/** A fresh random secret, base32 (no padding): what the authenticator app is given. */
export function newTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

/** The key URI authenticator apps read from a QR code (Google's Key Uri Format). */
export function otpauthUri(secretBase32: string, username: string): string {
  const label = `${encodeURIComponent(TOTP_ISSUER)}:${encodeURIComponent(username)}`;
  return `otpauth://totp/${label}?secret=${secretBase32}&issuer=${encodeURIComponent(TOTP_ISSUER)}&algorithm=SHA1&digits=${TOTP_DIGITS}&period=${TOTP_PERIOD_SECONDS}`;
}

/** The RFC 6238 time step (T) of an instant. */
export function totpStep(nowMs: number = Date.now()): number {
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);
}

/**
 * The time step whose code `code` is, when it is within TOTP_WINDOW steps of now; null otherwise.
 * `code` must already be six digits.
 */
export function matchTotpStep(secretBase32: string, code: string, nowMs: number = Date.now()): number | null {
  const delta = TOTP.validate({
    token: code,
    secret: Secret.fromBase32(secretBase32),
    algorithm: "SHA1",
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    timestamp: nowMs,
    window: TOTP_WINDOW,
  });
  return delta === null ? null : totpStep(nowMs) + delta;
}
