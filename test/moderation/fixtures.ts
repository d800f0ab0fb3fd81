import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";

/** Fixtures of the moderation tests: staff accounts and actions through the routes. */

export const moderator = () => signedInUser({ role: "moderator" });
export const admin = () => signedInUser({ role: "admin" });

/** POST /v1/moderation/actions as `who`; answers the response. */
export const act = (who: SignedInUser, body: Record<string, unknown>) => api("POST", "/v1/moderation/actions", { headers: who.headers, body });

/** The notifications `userId` has about moderation actions, oldest first. */
export async function notices(userId: string) {
  return sql.query(
    "SELECT type, entity_type, entity_id, title, body, data FROM notifications WHERE user_id = $1 AND entity_type = 'moderation_action' ORDER BY created_at, id",
    [userId],
  );
}

/** The application audit rows about `userId` with action `action`. */
export async function auditRows(userId: string, action: string) {
  return sql.query("SELECT actor_id, action, severity, metadata FROM audit_logs WHERE user_id = $1 AND action = $2 ORDER BY created_at", [userId, action]);
}

export async function userState(userId: string) {
  const [row] = await sql.query("SELECT is_banned, token_version FROM users WHERE id = $1", [userId]);
  return row as { is_banned: boolean; token_version: number };
}
