import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { MailSendMessage } from "../../src/domains/mail/message";
import { runJob } from "../../src/jobs/schedule";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { capturingQueue } from "../helpers/queues";
import { openInbox } from "../inbox/sockets";
import { mailbox } from "../mail/outbox";
import { banUser, dayFromToday, item, softDeleteUser, warranty } from "./fixtures";

/**
 * The daily warranty reminder. Other test files run the daily cron concurrently (some with
 * far-future clocks), and any run may be the one that reminds a warranty made here: every assertion
 * is about this file's own rows (the notifications of a warranty, its expiry_notified_at, the mail to
 * its owner), never about a run's counts.
 */

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const readable = (day: string) => {
  const [y, m, d] = day.split("-").map(Number);
  return `${MONTHS[m! - 1]} ${d}, ${y}`;
};

async function runReminders() {
  const { queue, sent } = capturingQueue();
  await runJob("warranty-expiry-reminders", { ...env, JOBS_QUEUE: queue }, new Date());
  return sent as MailSendMessage[];
}

const notificationsOf = (warrantyId: string) =>
  sql.query(
    `SELECT user_id, actor_id, type::text AS type, entity_type, title, body, data FROM notifications
      WHERE entity_type = 'equipment_warranty' AND entity_id = $1 ORDER BY created_at`,
    [warrantyId],
  );
const notifiedAt = async (warrantyId: string) =>
  (await sql.query("SELECT expiry_notified_at FROM equipment_warranties WHERE id = $1", [warrantyId]))[0]!.expiry_notified_at;

