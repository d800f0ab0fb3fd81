import { sql } from "drizzle-orm";
import { composeMail, appLink } from "../domains/mail/compose";
import { enqueueMail } from "../domains/mail/enqueue";
import { inboxOf } from "../domains/inbox/inbox-object";
import { notifyInsert, type NotificationFrame, type PushedNotification } from "../domains/notifications/notify";
import type { JobContext } from "./schedule";

/** How long before its end a warranty's owner is reminded. */
export const WARRANTY_NOTICE_DAYS = 30;
/** Owners per round (one warranty each, see below) and rounds per run; the next run takes the rest. */
export const WARRANTY_REMINDERS_BATCH = 500;
export const WARRANTY_REMINDER_ROUNDS = 10;

type Reminded = {
  warranty_id: string;
  equipment_id: string;
  user_id: string;
  /** The notification created, as the inbox pushes it (null if notifyInsert declined it). */
  notification: PushedNotification | string | null;
  email: string;
  username: string;
  wants_email: boolean;
  body: string;
};

/**
 * One round, one statement: for at most WARRANTY_REMINDERS_BATCH owners, the soonest-ending warranty
 * that ends within WARRANTY_NOTICE_DAYS and has not been notified gets its notification (type
 * system, no actor) and its expiry_notified_at, together. One warranty per owner per round because
 * notifyInsert creates at most one notification per recipient per statement; the caller runs
 * rounds while more is pending. "Today" is LEAST(the job's clock, the database's): a cron replayed
 * with a far-future clock never notifies early. A deleted item, or a banned or deleted owner, is
 * skipped (and left pending: an owner unbanned in time still hears of it).
 */
function remindRound(now: Date) {
  return sql`
    WITH clock AS (
      SELECT (LEAST(${now.toISOString()}::timestamptz, now()) AT TIME ZONE 'UTC')::date AS today
    ), pending AS (
      SELECT w.id, w.end_date, w.provider, e.id AS equipment_id, e.brand, e.model, e.user_id
        FROM equipment_warranties w
        JOIN equipment e ON e.id = w.equipment_id AND e.deleted_at IS NULL
        JOIN users u ON u.id = e.user_id AND u.deleted_at IS NULL AND NOT u.is_banned
        CROSS JOIN clock k
       WHERE w.expiry_notified_at IS NULL AND w.end_date >= k.today AND w.end_date <= k.today + ${WARRANTY_NOTICE_DAYS}::int
    ), picked AS (
      SELECT * FROM (SELECT DISTINCT ON (p.user_id) p.* FROM pending p ORDER BY p.user_id, p.end_date, p.id) one
       ORDER BY one.end_date, one.id
       LIMIT ${WARRANTY_REMINDERS_BATCH}
    ), marked AS (
      -- re-checked on the row itself: a concurrent run that marked it first wins, and nothing is sent twice
      UPDATE equipment_warranties w SET expiry_notified_at = now()
        FROM picked p WHERE w.id = p.id AND w.expiry_notified_at IS NULL
      RETURNING w.id
    ), reminded AS (
      SELECT p.*, 'Your warranty for ' || p.brand || ' ' || p.model || ' from ' || p.provider || ' ends on '
                  || to_char(p.end_date, 'FMMonth FMDD, YYYY') || '.' AS body
        FROM picked p JOIN marked m ON m.id = p.id
    ), notified AS (${notifyInsert({
      from: sql`reminded r`,
      recipient: sql`r.user_id`,
      actor: sql`NULL::uuid`,
      type: "system",
      entity: { type: "equipment_warranty", id: sql`r.id` },
      title: sql`'Warranty ending soon'`,
      body: sql`r.body`,
      data: sql`jsonb_build_object('kind', 'warranty_expiry', 'equipment_id', r.equipment_id, 'warranty_id', r.id,
                                   'end_date', to_char(r.end_date, 'YYYY-MM-DD'))`,
    })})
    SELECT r.id AS warranty_id, r.equipment_id, r.user_id, u.email, u.username, r.body,
           (SELECT to_jsonb(n) FROM notified n WHERE n.user_id = r.user_id) AS notification,
           COALESCE((SELECT s.email_notifications FROM user_settings s WHERE s.user_id = r.user_id), true)
             AND EXISTS (SELECT 1 FROM notified n WHERE n.user_id = r.user_id) AS wants_email,
           (SELECT count(*) FROM pending)::int - (SELECT count(*) FROM marked)::int AS left_over
      FROM reminded r JOIN users u ON u.id = r.user_id`;
}

/**
 * Daily: "your warranty ends in 30 days" — one in-app notification per warranty, and an email to
 * owners whose settings keep email_notifications on. Idempotent (expiry_notified_at, cleared by the
 * migration's trigger when end_date changes, so an extended warranty is reminded again) and bounded
 * (WARRANTY_REMINDER_ROUNDS rounds of WARRANTY_REMINDERS_BATCH). Mail leaves through the queue after
 * the rows are committed, as does the push to the owner's open inbox sockets; a failure of either is
 * logged, the notification stands.
 */
export async function remindWarrantyExpiry({ db, env, log, now }: JobContext): Promise<Record<string, number>> {
  const counts = { notified: 0, emailed: 0, rounds: 0 };
  while (counts.rounds < WARRANTY_REMINDER_ROUNDS) {
    counts.rounds++;
    const { rows } = await db.execute<Reminded & { left_over: number }>(remindRound(now));
    counts.notified += rows.length;
    await pushToInboxes(env, log, rows);
    for (const row of rows.filter((r) => r.wants_email)) {
      try {
        await enqueueMail(env, warrantyMail(env.APP_URL, row));
        counts.emailed++;
      } catch (err) {
        log.warn("warranty reminder: mail not queued", { warrantyId: row.warranty_id, error: err instanceof Error ? err.message : String(err) });
      }
    }
    if (rows.length === 0 || Number(rows[0]!.left_over) <= 0) break;
  }
  return counts;
}

/** Live devices hear of it at once (a hint: the notification row is the record, fetched by REST). */
async function pushToInboxes(env: JobContext["env"], log: JobContext["log"], rows: Reminded[]) {
  await Promise.all(
    rows.map(async (row) => {
      if (!row.notification) return;
      const notification = (typeof row.notification === "string" ? JSON.parse(row.notification) : row.notification) as PushedNotification;
      const frame: NotificationFrame = { type: "notification", notification };
      try {
        await inboxOf(env, row.user_id).deliver(frame);
      } catch (err) {
        log.warn("warranty reminder: inbox delivery failed", { error: err instanceof Error ? err.message : String(err) });
      }
    }),
  );
}

function warrantyMail(appUrl: string, row: Reminded) {
  return composeMail({
    to: row.email,
    subject: "A warranty of yours ends soon",
    greeting: `Hi ${row.username},`,
    intro: [row.body, "If it needs a repair or a claim, now is the time; if you extended it, update its end date and we will remind you again."],
    action: { label: "See your equipment", url: appLink(appUrl, `equipment/${row.equipment_id}`, {}) },
    outro: ["You get this email because email notifications are on in your settings."],
  });
}
