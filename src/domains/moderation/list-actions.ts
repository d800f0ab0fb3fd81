import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { parseJson } from "../../lib/json-value";
import { actionJson } from "./action-view";
import type { Action } from "./schemas";

/** GET /v1/moderation/users/:id/actions: the latest 100 actions about one person (idx_moderation_actions_target_user_id_created_at). */
export async function listUserActions(db: Database, userId: string): Promise<{ items: Action[] }> {
  const { rows } = await db.execute<{ action: unknown }>(sql`
    SELECT ${actionJson} AS action FROM moderation_actions a
     WHERE a.target_user_id = ${userId}::uuid ORDER BY a.created_at DESC, a.id DESC LIMIT 100`);
  return { items: rows.map((r) => parseJson<Action>(r.action)!) };
}
