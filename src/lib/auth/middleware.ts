import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../env";
import { ApiError } from "../errors";
import { loadAuthState, type AuthState } from "./state";
import { verifyAccessToken } from "./tokens";

/** The signed-in user of a request, as `c.var.auth`. */
export interface AuthContext {
  userId: string;
  role: AuthState["role"];
  sessionId: string;
  /** When the access token expires (ms since the epoch): what a long-lived WebSocket is bound to. */
  tokenExpiresAt: number;
}

/**
 * Reads `Authorization: Bearer <jwt>` when present: verifies the token, then checks it against the
 * user's current state (token_version, ban, deletion). A request without the header, or with a bad
 * one, stays anonymous: a bad one is not refused here (public routes such as refresh and login must
 * work for clients that send a stale token), but its reason is kept as `c.var.authError`, which
 * `requireAuth` answers (401, or 403 for a banned account) instead of the generic 401.
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header("authorization");
  if (header) {
    try {
      c.set("auth", await authenticated(c.var.db, c.env.JWT_SECRET, header));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      c.set("authError", err);
    }
  }
  await next();
};

/**
 * The token check behind `authenticate`, for credentials that do not arrive in the request's own
 * Authorization header (a WebSocket upgrade's subprotocol, see ./websocket.ts): `header` is
 * "Bearer <jwt>". Throws the ApiError to answer (401, or 403 for a banned account).
 */
export async function authenticated(db: Parameters<typeof loadAuthState>[0], secret: string, header: string): Promise<AuthContext> {
  const [scheme, token] = header.split(" ");
  if (scheme?.toLowerCase() !== "bearer" || !token) throw new ApiError("invalid_token", "Use `Authorization: Bearer <access token>`.");
  const claims = await verifyAccessToken(token, secret);
  const state = await loadAuthState(db, claims.sub);
  if (!state || state.deleted) throw new ApiError("invalid_token", "This account no longer exists.");
  if (state.banned) throw new ApiError("forbidden", "This account is banned.");
  if (state.tokenVersion !== claims.tv) throw new ApiError("invalid_token", "This access token has been revoked; sign in again.");
  const auth = { userId: claims.sub, role: state.role, sessionId: claims.sid, tokenExpiresAt: claims.exp * 1000 };
  // A cached state may outlive the suspension by AUTH_STATE_TTL_SECONDS at most.
  if (state.suspendedUntil && Date.parse(state.suspendedUntil) > Date.now()) throw new AccountSuspended(auth, state.suspendedUntil);
  return auth;
}

/**
 * A suspended account's valid token: refused (403) everywhere except the routes that let the user
 * see the sanction and appeal it (src/domains/moderation), which take `auth` from this error.
 */
export class AccountSuspended extends ApiError {
  constructor(
    readonly auth: AuthContext,
    readonly suspendedUntil: string,
  ) {
    super("forbidden", `This account is suspended until ${suspendedUntil}; you may appeal the suspension.`, {
      extensions: { suspended_until: suspendedUntil },
    });
  }
}

const roleRank: Record<AuthState["role"], number> = { user: 0, premium: 0, creator: 1, moderator: 2, admin: 3 };

/**
 * Refuses anonymous requests (401) and, given roles, anyone below them (403). Roles are ranked
 * user/premium < creator < moderator < admin: an admin passes every check.
 */
export function requireAuth(minimum?: "creator" | "moderator" | "admin"): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = c.get("auth");
    if (!auth) throw c.get("authError") ?? new ApiError("unauthenticated", "Sign in to do this.", { headers: { "WWW-Authenticate": "Bearer" } });
    if (minimum && roleRank[auth.role] < roleRank[minimum]) throw new ApiError("forbidden", `This needs the ${minimum} role.`);
    await next();
  };
}

/** The signed-in user; only for handlers behind `requireAuth`. */
export function currentUser(c: { get(key: "auth"): AuthContext | undefined }): AuthContext {
  const auth = c.get("auth");
  if (!auth) throw new ApiError("unauthenticated", "Sign in to do this.");
  return auth;
}
