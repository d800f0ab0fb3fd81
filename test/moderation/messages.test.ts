import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../../durable-objects/chat-room/protocol";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { join, roomStub, roomWith, type ChatClient } from "../chat/fixtures";
import { conversationsOf, messagesOf, sent } from "../direct-messages/fixtures";
import { openInbox, settle } from "../inbox/sockets";
import { act, auditRows, moderator, notices } from "./fixtures";

const reverse = (who: { headers: Record<string, string> }, actionId: string, reason = "Reviewed: it is fine") =>
  api("POST", `/v1/moderation/actions/${actionId}/reverse`, { headers: who.headers, body: { reason } });

/** Waits until Postgres holds message `id` in a state that satisfies `check` (the room flushes about every 500 ms). */
async function inPostgres(id: string, check: (row: Record<string, any>) => boolean, what: string) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const [row] = await sql.query("SELECT content, is_deleted, deleted_at, moderated_by FROM messages WHERE id = $1", [id]);
    if (row && check(row)) return row;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(row)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The room's history as a reader gets it over REST (the newest page: from the room's object). */
async function history(roomId: string, who: { headers: Record<string, string> }): Promise<ChatMessage[]> {
  const page = await api("GET", `/v1/rooms/${roomId}/messages?limit=50`, { headers: who.headers });
  expect(page.status, page.text).toBe(200);
  return page.body.items;
}

/** The client heard message `id` in a state that satisfies `check` within a second (no reconnect, no poll). */
const hearsAtOnce = (client: ChatClient, id: string, check: (m: ChatMessage) => boolean, what: string) =>
  client.until(() => {
    const m = client.latest(id);
    return m && check(m) ? m : undefined;
  }, what, 1000);

