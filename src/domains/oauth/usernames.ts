/** users.username's CHECK: ^[a-zA-Z0-9_]{3,30}$. */
export const USERNAME = /^[a-zA-Z0-9_]{3,30}$/;

/** Room left for a "_1234" suffix when the base is taken. */
const BASE_MAX = 24;

/**
 * A valid username from whatever the provider calls the person ("Zoë Smith", "dj.kool-herc",
 * "李"): accents stripped, other characters as underscores, cut to leave room for a suffix, and
 * "listener" when nothing usable is left.
 */
export function usernameBase(...hints: (string | null | undefined)[]): string {
  for (const hint of hints) {
    const base = (hint ?? "")
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-zA-Z0-9_]+/g, "_")
      .replace(/_+/g, "_")
      .replace(/^_+|_+$/g, "")
      .slice(0, BASE_MAX)
      .replace(/_+$/, "")
      // deleted_<id> is what erased accounts are renamed to: nobody may look like one.
      .replace(/^deleted_/i, "");
    if (base.length >= 3) return base;
  }
  return "listener";
}

const randomDigits = (n: number) => {
  const values = crypto.getRandomValues(new Uint32Array(n));
  return [...values].map((v) => String(v % 10)).join("");
};
const randomHex = (bytes: number) => [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");

/**
 * Usernames to try in order: the base itself, then with random suffixes. The insert takes the first
 * one no live account holds (one statement, no read-then-write); the last has 32 random bits, so in
 * practice one of them is always free.
 */
export function usernameCandidates(base: string): string[] {
  const candidates = [base, `${base}_${randomDigits(4)}`, `${base}_${randomDigits(4)}`, `${base.slice(0, 21)}_${randomHex(4)}`];
  return candidates.filter((name) => USERNAME.test(name));
}
