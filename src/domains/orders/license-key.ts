/** Crockford's base 32 without I, L, O, U: keys read aloud or typed by hand survive. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A licence key for one purchased item: VEZA-XXXX-XXXX-XXXX-XXXX, 80 random bits from the platform's
 * CSPRNG (unguessable; uq_order_items_license_key makes a collision fail loudly rather than be shared).
 */
export function newLicenseKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const chars = Array.from(bytes, (b) => ALPHABET[b & 31]!).join("");
  return `VEZA-${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}-${chars.slice(12, 16)}`;
}