describe("moderation: a room's message, live", () => {
  it("hides a message on every open socket, in the history and in Postgres; tells its author; restores it everywhere", async () => {
    const { roomId, users } = await roomWith(1);
    const [owner, member] = users as [(typeof users)[0], (typeof users)[0]];
    const mod = await moderator();
    const o = await join(owner, roomId);
    const m = await join(member, roomId);
    const said = await m.say("Buy followers at spam.example");
    const id = said.message_id as string;
    await inPostgres(id, (r) => r.is_deleted === false, "the message's flush");
    const reported = await api("POST", "/v1/reports", { headers: owner.headers, body: { target_type: "message", target_id: id, reason_category: "spam" } });
    expect(reported.status, reported.text).toBe(201);
    expect(reported.body.target_user_id).toBe(member.id);

    const body = { action_type: "hide_content", target_type: "message", target_id: id, reason: "Spam", report_id: reported.body.id };
    // only moderators act
    expect((await act(owner, body)).status).toBe(403);
    expect((await api("POST", "/v1/moderation/actions", { body })).status).toBe(401);
    expect((await history(roomId, owner)).find((x) => x.id === id)).toMatchObject({ is_deleted: false });

    const hidden = await act(mod, body);
    expect(hidden.status, hidden.text).toBe(201);
    expect(hidden.body).toMatchObject({ action_type: "hide_content", target_type: "message", target_id: id, target_user_id: member.id, moderator_id: mod.id });
    // both open sockets hear it at once, as a room moderator's delete would be heard
    for (const client of [o, m]) {
      expect(await hearsAtOnce(client, id, (x) => x.is_deleted, "the hide")).toMatchObject({ is_deleted: true, content: "", mentions: [], reactions: [] });
    }
    expect((await history(roomId, member)).find((x) => x.id === id)).toMatchObject({ is_deleted: true, content: "" });
    expect(await inPostgres(id, (r) => r.deleted_at !== null, "the hide's flush")).toMatchObject({ is_deleted: true, moderated_by: mod.id, content: "Buy followers at spam.example" });
    expect(await notices(member.id)).toEqual([expect.objectContaining({ title: "Moderators hid your message", body: "Spam", entity_id: hidden.body.id })]);
    expect(await auditRows(member.id, "moderation.hide_content")).toEqual([expect.objectContaining({ actor_id: mod.id })]);
    const [closed] = await sql.query("SELECT status, resolved_by FROM moderation_reports WHERE id = $1", [reported.body.id]);
    expect(closed).toEqual({ status: "resolved", resolved_by: mod.id });
    // hidden already: nothing more to hide, by anyone
    expect((await act(mod, { action_type: "remove_content", target_type: "message", target_id: id, reason: "again" })).status).toBe(404);
    expect((await act(await moderator(), { action_type: "remove_content", target_type: "message", target_id: id, reason: "again" })).status).toBe(404);

    // reversing: only moderators; then the message is back everywhere
    expect((await reverse(member, hidden.body.id)).status).toBe(403);
    expect((await api("POST", `/v1/moderation/actions/${hidden.body.id}/reverse`, { body: { reason: "x" } })).status).toBe(401);
    const restored = await reverse(mod, hidden.body.id);
    expect(restored.status, restored.text).toBe(200);
    expect(restored.body).toMatchObject({ id: hidden.body.id, reversal_reason: "Reviewed: it is fine" });
    for (const client of [o, m]) {
      expect(await hearsAtOnce(client, id, (x) => !x.is_deleted, "the restore")).toMatchObject({ content: "Buy followers at spam.example", is_deleted: false });
    }
    expect((await history(roomId, owner)).find((x) => x.id === id)).toMatchObject({ is_deleted: false, content: "Buy followers at spam.example" });
    expect(await inPostgres(id, (r) => r.deleted_at === null, "the restore's flush")).toMatchObject({ is_deleted: false, moderated_by: null });
    expect((await notices(member.id)).map((n) => n.title)).toEqual(["Moderators hid your message", "Your message is visible again"]);
    expect((await reverse(mod, hidden.body.id)).status).toBe(409);
    // the room goes on
    await o.say("back to music");
    o.close();
    m.close();
  });

  it("a retry after the record failed completes it (the room hid it already), for the same moderator only; an author's own delete is not hidden", async () => {
    const { roomId, users } = await roomWith(1);
    const member = users[1]!;
    const [mod, other] = await Promise.all([moderator(), moderator()]);
    const m = await join(member, roomId);
    const first = (await m.say("first")).message_id as string;
    const second = (await m.say("second")).message_id as string;
    await inPostgres(second, () => true, "the flush");

    // as if the Worker's record had failed after the room hid it
    const config = { room_id: roomId, slow_mode_seconds: 0, is_archived: false, is_deleted: false };
    expect(await roomStub(roomId).moderate(config, first, mod.id, true)).toEqual({ found: true, changed: true, sender_id: member.id, deleted_by: mod.id });
    expect(await roomStub(roomId).moderate(config, first, mod.id, true)).toEqual({ found: true, changed: false, sender_id: member.id, deleted_by: mod.id });
    expect((await act(other, { action_type: "hide_content", target_type: "message", target_id: first, reason: "Spam" })).status).toBe(404);
    const completed = await act(mod, { action_type: "hide_content", target_type: "message", target_id: first, reason: "Spam" });
    expect(completed.status, completed.text).toBe(201);
    // ... once
    expect((await act(mod, { action_type: "hide_content", target_type: "message", target_id: first, reason: "Spam" })).status).toBe(404);

    // deleted by its author: not there to hide
    await m.ok({ type: "delete", message_id: second });
    expect((await act(mod, { action_type: "hide_content", target_type: "message", target_id: second, reason: "Spam" })).status).toBe(404);
    expect((await act(mod, { action_type: "hide_content", target_type: "message", target_id: crypto.randomUUID(), reason: "Spam" })).status).toBe(404);
    m.close();
  });
});

