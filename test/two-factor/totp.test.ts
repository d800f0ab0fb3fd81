import { describe, expect, it } from "vitest";
import { base32Decode, totpCode } from "./totp";

// RFC 6238 Appendix B, the SHA-1 rows: seed "12345678901234567890" (ASCII), 8 digits, X = 30.
const RFC_SEED_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const vectors: [number, string][] = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

describe("the tests' own TOTP implementation", () => {
  it("decodes base32 to the RFC's seed", () => {
    expect(new TextDecoder().decode(base32Decode(RFC_SEED_BASE32))).toBe("12345678901234567890");
  });

  it.each(vectors)("gives the RFC 6238 SHA-1 code at T=%i", async (seconds, expected) => {
    expect(await totpCode(RFC_SEED_BASE32, new Date(seconds * 1000), 8)).toBe(expected);
  });

  it("gives six-digit codes as the last six digits of the same value", async () => {
    expect(await totpCode(RFC_SEED_BASE32, new Date(59_000))).toBe("287082");
  });
});
