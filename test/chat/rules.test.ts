import { describe, expect, it } from "vitest";
import { signedInUser } from "../helpers/auth";
import { addMember, join, makeRoom } from "./fixtures";

describe("chat: the room's rules, as error frames", () => {
  it("holds members to slow mode with the time left, and exempts moderators", async () => {
    const owner = await signedInUser();
    const roomId = await makeRoom(owner, { slowMode: 30 });
    const member = await signedInUser();
    await addMember(roomId, member);
    const m = await join(member, roomId);
    await m.say("first");
    const refused = await m.request({ type: "send", content: "second" });
    expect(refused).toMatchObject({ type: "error", code: "slow_mode" });
    expect(refused.retry_after_ms).toBeGreaterThan(25_000);
    const o = await join(owner, roomId);
    await o.say("owner one");
    await o.say("owner two");
    expect(m.messages().map((x) => x.content)).not.toContain("second");
    m.close();
    o.close();
  });

  it("refuses messages, reactions and typing from a muted member until the mute ends", async () => {
    const owner = await signedInUser();
    const roomId = await makeRoom(owner);
    const [muted, expired] = [await signedInUser(), await signedInUser()];
    await addMember(roomId, muted, "member", { is_muted: true, muted_until: new Date(Date.now() + 3_600_000).toISOString() });
    await addMember(roomId, expired, "member", { is_muted: true, muted_until: new Date(Date.now() - 1000).toISOString() });
    const o = await join(owner, roomId);
    const { message_id } = await o.say("hello");
    const m = await join(muted, roomId);
    expect(await m.request({ type: "send", content: "let me speak" })).toMatchObject({ type: "error", code: "muted" });
    expect(await m.request({ type: "react", message_id, emoji: "👍" })).toMatchObject({ type: "error", code: "muted" });
    expect(await m.request({ type: "typing", active: true })).toMatchObject({ type: "error", code: "muted" });
    const e = await join(expired, roomId);
    await e.say("my mute is over");
    for (const c of [o, m, e]) c.close();
  });

  it("refuses invalid frames, over-long messages and writes to an archived room, keeping the socket open", async () => {
    const owner = await signedInUser();
    const roomId = await makeRoom(owner);
    const o = await join(owner, roomId);
    o.ws.send("not json");
    await o.next((f) => f.type === "error" && f.code === "invalid_message", "invalid json error");
    expect(await o.request({ type: "send", content: "x".repeat(10_001) })).toMatchObject({ type: "error", code: "invalid_message" });
    expect(await o.request({ type: "send", content: "   " })).toMatchObject({ type: "error", code: "invalid_message" });
    expect(await o.request({ type: "shout", content: "hi" })).toMatchObject({ type: "error", code: "invalid_message" });
    expect(await o.request({ type: "react", message_id: crypto.randomUUID(), emoji: "abc" })).toMatchObject({ type: "error", code: "invalid_message" });
    o.ws.send("x".repeat(70_000));
    await o.next((f) => f.type === "error" && f.code === "message_too_large", "too large error");
    await o.say("x".repeat(10_000));
    const archived = await makeRoom(owner, { archived: true });
    const a = await join(owner, archived);
    expect(await a.request({ type: "send", content: "anyone?" })).toMatchObject({ type: "error", code: "archived" });
    o.close();
    a.close();
  });

  it("rate-limits each socket with error frames past the burst, without closing it", async () => {
    const owner = await signedInUser();
    const roomId = await makeRoom(owner);
    const o = await join(owner, roomId);
    const answers = await Promise.all(Array.from({ length: 45 }, (_, i) => o.request({ type: "typing", active: i % 2 === 0 })));
    expect(answers.filter((a) => a.type === "error" && a.code === "rate_limited").length).toBeGreaterThan(0);
    expect(o.closed).toBeNull();
    o.close();
  });
});
