import { describe, expect, it } from "vitest";
import { signedInUser } from "../helpers/auth";
import { addMember, join, makeRoom, roomWith } from "./fixtures";

describe("chat: edit, delete, react, reply, threads and pins reach every client", () => {
  it("round-trips each action to all clients", async () => {
    const { roomId, users } = await roomWith(1);
    const [owner, member] = users as [typeof users[0], typeof users[0]];
    const o = await join(owner, roomId);
    const m = await join(member, roomId);
    const { message_id: id } = await m.say("first draft");

    await m.ok({ type: "edit", message_id: id, content: "final words" });
    for (const c of [o, m]) await c.heard(id, (x) => x.content === "final words" && x.is_edited && x.edit_count === 1 && x.edited_at !== null);

    await o.ok({ type: "react", message_id: id, emoji: "🔥" });
    await m.ok({ type: "react", message_id: id, emoji: "🔥" });
    await m.ok({ type: "react", message_id: id, emoji: "👍🏽" });
    for (const c of [o, m]) {
      await c.heard(id, (x) => x.reactions.length === 2 && x.reactions[0]!.emoji === "🔥" && x.reactions[0]!.count === 2);
    }
    await m.ok({ type: "unreact", message_id: id, emoji: "🔥" });
    for (const c of [o, m]) await c.heard(id, (x) => x.reactions.find((r) => r.emoji === "🔥")?.count === 1 && x.reactions[0]!.user_ids[0] === owner.id);

    const reply = await o.say("quoting you", { reply_to_id: id });
    for (const c of [o, m]) await c.heard(reply.message_id, (x) => x.reply_to_id === id);

    const inThread = await m.say("in the thread", { thread_root_id: id });
    // a reply to a thread reply lands in the same thread (threads are one level deep)
    const nested = await o.say("nested", { thread_root_id: inThread.message_id });
    for (const c of [o, m]) {
      await c.heard(nested.message_id, (x) => x.thread_root_id === id);
      await c.heard(id, (x) => x.thread_count === 2);
    }

    await o.ok({ type: "pin", message_id: id });
    for (const c of [o, m]) await c.heard(id, (x) => x.is_pinned);
    await o.ok({ type: "unpin", message_id: id });
    for (const c of [o, m]) await c.heard(id, (x) => !x.is_pinned);

    await m.ok({ type: "delete", message_id: id });
    for (const c of [o, m]) await c.heard(id, (x) => x.is_deleted && x.content === "" && x.reactions.length === 0);
    // deleting again is a no-op, not an error
    await m.ok({ type: "delete", message_id: id });
    o.close();
    m.close();
  });

  it("lets members change only their own messages, and moderators delete and pin any", async () => {
    const owner = await signedInUser();
    const roomId = await makeRoom(owner);
    const [author, other, moderator] = [await signedInUser(), await signedInUser(), await signedInUser()];
    await addMember(roomId, author);
    await addMember(roomId, other);
    await addMember(roomId, moderator, "moderator");
    const a = await join(author, roomId);
    const x = await join(other, roomId);
    const mod = await join(moderator, roomId);
    const { message_id: id } = await a.say("mine");
    await x.heard(id);

    expect(await x.request({ type: "edit", message_id: id, content: "hijacked" })).toMatchObject({ type: "error", code: "forbidden" });
    expect(await x.request({ type: "delete", message_id: id })).toMatchObject({ type: "error", code: "forbidden" });
    expect(await x.request({ type: "pin", message_id: id })).toMatchObject({ type: "error", code: "forbidden" });
    expect(await mod.request({ type: "edit", message_id: id, content: "moderated" })).toMatchObject({ type: "error", code: "forbidden" });
    await mod.ok({ type: "pin", message_id: id });
    await mod.ok({ type: "delete", message_id: id });
    await a.heard(id, (m) => m.is_deleted && !m.is_pinned);
    expect(await a.request({ type: "edit", message_id: id, content: "too late" })).toMatchObject({ type: "error", code: "not_found" });
    expect(await a.request({ type: "react", message_id: crypto.randomUUID(), emoji: "👍" })).toMatchObject({ type: "error", code: "not_found" });
    expect(await a.request({ type: "send", content: "hi", reply_to_id: crypto.randomUUID() })).toMatchObject({ type: "error", code: "not_found" });
    for (const c of [a, x, mod]) c.close();
  });

  it("shows typing to the others, which lapses by itself, and presence changes", async () => {
    const { roomId, users } = await roomWith(1);
    const a = await join(users[0]!, roomId);
    const b = await join(users[1]!, roomId);
    await a.ok({ type: "typing", active: true });
    const typing = await b.next((f) => f.type === "typing", "typing at b");
    expect(typing).toMatchObject({ user_id: users[0]!.id, active: true, expires_in_ms: 6000 });
    expect(a.frames.some((f) => f.type === "typing")).toBe(false);
    await a.ok({ type: "typing", active: false });
    await b.next((f) => f.type === "typing" && f.active === false, "typing stop at b");
    await a.ok({ type: "presence", status: "busy" });
    await b.next((f) => f.type === "presence" && f.user_id === users[0]!.id && f.status === "busy", "busy at b");
    a.close();
    b.close();
  });
});