/** The reminder mails to `user`: queued by this file's run, or — when a concurrent cron got there first — delivered to the dev mailbox. */
async function remindersMailedTo(user: SignedInUser, captured: MailSendMessage[]) {
  const mine = captured.filter((m) => m.to === user.email);
  if (mine.length) return mine.map((m) => ({ subject: m.subject, text: m.text }));
  for (let attempt = 0; attempt < 60; attempt++) {
    const delivered = await mailbox(user.email);
    if (delivered.length) return delivered.map((m) => ({ subject: m.subject, text: m.text }));
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return [];
}

describe("the warranty expiry reminder (daily job)", () => {
  it("notifies the owner once, 30 days ahead, with a readable message and an email", async () => {
    const ada = await signedInUser();
    const mic = await item(ada, { brand: "Neumann", model: "U87" });
    const end = dayFromToday(20);
    const due = await warranty(ada, mic.id, { provider: "Thomann", start_date: "2024-01-01", end_date: end });
    const later = await warranty(ada, mic.id, { start_date: "2024-01-01", end_date: dayFromToday(45) });
    const past = await warranty(ada, mic.id, { start_date: "2020-01-01", end_date: dayFromToday(-1) });

    const captured = await runReminders();
    const body = `Your warranty for Neumann U87 from Thomann ends on ${readable(end)}.`;
    expect(await notificationsOf(due.id)).toEqual([
      {
        user_id: ada.id,
        actor_id: null,
        type: "system",
        entity_type: "equipment_warranty",
        title: "Warranty ending soon",
        body,
        data: { kind: "warranty_expiry", equipment_id: mic.id, warranty_id: due.id, end_date: end },
      },
    ]);
    expect(await notifiedAt(due.id)).not.toBeNull();
    for (const w of [later, past]) {
      expect(await notificationsOf(w.id)).toEqual([]);
      expect(await notifiedAt(w.id)).toBeNull();
    }
    const mails = await remindersMailedTo(ada, captured);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe("A warranty of yours ends soon");
    expect(mails[0]!.text).toContain(body);

    // the owner sees it in their notifications
    const inbox = await api("GET", "/v1/me/notifications", { headers: ada.headers });
    expect(inbox.body.items.map((n: { body: string }) => n.body)).toContain(body);

    // a second run changes nothing
    const again = await runReminders();
    expect(await notificationsOf(due.id)).toHaveLength(1);
    expect(again.filter((m) => m.to === ada.email)).toEqual([]);
  });

  it("pushes the notification to the owner's open devices", async () => {
    const ada = await signedInUser();
    const phone = await openInbox(ada); // open before the warranty exists: whichever run reminds it, the frame comes here
    const mine = await item(ada, { brand: "Elektron", model: "Digitakt" });
    const w = await warranty(ada, mine.id, { provider: "Elektron", start_date: "2024-01-01", end_date: dayFromToday(12) });
    await runReminders();
    const frame = await phone.next((f) => f.type === "notification", "the reminder");
    expect(frame.notification).toMatchObject({
      user_id: ada.id,
      actor_id: null,
      type: "system",
      entity_type: "equipment_warranty",
      entity_id: w.id,
      body: `Your warranty for Elektron Digitakt from Elektron ends on ${readable(dayFromToday(12))}.`,
    });
    phone.ws.close();
  });

  it("reminds every due warranty of an owner, each once, in one run", async () => {
    const ada = await signedInUser();
    const a = await item(ada, { brand: "Fender", model: "Strat" });
    const b = await item(ada, { brand: "Roland", model: "Juno-60" });
    const ws = [
      await warranty(ada, a.id, { start_date: "2024-01-01", end_date: dayFromToday(5) }),
      await warranty(ada, a.id, { provider: "AXA", warranty_type: "insurance", start_date: "2024-01-01", end_date: dayFromToday(0) }),
      await warranty(ada, b.id, { start_date: "2024-01-01", end_date: dayFromToday(30) }),
    ];
    await runReminders();
    for (const w of ws) {
      expect(await notificationsOf(w.id), w.id).toHaveLength(1);
      expect(await notifiedAt(w.id)).not.toBeNull();
    }
  });

  it("skips deleted items and banned or deleted owners, and sends no email to those who turned email off", async () => {
    const [ada, banned, gone, quiet] = await Promise.all([signedInUser(), signedInUser(), signedInUser(), signedInUser()]);
    const deletedItem = await item(ada);
    const onDeleted = await warranty(ada, deletedItem.id, { start_date: "2024-01-01", end_date: dayFromToday(10) });
    await api("DELETE", `/v1/me/equipment/${deletedItem.id}`, { headers: ada.headers });
    const ofBanned = await warranty(banned, (await item(banned)).id, { start_date: "2024-01-01", end_date: dayFromToday(10) });
    await banUser(banned.id);
    const ofGone = await warranty(gone, (await item(gone)).id, { start_date: "2024-01-01", end_date: dayFromToday(10) });
    await softDeleteUser(gone.id);
    await sql.query("UPDATE user_settings SET email_notifications = false WHERE user_id = $1", [quiet.id]);
    const ofQuiet = await warranty(quiet, (await item(quiet)).id, { start_date: "2024-01-01", end_date: dayFromToday(10) });

    const captured = await runReminders();
    for (const w of [onDeleted, ofBanned, ofGone]) {
      expect(await notificationsOf(w.id)).toEqual([]);
      expect(await notifiedAt(w.id)).toBeNull();
    }
    expect(await notificationsOf(ofQuiet.id)).toHaveLength(1);
    expect(captured.filter((m) => [ada.email, banned.email, gone.email, quiet.email].includes(m.to))).toEqual([]);
    expect(await mailbox(quiet.email)).toEqual([]);
  });

  it("re-arms the reminder when the end date moves, not on other edits", async () => {
    const ada = await signedInUser();
    const mine = await item(ada, { brand: "Moog", model: "Sub 37" });
    const w = await warranty(ada, mine.id, { provider: "Moog", start_date: "2024-01-01", end_date: dayFromToday(15) });
    await runReminders();
    expect(await notificationsOf(w.id)).toHaveLength(1);

    const path = `/v1/me/equipment/${mine.id}/warranties/${w.id}`;
    const renamed = await api("PATCH", path, { body: { provider: "Moog Music" }, headers: ada.headers });
    expect(renamed.body.expiry_notified_at).not.toBeNull();
    await runReminders();
    expect(await notificationsOf(w.id)).toHaveLength(1);

    const moved = await api("PATCH", path, { body: { end_date: dayFromToday(25) }, headers: ada.headers });
    expect(moved.status).toBe(200);
    expect(moved.body.expiry_notified_at).toBeNull();
    await runReminders();
    const notes = await notificationsOf(w.id);
    expect(notes).toHaveLength(2);
    expect(notes[1]!.body).toBe(`Your warranty for Moog Sub 37 from Moog Music ends on ${readable(dayFromToday(25))}.`);
  });
});
