/** Small WebCrypto helpers shared by auth, sessions and encrypted columns. */

const encoder = new TextEncoder();

export function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64url(text: string): Uint8Array {
  const s = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** A random token of `bytes` bytes (256 bits by default), base64url: refresh, reset, verification tokens. */
export function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** Lowercase hex of `bytes` (SHA-256 digests as stored in the database). */
export const toHex = (bytes: ArrayBuffer | Uint8Array): string =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/** Constant-time comparison of two strings of any length. */
export function timingSafeEqual(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

const keyCache = new Map<string, Promise<CryptoKey>>();

function aesKey(keyBase64: string): Promise<CryptoKey> {
  let key = keyCache.get(keyBase64);
  if (!key) {
    const raw = fromBase64url(keyBase64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""));
    if (raw.length !== 32) throw new Error("ENCRYPTION_KEY must be 32 bytes, base64-encoded");
    key = crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
    keyCache.set(keyBase64, key);
  }
  return key;
}

/**
 * AES-256-GCM for sensitive columns (TOTP secrets, OAuth tokens, cloud credentials):
 * "v1.<iv>.<ciphertext+tag>", base64url. A fresh 96-bit IV per value.
 */
export async function encryptSecret(plaintext: string, keyBase64: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await aesKey(keyBase64), encoder.encode(plaintext)));
  return `v1.${base64url(iv)}.${base64url(ct)}`;
}

export async function decryptSecret(sealed: string, keyBase64: string): Promise<string> {
  const [version, iv, ct] = sealed.split(".");
  if (version !== "v1" || !iv || !ct) throw new Error("unknown ciphertext format");
  const pt = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64url(iv) }, await aesKey(keyBase64), fromBase64url(ct));
  return new TextDecoder().decode(pt);
}

const derivedKeys = new Map<string, Promise<Uint8Array>>();

/**
 * A key of its own for one kind of signed token: HMAC-SHA-256(secret, label). Tokens of different
 * kinds (access tokens, export links, 2FA tickets) then never verify under each other's key.
 */
export function derivedKey(secret: string, label: string): Promise<Uint8Array> {
  const cacheKey = `${label}\u0000${secret}`;
  let key = derivedKeys.get(cacheKey);
  if (!key) {
    key = (async () => {
      const hmac = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      return new Uint8Array(await crypto.subtle.sign("HMAC", hmac, encoder.encode(label)));
    })();
    derivedKeys.set(cacheKey, key);
  }
  return key;
}
