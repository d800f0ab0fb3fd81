import { sql, type SQL } from "drizzle-orm";
import type { Context } from "hono";
import type { InboxEvent } from "../../../durable-objects/user-inbox/protocol";
import type { AppEnv } from "../../env";
import { parseJson } from "../../lib/json-value";
import { eitherBlocked, type UserRef } from "../blocks/either-blocked";
import { deliverLater } from "../inbox/inbox-object";
import type { NotificationType } from "./schemas";
import { wantsNotification } from "./wants-notification";

/**
 * Creating notifications from any domain, inside that domain's own write statement (no extra round
 * trip), then pushing them to the recipients' live inbox sockets after the response.
 *
 * Usage, in three steps (see src/domains/posts/like-post.ts for a complete one):
 *
 *   const { rows } = await db.execute(sql`
 *     WITH liked AS (INSERT INTO post_likes ... ON CONFLICT DO NOTHING RETURNING post_id),
 *          notified AS (${notifyInsert({
 *            from: sql`liked l JOIN posts p ON p.id = l.post_id`,   // the rows to notify about
 *            recipient: sql`p.user_id`,                              // one recipient per row
 *            actor: userId,                                          // who caused it
 *            type: "like",
 *            entity: { type: "post", id: sql`p.id` },
 *            body: sql`left(p.content, 280)`,
 *          })})
 *     SELECT ..., ${notifiedJson("notified")} AS notifications`);
 *   deliverNotifications(c, rows[0].notifications);
 *
 * `notifyInsert` is a CTE body (INSERT ... SELECT ... RETURNING). Whatever the caller selects, it
 * never notifies the actor themselves, a deleted or banned recipient, one who turned that kind
 * off (`wantsNotification`, user_settings.email_on_*), nor anyone on either side of a block with
 * the actor. Put it after the CTE that does the write and read from that CTE's RETURNING: a
 * repeated idempotent write (ON CONFLICT DO NOTHING) returns no row, so it notifies nobody twice.
 * `once: true` also skips a recipient who already has a live notification of this type, actor
 * and entity (a like, unlike and like again notifies once).
 *
 * The statement's other parts do not see the inserted rows (one snapshot); select them with
 * `notifiedJson(cte)`, and hand that column to `deliverNotifications` once the statement succeeded.
 */
export interface NotificationDraft {
  /** A FROM list (tables, CTEs, joins) yielding one row per notification to create. */
  from: SQL;
  /** The recipient's user id, an expression over `from`. */
  recipient: SQL;
  /** Who caused it: a user id or an expression over `from`. */
  actor: UserRef;
  type: NotificationType;
  /** What it is about (both or neither: chk_notifications_entity_pair). */
  entity?: { type: string; id: SQL };
  title?: SQL;
  body?: SQL;
  /** A jsonb expression over `from` (defaults to '{}'). */
  data?: SQL;
  /** More conditions over `from`, ANDed. */
  where?: SQL;
  /** Skip recipients who already have a live notification of this type, actor and entity. */
  once?: boolean;
}

const ref = (user: UserRef): SQL => (typeof user === "string" ? sql`${user}::uuid` : user);

/** The columns a created notification is returned with (GET /v1/me/notifications' row, with ids instead of the actor's card). */
const RETURNING = sql.raw(
  `RETURNING id, user_id, actor_id, type, entity_type, entity_id, title, body, data, is_read, ` +
    `to_char(read_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS read_at, ` +
    `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at`,
);

/** A CTE body inserting the notifications `draft` describes (see the file's comment). */
export function notifyInsert(draft: NotificationDraft): SQL {
  const recipient = draft.recipient;
  const actor = ref(draft.actor);
  const entityId = draft.entity ? sql`${draft.entity.id}` : sql`NULL::uuid`;
  return sql`
    INSERT INTO notifications (user_id, actor_id, type, entity_type, entity_id, title, body, data)
    SELECT DISTINCT ON (${recipient}) ${recipient}, ${actor}, ${draft.type}::notification_type,
           ${draft.entity ? draft.entity.type : null}::varchar, ${entityId},
           ${draft.title ?? sql`NULL`}::varchar, ${draft.body ?? sql`NULL`}::text, COALESCE(${draft.data ?? sql`NULL`}::jsonb, '{}'::jsonb)
      FROM ${draft.from}
     WHERE ${recipient} IS DISTINCT FROM ${actor}
       AND EXISTS (SELECT 1 FROM users nr WHERE nr.id = ${recipient} AND nr.deleted_at IS NULL AND NOT nr.is_banned)
       AND ${wantsNotification(recipient, draft.type)}
       AND NOT ${eitherBlocked(recipient, actor)}
       ${draft.where ? sql`AND ${draft.where}` : sql``}
       ${
         draft.once
           ? sql`AND NOT EXISTS (SELECT 1 FROM notifications dup WHERE dup.actor_id = ${actor} AND dup.user_id = ${recipient}
                                AND dup.type = ${draft.type}::notification_type AND dup.entity_id IS NOT DISTINCT FROM ${entityId}
                                AND dup.deleted_at IS NULL)`
           : sql``
       }
    ${RETURNING}`;
}

/** A jsonb array of the rows a `notifyInsert` CTE named `cte` created, for the statement's SELECT list. */
export const notifiedJson = (cte: string): SQL =>
  sql`(SELECT COALESCE(jsonb_agg(to_jsonb(nn)), '[]'::jsonb) FROM ${sql.raw(cte)} nn)`;

/** A notification as pushed to its recipient's inbox: the row GET /v1/me/notifications lists, with `actor_id` instead of the actor's card. */
export interface PushedNotification {
  id: string;
  user_id: string;
  actor_id: string | null;
  type: NotificationType;
  entity_type: string | null;
  entity_id: string | null;
  title: string | null;
  body: string | null;
  data: Record<string, unknown>;
  is_read: boolean;
  read_at: string | null;
  created_at: string;
}

/** The inbox frame of a created notification (protocol.ts: `notification`). */
export interface NotificationFrame extends InboxEvent {
  type: "notification";
  notification: PushedNotification;
}

/** Parses a `notifiedJson` column (parsed or text, possibly null). */
export const toNotifications = (value: unknown): PushedNotification[] => parseJson<PushedNotification[]>(value) ?? [];

/**
 * Pushes created notifications (a `notifiedJson` column, or parsed ones) to their recipients'
 * connected devices after the response (deliverLater): a hint, the database is the record.
 */
export function deliverNotifications(c: Context<AppEnv>, created: unknown): void {
  const list = Array.isArray(created) ? (created as PushedNotification[]) : toNotifications(created);
  const frames: Array<{ userId: string; frame: NotificationFrame }> = list.map((notification) => ({
    userId: notification.user_id,
    frame: { type: "notification", notification },
  }));
  deliverLater(c, frames);
}
