import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";

/** What every authenticated request must know about its user, fresher than the token. */
export interface AuthState {
  tokenVersion: number;
  role: "user" | "creator" | "premium" | "moderator" | "admin";
  banned: boolean;
  deleted: boolean;
  /** End of the account's active suspension (ISO), or null (moderation_actions, migration 0013). */
  suspendedUntil?: string | null;
}

/**
 * token_version, role, ban and deletion are checked on every request (logout-all, bans and
 * deletion revoke access tokens at once) without a database round trip on the hot path: the state
 * is kept in the edge cache for AUTH_STATE_TTL_SECONDS and purged whenever it changes. A purge
 * reaches the data centre that made the change at once and the others within the TTL.
 */
export const AUTH_STATE_TTL_SECONDS = 30;

const cacheKey = (userId: string) => new Request(`https://auth-state.veza.internal/users/${userId}`);

export async function loadAuthState(db: Database, userId: string): Promise<AuthState | null> {
  // The Cache API is an optimisation: where it is unavailable (it may be, e.g. inside a Durable
  // Object re-checking a WebSocket's token), the state is read from the database.
  const cache = cacheOrNull();
  const hit = await cache?.match(cacheKey(userId)).catch(() => undefined);
  if (hit) return (await hit.json()) as AuthState;
  const rows = await db.execute<{ token_version: number; role: AuthState["role"]; is_banned: boolean; deleted: boolean; suspended_until: string | null }>(
    sql`SELECT token_version, role, is_banned, deleted_at IS NOT NULL AS deleted,
               (SELECT to_char(max(ma.expires_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') FROM moderation_actions ma
                 WHERE ma.target_user_id = users.id AND ma.action_type = 'suspend' AND ma.reversed_at IS NULL AND ma.expires_at > now()) AS suspended_until
          FROM users WHERE id = ${userId}`,
  );
  const row = rows.rows[0];
  if (!row) return null;
  const state: AuthState = {
    tokenVersion: Number(row.token_version),
    role: row.role,
    banned: row.is_banned,
    deleted: row.deleted,
    suspendedUntil: row.suspended_until,
  };
  await cache
    ?.put(
      cacheKey(userId),
      new Response(JSON.stringify(state), { headers: { "content-type": "application/json", "cache-control": `max-age=${AUTH_STATE_TTL_SECONDS}` } }),
    )
    .catch(() => undefined);
  return state;
}

function cacheOrNull(): Cache | null {
  try {
    return caches.default;
  } catch {
    return null;
  }
}

/** Call after anything that changes a user's token_version, role, ban or deletion. */
export async function forgetAuthState(userId: string): Promise<void> {
  await caches.default.delete(cacheKey(userId));
}
