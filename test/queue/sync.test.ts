import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { connect, queueOfUser, readyTracks, restState } from "./sockets";

describe("the live queue over WebSocket", () => {
  it("keeps two devices of the same user in sync through a sequence of edits", async () => {
    const creator = await signedInUser();
    const user = await signedInUser();
    const [a, b, c] = await readyTracks(creator.id, 3, { durationMs: 180_000 });
    const phone = await connect(user, "?device_id=phone&device_name=Phone");
    const laptop = await connect(user, "?device_id=laptop");
    expect(phone.state).toMatchObject({ version: 0, items: [], current_item_id: null, is_playing: false, shuffle: false, repeat: "off", volume: 100 });
    expect(laptop.state).toEqual(phone.state);

    const steps: Array<[typeof phone, Record<string, unknown> | ((v: number) => Record<string, unknown>)]> = [
      [phone, (v) => ({ type: "add", version: v, track_ids: [a!, b!, c!, a!] })],
      [laptop, (v) => ({ type: "move", version: v, item_id: phone.state!.items[3]!.item_id, position: 0 })],
      [phone, (v) => ({ type: "remove", version: v, item_id: phone.state!.items[2]!.item_id })],
      [laptop, () => ({ type: "play" })],
      [phone, () => ({ type: "seek", position_ms: 42_000 })],
      [laptop, () => ({ type: "pause" })],
      [phone, () => ({ type: "shuffle", shuffle: true })],
      [laptop, () => ({ type: "repeat", mode: "queue" })],
      [phone, () => ({ type: "volume", volume: 35 })],
      [laptop, () => ({ type: "next" })],
      [phone, () => ({ type: "previous" })],
      [laptop, () => ({ type: "shuffle", shuffle: false })],
      [phone, (v) => ({ type: "add", version: v, track_ids: [c!], position: "next" })],
    ];
    for (const [device, make] of steps) {
      const op = typeof make === "function" ? make(device.state!.version) : make;
      const before = device.state!.version;
      const state = await device.apply(op);
      expect(state.version).toBe(before + 1);
      const other = device === phone ? laptop : phone;
      expect(await other.synced(state.version), `after ${String(op.type)}`).toEqual(state);
    }
    const final = phone.state!;
    expect(final.version).toBe(steps.length);
    // add [a b c a] (current: the first a) -> move the second a first -> remove b -> ... -> shuffle
    // off restores [a' a c] -> c added next, after the current (the first a added).
    expect(final.items.map((i) => i.track_id)).toEqual([a, a, c, c]);
    expect(final.current_item_id).toBe(final.items[1]!.item_id);
    expect(final).toMatchObject({ shuffle: false, repeat: "queue", volume: 35, is_playing: false });
    expect(final.items[0]).toMatchObject({ title: "Queued 0", artist: "The Testers", duration_ms: 180_000, creator_username: creator.username, available: true });
    expect(await restState(user)).toEqual(final);
    phone.close();
    laptop.close();
  });

  it("sends a reconnecting device the current state", async () => {
    const creator = await signedInUser();
    const user = await signedInUser();
    const [a] = await readyTracks(creator.id, 1);
    const first = await connect(user);
    await first.apply({ type: "add", version: 0, track_ids: [a!] });
    await first.apply({ type: "play" });
    first.close();
    const again = await connect(user);
    expect(again.state).toEqual(first.state);
    expect(again.state).toMatchObject({ version: 2, is_playing: true, current_item_id: first.state!.items[0]!.item_id });
    again.close();
  });

  it("survives the object's eviction: hibernated sockets carry on, the state comes from its storage", async () => {
    const creator = await signedInUser();
    const user = await signedInUser();
    const [a, b] = await readyTracks(creator.id, 2);
    const one = await connect(user, "?device_id=one");
    const two = await connect(user, "?device_id=two");
    const before = await one.apply({ type: "add", version: 0, track_ids: [a!, b!] });
    await evictDurableObject(queueOfUser(user.id));
    const after = await two.apply({ type: "next" });
    expect(after).toMatchObject({ version: before.version + 1, current_item_id: before.items[1]!.item_id });
    expect(await one.synced(after.version)).toEqual(after);
    expect(await restState(user)).toEqual(after);
    one.close();
    two.close();
  });

  it("rejects a stale write with the current state, to its sender only, and changes nothing", async () => {
    const creator = await signedInUser();
    const user = await signedInUser();
    const [a, b] = await readyTracks(creator.id, 2);
    const one = await connect(user);
    const two = await connect(user);
    await one.apply({ type: "add", version: 0, track_ids: [a!] });
    await two.synced(1);
    const answer = await two.request({ type: "add", version: 0, track_ids: [b!] });
    expect(answer).toMatchObject({ type: "rejected", code: "stale", state: { version: 1 } });
    expect(answer.state).toEqual(one.state);
    // A transport write with a stale version is refused the same way.
    expect(await two.request({ type: "volume", version: 0, volume: 5 })).toMatchObject({ type: "rejected", code: "stale" });
    const after = await restState(user);
    expect(after).toEqual(one.state);
    expect(one.frames.filter((f) => f.type === "rejected")).toEqual([]);
    one.close();
    two.close();
  });

  it("lets exactly one of two devices racing the same edit at the same version win", async () => {
    const creator = await signedInUser();
    const user = await signedInUser();
    const [a, b, c] = await readyTracks(creator.id, 3);
    const one = await connect(user);
    const two = await connect(user);
    await one.apply({ type: "add", version: 0, track_ids: [a!] });
    await two.synced(1);
    const [x, y] = await Promise.all([
      one.request({ type: "add", version: 1, track_ids: [b!] }),
      two.request({ type: "add", version: 1, track_ids: [c!] }),
    ]);
    expect([x.type, y.type].sort()).toEqual(["ack", "rejected"]);
    const winner = x.type === "ack" ? b : c;
    const state = await restState(user);
    expect(state.version).toBe(2);
    expect(state.items.map((i) => i.track_id)).toEqual([a, winner]);
    await one.synced(2);
    await two.synced(2);
    expect(one.state).toEqual(state);
    expect(two.state).toEqual(state);
    one.close();
    two.close();
  });

  it("lets exactly one of several writers racing at the same version win, over REST and WebSocket at once", async () => {
    const creator = await signedInUser();
    const user = await signedInUser();
    const tracks = await readyTracks(creator.id, 5);
    const device = await connect(user);
    // Every contender is past the version check before any of them is applied: the tracks' lookup
    // (a database round trip) lies between the check and the write, so the write checks again.
    const answers = await Promise.all([
      device.request({ type: "add", version: 0, track_ids: [tracks[0]!] }),
      ...tracks.slice(1).map((id) => api("POST", "/v1/me/queue/items", { headers: user.headers, body: { version: 0, track_ids: [id] } })),
    ]);
    const [ws, ...rest] = answers as [{ type: string }, ...Array<{ status: number }>];
    const wins = (ws.type === "ack" ? 1 : 0) + rest.filter((r) => r.status === 200).length;
    expect(wins).toBe(1);
    expect(rest.filter((r) => r.status === 409).length + (ws.type === "rejected" ? 1 : 0)).toBe(4);
    const state = await restState(user);
    expect(state).toMatchObject({ version: 1 });
    expect(state.items).toHaveLength(1);
    device.close();
  });

  it("answers invalid, oversized and refused frames with error frames and keeps the socket open", async () => {
    const creator = await signedInUser();
    const user = await signedInUser();
    const [a] = await readyTracks(creator.id, 1);
    const device = await connect(user);
    device.ws.send("not json");
    expect(await device.next((f) => f.type === "error")).toMatchObject({ code: "invalid_message" });
    device.ws.send(JSON.stringify({ type: "add", track_ids: [a] }));
    expect(await device.next((f) => f.type === "error")).toMatchObject({ code: "invalid_message" });
    expect(await device.request({ type: "explode" })).toMatchObject({ type: "error", code: "invalid_message" });
    expect(await device.request({ type: "add", track_ids: [a!] })).toMatchObject({ type: "error", code: "invalid_message", message: expect.stringContaining("version") });
    expect(await device.request({ type: "volume", volume: 101 })).toMatchObject({ type: "error", code: "invalid_message" });
    expect(await device.request({ type: "add", version: 0, track_ids: [a!], extra: 1 } as Record<string, unknown>)).toMatchObject({ type: "error", code: "invalid_message" });
    device.ws.send(JSON.stringify({ type: "pause", request_id: "big", padding: "x".repeat(64 * 1024) }));
    expect(await device.next((f) => f.type === "error" && f.code === "message_too_large")).toBeTruthy();
    expect(await device.request({ type: "remove", version: 0, item_id: crypto.randomUUID() })).toMatchObject({ type: "error", code: "item_not_found" });
    expect(await device.request({ type: "play" })).toMatchObject({ type: "error", code: "nothing_to_play" });
    expect(await device.request({ type: "seek", position_ms: 10 })).toMatchObject({ type: "error", code: "nothing_to_play" });
    // Still open, nothing changed: a valid operation goes through.
    const state = await device.apply({ type: "add", version: 0, track_ids: [a!] });
    expect(state.version).toBe(1);
    device.close();
  });

  it("rate-limits each socket (error frames past the burst) without closing it", async () => {
    const user = await signedInUser();
    const device = await connect(user);
    for (let i = 0; i < 100; i++) device.ws.send(JSON.stringify({ type: "volume", volume: i % 100, request_id: `burst-${i}` }));
    await device.until(() => device.frames.filter((f) => f.request_id?.startsWith("burst-") || f.code === "rate_limited").length >= 100 || undefined, "100 answers");
    const limited = device.frames.filter((f) => f.type === "error" && f.code === "rate_limited");
    const acked = device.frames.filter((f) => f.type === "ack");
    expect(limited.length).toBeGreaterThan(0);
    expect(acked.length).toBeGreaterThanOrEqual(40);
    expect(acked.length + limited.length).toBe(100);
    const state = await restState(user);
    expect(state.version).toBe(acked.length);
    device.close();
  });
});
