import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { base64url, fromBase64url } from "../../lib/crypto";
import { ApiError, forbidden } from "../../lib/errors";
import { parseJson } from "../../lib/json-value";
import { blockHides } from "../blocks/either-blocked";
import { preciseIso } from "../tracks/track-view";
import { actorColumn, actorCte, actorOf, liveGroup } from "./access";
import { memberJson, toMember } from "./member-view";
import { roleRankSql } from "./roles";
import type { Member } from "./schemas";

const PRECISE_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The members list sorts by role before join time, so its cursor carries three keys (the rank, the
 * microsecond joined_at, the user id) where src/lib/cursor.ts carries two; opaque all the same.
 */
export const encodeMemberCursor = (rank: number, at: string, id: string) => base64url(new TextEncoder().encode(JSON.stringify([rank, at, id])));

export function decodeMemberCursor(cursor: string): [number, string, string] {
  try {
    const value = JSON.parse(new TextDecoder().decode(fromBase64url(cursor))) as unknown;
    if (Array.isArray(value) && value.length === 3 && Number.isInteger(value[0]) && value[0] >= 0 && value[0] <= 3 && PRECISE_ISO.test(String(value[1])) && UUID.test(String(value[2]))) {
      return [value[0] as number, value[1] as string, value[2] as string];
    }
  } catch {
    // falls through to the 422
  }
  throw new ApiError("validation_failed", "The cursor is not valid.", { errors: [{ path: "query.cursor", message: "is not a cursor this API gave" }] });
}

/**
 * GET /v1/groups/:slug/members: active members, owner first, then admins, moderators and members,
 * each by join time (keyset over idx_group_members_group_rank_joined). A public group's members are
 * listed to anyone, a private group's to its members only (403 to others: its page is public, its
 * members are not); someone banned from the group gets 403. Left out, as follows lists do: banned
 * and deleted accounts, private profiles (but the viewer's own), and anyone with a block either way
 * with the viewer; member_count still counts them. The rule is in the statement's WHERE, so rows
 * are never read for someone who may not see them. One statement.
 */
export async function listMembers(db: Database, slug: string, viewerId: string | null, query: { limit: number; cursor?: string }): Promise<{ items: Member[]; next_cursor: string | null }> {
  const after = query.cursor ? decodeMemberCursor(query.cursor) : null;
  const rank = roleRankSql("m.role");
  const { rows } = await db.execute<{ actor: unknown; items: unknown }>(sql`
    WITH actor AS (${actorCte(slug, viewerId)})
    SELECT ${actorColumn}, (
      SELECT COALESCE(json_agg(json_build_object('view', x.view, 'rank', x.rank, 'cursor_at', x.cursor_at, 'user_id', x.user_id)
                               ORDER BY x.rank, x.joined_at, x.user_id), '[]'::json)
        FROM (SELECT ${memberJson} AS view, ${rank} AS rank, ${preciseIso("m.joined_at")} AS cursor_at, m.joined_at, m.user_id
                FROM group_members m
                JOIN users u ON u.id = m.user_id AND u.deleted_at IS NULL AND NOT u.is_banned
                LEFT JOIN user_profiles p ON p.user_id = u.id
               WHERE m.group_id = (SELECT group_id FROM actor) AND m.status = 'active'
                 AND EXISTS (SELECT 1 FROM actor a WHERE a.status IS DISTINCT FROM 'banned' AND (a.group_type = 'public' OR a.status = 'active'))
                 AND (p.profile_visibility IS DISTINCT FROM 'private' OR u.id = ${viewerId}::uuid)
                 AND NOT ${blockHides(viewerId, sql`u.id`)}
                 ${after ? sql`AND (${rank}, m.joined_at, m.user_id) > (${after[0]}::int, ${after[1]}::timestamptz, ${after[2]}::uuid)` : sql``}
               ORDER BY ${rank}, m.joined_at, m.user_id
               LIMIT ${query.limit + 1}) x) AS items`);
  const row = rows[0]!;
  const actor = liveGroup(actorOf(row.actor));
  if (actor.status === "banned") throw forbidden("You are banned from this group.");
  if (actor.group_type === "private" && actor.status !== "active") throw forbidden("Only members see a private group's members.");
  const all = parseJson<Array<{ view: unknown; rank: number; cursor_at: string; user_id: string }>>(row.items) ?? [];
  const page = all.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((item) => toMember(item.view)),
    next_cursor: all.length > query.limit && last ? encodeMemberCursor(Number(last.rank), last.cursor_at, last.user_id) : null,
  };
}
