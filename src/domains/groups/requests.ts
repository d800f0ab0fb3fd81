import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { ApiError, notFound } from "../../lib/errors";
import { parseJson } from "../../lib/json-value";
import { eitherBlocked } from "../blocks/either-blocked";
import { notifiedJson, notifyInsert } from "../notifications/notify";
import { preciseIso } from "../tracks/track-view";
import { actorColumn, actorCte, actorIsSql, actorOf, targetColumn, targetCte, targetOf, withRole } from "./access";
import { memberJson, toMember } from "./member-view";
import { removeMembership } from "./moderation";
import type { Member } from "./schemas";

/**
 * Join requests ('pending' rows of group_members): listed to the group's moderators, admins and
 * owner, who approve or reject them. Each operation is one statement.
 */

const STAFF = "Only the group's moderators, admins and owner handle join requests.";

/**
 * GET /v1/groups/:slug/requests: pending requests, oldest first (keyset on joined_at — when they
 * asked — and user id, over idx_group_members_group_status_joined). Banned and deleted accounts
 * and people with a block either way with the viewer are left out.
 */
export async function listRequests(db: Database, slug: string, userId: string, query: { limit: number; cursor?: string }): Promise<{ items: Member[]; next_cursor: string | null }> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const { rows } = await db.execute<{ actor: unknown; items: unknown }>(sql`
    WITH actor AS (${actorCte(slug, userId)})
    SELECT ${actorColumn}, (
      SELECT COALESCE(json_agg(json_build_object('view', x.view, 'cursor_at', x.cursor_at, 'user_id', x.user_id) ORDER BY x.joined_at, x.user_id), '[]'::json)
        FROM (SELECT ${memberJson} AS view, ${preciseIso("m.joined_at")} AS cursor_at, m.joined_at, m.user_id
                FROM group_members m
                JOIN users u ON u.id = m.user_id AND u.deleted_at IS NULL AND NOT u.is_banned
                LEFT JOIN user_profiles p ON p.user_id = u.id
               WHERE m.group_id = (SELECT group_id FROM actor) AND m.status = 'pending' AND ${actorIsSql("moderator")}
                 AND NOT ${eitherBlocked(userId, sql`u.id`)}
                 ${after ? sql`AND (m.joined_at, m.user_id) > (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
               ORDER BY m.joined_at, m.user_id
               LIMIT ${query.limit + 1}) x) AS items`);
  const row = rows[0]!;
  withRole(actorOf(row.actor), "moderator", STAFF);
  const all = parseJson<Array<{ view: unknown; cursor_at: string; user_id: string }>>(row.items) ?? [];
  const page = all.slice(0, query.limit);
  const last = page[page.length - 1];
  return { items: page.map((item) => toMember(item.view)), next_cursor: all.length > query.limit && last ? encodeCursor(last.cursor_at, last.user_id) : null };
}

/**
 * POST /v1/groups/:slug/requests/:username/approve: the request becomes an active membership
 * (joined_at is now), and the requester gets a system notification (unless a block stands between
 * them and the approver), in the same statement.
 */
export async function approveRequest(db: Database, slug: string, userId: string, username: string): Promise<{ member: Member; notifications: unknown }> {
  const { rows } = await db.execute<{ actor: unknown; target: unknown; approved: unknown; notifications: unknown }>(sql`
    WITH actor AS (${actorCte(slug, userId)}),
    target AS (${targetCte(username)}),
    approved AS (
      UPDATE group_members m SET status = 'active', approved_at = now(), joined_at = now()
       WHERE m.group_id = (SELECT group_id FROM actor) AND m.user_id = (SELECT user_id FROM target) AND m.status = 'pending'
         AND ${actorIsSql("moderator")}
      RETURNING m.*
    ),
    notified AS (${notifyInsert({
      from: sql`approved ap JOIN actor ag ON ag.group_id = ap.group_id`,
      recipient: sql`ap.user_id`,
      actor: userId,
      type: "system",
      entity: { type: "group", id: sql`ap.group_id` },
      title: sql`left('Welcome to ' || ag.name, 255)`,
      body: sql`'Your request to join ' || ag.name || ' was approved.'`,
      data: sql`jsonb_build_object('event', 'group_request_approved', 'group_slug', ag.slug)`,
    })})
    SELECT ${actorColumn}, ${targetColumn}, (SELECT ${memberJson} FROM approved m JOIN users u ON u.id = m.user_id LEFT JOIN user_profiles p ON p.user_id = u.id) AS approved,
           ${notifiedJson("notified")} AS notifications`);
  const row = rows[0]!;
  if (row.approved) return { member: toMember(row.approved), notifications: row.notifications };
  throw noRequest(row.actor, row.target);
}

/** POST /v1/groups/:slug/requests/:username/reject: the request is removed; they may ask again. */
export async function rejectRequest(db: Database, slug: string, userId: string, username: string): Promise<void> {
  const row = await removeMembership(db, slug, userId, username, "pending");
  if (row.removed) return;
  throw noRequest(row.actor, row.target);
}

function noRequest(actor: unknown, target: unknown): ApiError {
  withRole(actorOf(actor), "moderator", STAFF);
  if (targetOf(target)?.status !== "pending") return notFound("This join request");
  return new ApiError("conflict", "The request changed while this was being done; try again.");
}
