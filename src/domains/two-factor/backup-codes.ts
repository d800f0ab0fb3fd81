import { sha256Hex } from "../../lib/crypto";

/**
 * Backup codes: 10 per set, each 10 characters of Crockford's base32 (no I, L, O, U: nothing to
 * misread), so 50 random bits, shown once as `XXXXX-XXXXX`. Only hashes are stored. SHA-256 rather
 * than bcrypt: slow hashes exist to protect low-entropy, human-chosen secrets, and 2^50 random
 * values per code are not guessable offline in useful time; the user id salts the hash, so one
 * precomputation cannot attack every account's codes at once; and a code alone is useless without
 * the account's (bcrypt-hashed) password. A fast hash also lets the login check all ten in
 * microseconds instead of ten bcrypt rounds.
 */
export const BACKUP_CODE_COUNT = 10;
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_LENGTH = 10;

function newBackupCode(): string {
  // 32 symbols: the low five bits of each random byte pick one uniformly.
  const bytes = crypto.getRandomValues(new Uint8Array(CODE_LENGTH));
  const chars = [...bytes].map((b) => ALPHABET[b & 31]).join("");
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** A new set of distinct codes, as shown to the user. */
export function newBackupCodes(): string[] {
  const codes = new Set<string>();
  while (codes.size < BACKUP_CODE_COUNT) codes.add(newBackupCode());
  return [...codes];
}

/**
 * A typed backup code in canonical form (upper case, no separators, the look-alikes Crockford
 * allows read as the digits they resemble), or null when it cannot be one.
 */
export function normaliseBackupCode(input: string): string | null {
  const code = input
    .toUpperCase()
    .replace(/[\s-]/g, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
  return code.length === CODE_LENGTH && [...code].every((ch) => ALPHABET.includes(ch)) ? code : null;
}

/** What is stored for a code (`normalised` from normaliseBackupCode or a freshly made code). */
export function hashBackupCode(userId: string, code: string): Promise<string> {
  return sha256Hex(`${userId}:${normaliseBackupCode(code) ?? code}`);
}

/** A new set of codes (shown once) and the JSONB array of their hashes (stored). */
export async function backupCodeSet(userId: string): Promise<{ codes: string[]; hashesJson: string }> {
  const codes = newBackupCodes();
  const hashes = await Promise.all(codes.map((code) => hashBackupCode(userId, code)));
  return { codes, hashesJson: JSON.stringify(hashes) };
}
