import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { PlaybackQueue } from "../../durable-objects/playback-queue";
import { createDb } from "../../src/db/client";
import { flushQueue } from "../../src/domains/queue/flush-queue";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { connect, queueOfUser, readyTracks, restState } from "./sockets";
import type { QueueState } from "../../durable-objects/playback-queue/protocol";

const call = (user: SignedInUser, method: string, path: string, body?: unknown) => api(method, `/v1/me/queue${path}`, { headers: user.headers, body });

async function persisted(userId: string) {
  const [queue] = await sql.query(
    "SELECT id, current_track_id, current_position, is_playing, shuffle, repeat_mode, volume, version FROM queues WHERE user_id = $1",
    [userId],
  );
  const items = queue ? await sql.query("SELECT id, track_id, position FROM queue_items WHERE queue_id = $1 ORDER BY position", [queue.id]) : [];
  return { queue, items };
}

/** What Postgres should hold for `state` (position in whole seconds). */
function expectPersisted(rows: Awaited<ReturnType<typeof persisted>>, state: QueueState) {
  const current = state.items.find((i) => i.item_id === state.current_item_id);
  expect(rows.queue).toMatchObject({
    current_track_id: current?.track_id ?? null,
    current_position: Math.floor(state.position_ms / 1000),
    is_playing: state.is_playing,
    shuffle: state.shuffle,
    repeat_mode: state.repeat,
    volume: state.volume,
    version: state.version,
  });
  expect(rows.items).toEqual(state.items.map((i, position) => ({ id: i.item_id, track_id: i.track_id, position })));
}

const wipe = (userId: string) => runInDurableObject(queueOfUser(userId), (_: PlaybackQueue, state) => state.storage.deleteAll());

