import { errors, jwtVerify, SignJWT } from "jose";
import { ApiError } from "../errors";

/** Claims of an access token (DESIGN §3): who, with which role, from which session, at which token_version. */
export interface AccessClaims {
  sub: string;
  role: "user" | "creator" | "premium" | "moderator" | "admin";
  sid: string;
  tv: number;
}

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ISSUER = "veza";
const AUDIENCE = "veza-api";

const keys = new Map<string, Uint8Array>();
function keyFor(secret: string): Uint8Array {
  let key = keys.get(secret);
  if (!key) {
    if (secret.length < 32) throw new Error("JWT_SECRET must be at least 32 characters");
    key = new TextEncoder().encode(secret);
    keys.set(secret, key);
  }
  return key;
}

export async function signAccessToken(claims: AccessClaims, secret: string, now = new Date()): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ role: claims.role, sid: claims.sid, tv: claims.tv })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ACCESS_TOKEN_TTL_SECONDS)
    .sign(keyFor(secret));
}

/**
 * Verifies signature (HS256 only: `alg: none` and every other algorithm are refused), issuer,
 * audience and expiry. Any failure is a 401 `invalid_token` that says which, never why in detail.
 */
export async function verifyAccessToken(token: string, secret: string): Promise<AccessClaims & { exp: number }> {
  try {
    const { payload } = await jwtVerify(token, keyFor(secret), { algorithms: ["HS256"], issuer: ISSUER, audience: AUDIENCE });
    const { sub, role, sid, tv, exp } = payload as Record<string, unknown>;
    if (typeof sub !== "string" || typeof role !== "string" || typeof sid !== "string" || typeof tv !== "number" || typeof exp !== "number") {
      throw new ApiError("invalid_token", "The access token is malformed.");
    }
    return { sub, role: role as AccessClaims["role"], sid, tv, exp };
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (err instanceof errors.JWTExpired) throw new ApiError("invalid_token", "The access token has expired.", { headers: { "WWW-Authenticate": 'Bearer error="invalid_token"' } });
    throw new ApiError("invalid_token", "The access token is not valid.", { headers: { "WWW-Authenticate": 'Bearer error="invalid_token"' } });
  }
}
