import { describe, expect, it } from "vitest";
import { join, roomWith } from "./fixtures";

describe("chat: reconnecting with the last seq", () => {
  it("replays exactly what was missed: new messages and changes to old ones, each once, nothing before", async () => {
    const { roomId, users } = await roomWith(1);
    const a = await join(users[0]!, roomId);
    let b = await join(users[1]!, roomId);
    const early = await a.say("before the drop");
    const edited = await a.say("will be edited while b is away");
    await b.heard(edited.message_id);
    const since = b.lastSeq();
    b.close();

    const missed1 = await a.say("missed one");
    const missed2 = await a.say("missed two");
    await a.ok({ type: "edit", message_id: edited.message_id, content: "edited while b was away" });
    await a.ok({ type: "react", message_id: missed1.message_id, emoji: "🎧" });

    b = await join(users[1]!, roomId, `?since=${since}`);
    const sync = b.frames.find((f) => f.type === "sync")!;
    expect(sync.complete).toBe(true);
    const ids = sync.messages.map((m: { id: string }) => m.id);
    expect(ids.sort()).toEqual([edited.message_id, missed1.message_id, missed2.message_id].sort());
    expect(ids).not.toContain(early.message_id);
    const byId = new Map(sync.messages.map((m: { id: string }) => [m.id, m]));
    expect(byId.get(edited.message_id)).toMatchObject({ content: "edited while b was away", is_edited: true });
    expect(byId.get(missed1.message_id)).toMatchObject({ reactions: [{ emoji: "🎧", count: 1 }] });
    expect(sync.seq).toBe(a.lastSeq());

    // Nothing missed: an empty, complete sync.
    const c = await join(users[1]!, roomId, `?since=${sync.seq}`);
    expect(c.frames.find((f) => f.type === "sync")).toMatchObject({ messages: [], complete: true });
    // A seq from the future is not trusted.
    const d = await join(users[1]!, roomId, `?since=${sync.seq + 1000}`);
    expect(d.frames.find((f) => f.type === "sync")).toMatchObject({ complete: false });
    for (const x of [a, b, c, d]) x.close();
  });

  it("answers a retried send (same nonce) with the first message, never a duplicate", async () => {
    const { roomId, users } = await roomWith(1);
    const a = await join(users[0]!, roomId);
    const b = await join(users[1]!, roomId);
    const first = await a.say("exactly once", { nonce: "n-1" });
    const again = await a.say("exactly once", { nonce: "n-1" });
    expect(again).toMatchObject({ message_id: first.message_id, seq: first.seq });
    await a.say("after");
    await b.until(() => b.messages().some((m) => m.content === "after"), "the next message");
    expect(b.messages().filter((m) => m.content === "exactly once")).toHaveLength(1);
    a.close();
    b.close();
  });

  it("keeps read markers per user, shared by that user's devices", async () => {
    const { roomId, users } = await roomWith(1);
    const a = await join(users[0]!, roomId);
    const phone = await join(users[1]!, roomId);
    const laptop = await join(users[1]!, roomId);
    await a.say("1");
    const two = await a.say("2");
    expect(await phone.ok({ type: "read", seq: two.seq })).toMatchObject({ seq: two.seq });
    await laptop.next((f) => f.type === "read" && f.seq === two.seq, "read marker on the other device");
    await a.say("3");
    const again = await join(users[1]!, roomId);
    expect(again.frames.find((f) => f.type === "ready")).toMatchObject({ unread: 1, last_read_seq: two.seq });
    for (const x of [a, phone, laptop, again]) x.close();
  });
});