describe("the queue in Postgres", () => {
  it("is flushed by the alarm, debounced, and matches the state afterwards", async () => {
    const creator = await signedInUser();
    const user = await signedInUser();
    const [a, b, c] = await readyTracks(creator.id, 3, { durationMs: 300_000 });
    await call(user, "POST", "/items", { version: 0, track_ids: [a, b, c, a] });
    const before = Date.now();
    const alarm = await runInDurableObject(queueOfUser(user.id), (_: PlaybackQueue, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(alarm!).toBeLessThanOrEqual(before + 2000);
    expect((await persisted(user.id)).queue).toBeUndefined(); // nothing until the alarm
    await call(user, "POST", "/play", {});
    await call(user, "POST", "/seek", { position_ms: 61_500 });
    await call(user, "POST", "/pause", {});
    await call(user, "PATCH", "/settings", { repeat: "queue", volume: 40 });
    const state = await restState(user);
    expect(await runDurableObjectAlarm(queueOfUser(user.id))).toBe(true);
    expectPersisted(await persisted(user.id), state);
    // Nothing changed since: no further alarm.
    expect(await runDurableObjectAlarm(queueOfUser(user.id))).toBe(false);

    const moved = await call(user, "PATCH", `/items/${state.items[3]!.item_id}`, { version: state.version, position: 0 });
    const removed = await call(user, "DELETE", `/items/${state.items[1]!.item_id}?version=${moved.body.version}`);
    expect(await runDurableObjectAlarm(queueOfUser(user.id))).toBe(true);
    expectPersisted(await persisted(user.id), removed.body);
  });

  it("comes back from Postgres when the object's storage is lost", async () => {
    const creator = await signedInUser();
    const user = await signedInUser();
    const [a, b] = await readyTracks(creator.id, 2);
    await call(user, "POST", "/items", { version: 0, track_ids: [a, b, b] });
    const state = (await call(user, "POST", "/play", { item_id: (await restState(user)).items[1]!.item_id })).body;
    await call(user, "POST", "/pause", {});
    await call(user, "POST", "/seek", { position_ms: 12_000 });
    const flushed = (await call(user, "PATCH", "/settings", { repeat: "track", volume: 55 })).body as QueueState;
    expect(state.version).toBe(2);
    await runDurableObjectAlarm(queueOfUser(user.id));
    await wipe(user.id);
    const back = await restState(user);
    const { position_updated_at: _, ...expected } = flushed;
    expect(back).toMatchObject(expected);
    // ... and it carries on from there: versions continue, a socket gets the same state.
    const device = await connect(user);
    expect(device.state).toEqual(back);
    const next = await device.apply({ type: "add", version: flushed.version, track_ids: [a!] });
    expect(next.version).toBe(flushed.version + 1);
    device.close();
  });

  it("keeps a user without a stored queue empty, and starts a new one from version 0", async () => {
    const user = await signedInUser();
    await wipe(user.id);
    expect(await restState(user)).toMatchObject({ version: 0, items: [] });
    expect((await persisted(user.id)).queue).toBeUndefined();
  });

  it("keeps every change when a flush fails, and retries it with backoff", async () => {
    const creator = await signedInUser();
    const user = await signedInUser();
    const [a] = await readyTracks(creator.id, 1);
    const stub = queueOfUser(user.id);
    await call(user, "POST", "/items", { version: 0, track_ids: [a] });
    await runInDurableObject(stub, (queue: PlaybackQueue) => {
      queue.database = createDb({ DATABASE_URL: "postgres://down:down@127.0.0.1:9/veza" });
    });
    const before = Date.now();
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const retry = await runInDurableObject(stub, (_: PlaybackQueue, state) => state.storage.getAlarm());
    expect(retry).not.toBeNull();
    expect(retry!).toBeGreaterThan(before + 2000); // backed off beyond the debounce
    expect((await persisted(user.id)).queue).toBeUndefined();
    const state = (await call(user, "PATCH", "/settings", { volume: 3 })).body;
    expect(await runDurableObjectAlarm(stub)).toBe(true); // still down
    expect((await persisted(user.id)).queue).toBeUndefined();
    await runInDurableObject(stub, (queue: PlaybackQueue) => {
      queue.database = createDb(env);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expectPersisted(await persisted(user.id), state);
    expect(await runDurableObjectAlarm(stub)).toBe(false);
  });

  it("marks items whose track went away as unavailable, skips them, and keeps the mark across a reload", async () => {
    const creator = await signedInUser();
    const user = await signedInUser();
    const [a, b, c] = await readyTracks(creator.id, 3);
    const device = await connect(user);
    await device.apply({ type: "add", version: 0, track_ids: [a!, b!, c!] });
    await sql.query("UPDATE tracks SET visibility = 'private' WHERE id = $1", [b]);
    expect(await runDurableObjectAlarm(queueOfUser(user.id))).toBe(true);
    const marked = await device.until(() => (device.state!.items[1]!.available === false ? device.state! : undefined), "b marked unavailable");
    expect(marked.version).toBe(2);
    expect(marked.items.map((i) => i.available)).toEqual([true, false, true]);
    expect(marked.items[1]!.cover_url).toBeNull();
    const skipped = await device.apply({ type: "next" });
    expect(skipped.current_item_id).toBe(skipped.items[2]!.item_id);
    expect(await device.request({ type: "play", item_id: skipped.items[1]!.item_id })).toMatchObject({ type: "error", code: "unavailable" });
    // Loaded again from Postgres, it is still marked.
    await runDurableObjectAlarm(queueOfUser(user.id));
    device.close();
    await wipe(user.id);
    expect((await restState(user)).items.map((i) => i.available)).toEqual([true, false, true]);
    // Made public again: available at the next refresh.
    await sql.query("UPDATE tracks SET visibility = 'public' WHERE id = $1", [b]);
    await call(user, "PATCH", "/settings", { volume: 9 });
    await runDurableObjectAlarm(queueOfUser(user.id));
    expect((await restState(user)).items.map((i) => i.available)).toEqual([true, true, true]);
  });

  it("flushes idempotently and never lets an older version overwrite a newer one", async () => {
    const creator = await signedInUser();
    const user = await signedInUser();
    const [a, b] = await readyTracks(creator.id, 2);
    const older = (await call(user, "POST", "/items", { version: 0, track_ids: [a] })).body as QueueState;
    const newer = (await call(user, "POST", "/items", { version: 1, track_ids: [b] })).body as QueueState;
    const db = createDb(env);
    const toData = (s: QueueState) => ({ ...s, original: s.items.map((i) => i.item_id), position_updated_at: Date.parse(s.position_updated_at) });
    await flushQueue(db, user.id, toData(newer), 0);
    await flushQueue(db, user.id, toData(newer), 0);
    expectPersisted(await persisted(user.id), newer);
    await flushQueue(db, user.id, toData(older), 0);
    expectPersisted(await persisted(user.id), newer);
    // A track row that no longer exists is left out; positions stay 0..n-1.
    const withGone = { ...newer, version: 3, items: [newer.items[0]!, { ...newer.items[0]!, item_id: crypto.randomUUID(), track_id: crypto.randomUUID() }, newer.items[1]!] };
    await flushQueue(db, user.id, toData(withGone), 0);
    expect((await persisted(user.id)).items).toEqual([
      { id: newer.items[0]!.item_id, track_id: a, position: 0 },
      { id: newer.items[1]!.item_id, track_id: b, position: 1 },
    ]);
  });

  it("forgets a deleted account: its sockets close (4003) and the object's storage is erased", async () => {
    const creator = await signedInUser();
    const user = await signedInUser();
    const [a] = await readyTracks(creator.id, 1);
    const device = await connect(user);
    const closed = new Promise<number>((resolve) => device.ws.addEventListener("close", (event) => resolve(event.code)));
    await device.apply({ type: "add", version: 0, track_ids: [a!] });
    await device.apply({ type: "volume", volume: 35 });

    // an account without a password (signed up with a provider) is deleted on confirmation alone
    await sql.query("UPDATE users SET password_hash = NULL WHERE id = $1", [user.id]);
    expect((await api("DELETE", "/v1/me", { headers: user.headers, body: { confirm: "DELETE" } })).status).toBe(204);
    expect(await closed).toBe(4003);
    const stored = await runInDurableObject(queueOfUser(user.id), async (_: PlaybackQueue, state) => ({
      tables: state.storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\'").toArray(),
      alarm: await state.storage.getAlarm(),
    }));
    expect(stored).toEqual({ tables: [], alarm: null });
  });
});
