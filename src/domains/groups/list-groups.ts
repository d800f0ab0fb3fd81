import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { selectGroup, toGroup, type GroupRow } from "./group-view";
import type { Group } from "./schemas";

interface Page {
  limit: number;
  cursor?: string;
}

/** A page and the cursor after its last group (`at`: the sort timestamp of a row). */
function toPage(rows: GroupRow[], limit: number, at: (row: GroupRow) => string = (row) => row.cursor_at) {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(toGroup), next_cursor: rows.length > limit && last ? encodeCursor(at(last), last.id) : null };
}

/** `%`, `_` and `\` typed by the user match themselves. */
const containing = (q: string) => `%${q.replace(/[\\%_]/g, "\\$&")}%`;

/**
 * GET /v1/groups: live public groups, newest first (keyset on created_at, id over
 * idx_groups_public_created_at), optionally whose name contains `q`. Private groups are never
 * listed; groups the viewer is banned from are left out. No ranking by activity or popularity
 * (spec §17). One statement.
 */
export async function discoverGroups(db: Database, viewerId: string | null, query: Page & { q?: string }): Promise<{ items: Group[]; next_cursor: string | null }> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const { rows } = await db.execute<GroupRow>(sql`
    ${selectGroup(sql`groups`, viewerId)}
      AND g.group_type = 'public' AND m.status IS DISTINCT FROM 'banned'
      ${query.q ? sql`AND g.name ILIKE ${containing(query.q)}` : sql``}
      ${after ? sql`AND (g.created_at, g.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
     ORDER BY g.created_at DESC, g.id DESC
     LIMIT ${query.limit + 1}`);
  return toPage(rows, query.limit);
}

/**
 * GET /v1/me/groups: the live groups the caller is an active member of (or, with status=pending,
 * has asked to join), latest joined first, each with the caller's role. Keyset on (joined_at,
 * group id) over idx_group_members_user_joined. One statement.
 */
export async function listMyGroups(db: Database, userId: string, query: Page & { status: "active" | "pending" }): Promise<{ items: Group[]; next_cursor: string | null }> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const { rows } = await db.execute<GroupRow>(sql`
    ${selectGroup(sql`groups`, userId)}
      AND m.status = ${query.status}
      ${after ? sql`AND (m.joined_at, g.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
     ORDER BY m.joined_at DESC, g.id DESC
     LIMIT ${query.limit + 1}`);
  return toPage(rows, query.limit, (row) => row.my_joined_cursor!);
}