describe("moderation: a direct message", () => {
  it("takes it out of both sides and their inboxes at once, and gives back exactly what each side had", async () => {
    const [ada, bob, mod] = await Promise.all([signedInUser(), signedInUser(), moderator()]);
    const threat = await sent(ada, bob, "I know where you live");
    const later = await sent(ada, bob, "and your cat");
    // ada deleted the second one for herself already
    expect((await api("DELETE", `/v1/me/direct-messages/${later.id}`, { headers: ada.headers })).status).toBe(204);
    const reported = await api("POST", "/v1/reports", { headers: bob.headers, body: { target_type: "message", target_id: later.id, reason_category: "harassment" } });
    expect(reported.status, reported.text).toBe(201);
    const [adaPhone, bobPhone] = await Promise.all([openInbox(ada), openInbox(bob)]);

    const body = (id: string) => ({ action_type: "remove_content", target_type: "message", target_id: id, reason: "Threats" });
    expect((await act(bob, body(threat.id))).status).toBe(403);
    expect((await api("POST", "/v1/moderation/actions", { body: body(threat.id) })).status).toBe(401);
    const removed = await act(mod, body(threat.id));
    expect(removed.status, removed.text).toBe(201);
    expect(removed.body).toMatchObject({ target_type: "message", target_id: threat.id, target_user_id: ada.id });
    const hidden = await act(mod, { ...body(later.id), action_type: "hide_content", report_id: reported.body.id });
    expect(hidden.status, hidden.text).toBe(201);
    for (const device of [adaPhone, bobPhone]) {
      expect(await device.next((f) => f.type === "dm_deleted" && f.message_id === threat.id, "the removal")).toEqual({ type: "dm_deleted", message_id: threat.id });
    }
    expect(await bobPhone.next((f) => f.type === "dm_deleted" && f.message_id === later.id, "the hide")).toEqual({ type: "dm_deleted", message_id: later.id });
    const ids = async (who: typeof ada, other: typeof ada) => (await messagesOf(who, other)).body.items.map((x: { id: string }) => x.id);
    expect(await ids(bob, ada)).toEqual([]);
    expect(await ids(ada, bob)).toEqual([]);
    expect((await conversationsOf(bob)).body.items.map((c: { user: { id: string } }) => c.user.id)).not.toContain(ada.id);
    expect((await notices(ada.id)).map((n) => n.title)).toEqual(["Moderators removed your message", "Moderators hid your message"]);
    // gone from both sides: nothing more to hide
    expect((await act(mod, body(threat.id))).status).toBe(404);

    const mark = adaPhone.frames.length;
    expect((await reverse(mod, removed.body.id)).status).toBe(200);
    expect((await reverse(mod, hidden.body.id)).status).toBe(200);
    const back = await bobPhone.next((f) => f.type === "dm" && f.message.id === threat.id, "the restored message");
    expect(back).toMatchObject({ type: "dm", message: { id: threat.id, content: "I know where you live" }, user: { id: ada.id } });
    expect(await bobPhone.next((f) => f.type === "dm" && f.message.id === later.id, "the other restored message")).toMatchObject({ user: { id: ada.id } });
    expect(await adaPhone.next((f) => f.type === "dm" && f.message.id === threat.id, "the sender's copy")).toMatchObject({ user: { id: bob.id } });
    await settle();
    // ada had deleted `later` for herself: it stays deleted for her
    expect(adaPhone.frames.slice(mark).some((f) => f.type === "dm" && f.message.id === later.id)).toBe(false);
    expect(await ids(bob, ada)).toEqual([later.id, threat.id]);
    expect(await ids(ada, bob)).toEqual([threat.id]);
    const flags = await sql.query("SELECT id, is_deleted_by_sender, is_deleted_by_recipient, deleted_at FROM direct_messages WHERE id = ANY($1::uuid[]) ORDER BY created_at", [[threat.id, later.id]]);
    expect(flags).toEqual([
      { id: threat.id, is_deleted_by_sender: false, is_deleted_by_recipient: false, deleted_at: null },
      { id: later.id, is_deleted_by_sender: true, is_deleted_by_recipient: false, deleted_at: null },
    ]);
    expect((await notices(ada.id)).map((n) => n.title).slice(2)).toEqual(["Your message is visible again", "Your message is visible again"]);
    adaPhone.close();
    bobPhone.close();
  });
});
