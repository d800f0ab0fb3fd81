import { describe, expect, it } from "vitest";
import type { Operation, QueueItem } from "../../durable-objects/playback-queue/protocol";
import { applyOperation, currentPosition, emptyQueue, withAvailability, type QueueData } from "../../durable-objects/playback-queue/state";

/** The queue's rules (durable-objects/playback-queue/state.ts), exactly: fixed clock and randomness. */

const T0 = Date.parse("2026-03-01T12:00:00.000Z");
const item = (n: number, duration_ms: number | null = 200_000): QueueItem => ({
  item_id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  track_id: `10000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  title: `T${n}`,
  artist: null,
  duration_ms,
  creator_username: "someone",
  cover_url: null,
  available: true,
  added_at: "2026-03-01T12:00:00.000Z",
});

/** Applies `op` (at version of the queue) and expects it accepted. */
function run(queue: QueueData, op: Operation | Record<string, unknown>, options: { now?: number; newItems?: QueueItem[]; random?: () => number } = {}): QueueData {
  const result = applyOperation(queue, op as Operation, { now: options.now ?? T0, newItems: options.newItems, random: options.random ?? (() => 0) });
  if (!result.ok) throw new Error(`${String(op.type)} refused: ${result.code}`);
  expect(result.queue.version).toBe(queue.version + 1);
  return result.queue;
}

const queueOf = (n: number, extra: Partial<QueueData> = {}): QueueData => {
  const items = Array.from({ length: n }, (_, i) => item(i + 1));
  return { ...run(emptyQueue(T0), { type: "add", version: 0, track_ids: items.map((i) => i.track_id) }, { newItems: items }), ...extra };
};
const titles = (q: QueueData) => q.items.map((i) => i.title);
const current = (q: QueueData) => q.items.find((i) => i.item_id === q.current_item_id)?.title ?? null;

describe("the queue's rules", () => {
  it("makes the first added item current, and refuses any other version as stale without changing anything", () => {
    const q = queueOf(3);
    expect(current(q)).toBe("T1");
    expect(q.is_playing).toBe(false);
    const stale = applyOperation(q, { type: "clear", version: 0 }, { now: T0 });
    expect(stale).toMatchObject({ ok: false, code: "stale" });
    expect(applyOperation(q, { type: "pause", version: 5 }, { now: T0 })).toMatchObject({ ok: false, code: "stale" });
  });

  it("next stops at the end with repeat off, wraps with repeat queue; ended replays under repeat track", () => {
    let q = run(queueOf(2), { type: "play" });
    q = run(q, { type: "next" });
    expect([current(q), q.is_playing]).toEqual(["T2", true]);
    const stopped = run(q, { type: "next" });
    expect([current(stopped), stopped.is_playing, stopped.position_ms]).toEqual(["T2", false, 0]);
    const wrapped = run({ ...q, repeat: "queue" }, { type: "next" });
    expect([current(wrapped), wrapped.is_playing]).toEqual(["T1", true]);
    const endedOff = run(q, { type: "ended" });
    expect([current(endedOff), endedOff.is_playing]).toEqual(["T2", false]);
    const endedQueue = run({ ...q, repeat: "queue" }, { type: "ended" });
    expect(current(endedQueue)).toBe("T1");
    const replay = run({ ...q, repeat: "track", position_ms: 199_000 }, { type: "ended" }, { now: T0 + 1000 });
    expect([current(replay), replay.is_playing, replay.position_ms, replay.position_updated_at]).toEqual(["T2", true, 0, T0 + 1000]);
    // A skip under repeat track still moves on.
    expect(current(run({ ...q, repeat: "track" }, { type: "previous" }))).toBe("T1");
  });

  it("previous restarts the current track after 3 s of playback, goes back within them, and wraps only with repeat queue", () => {
    let q = run(queueOf(3), { type: "play", item_id: item(2).item_id });
    const restarted = run(q, { type: "previous" }, { now: T0 + 3001 });
    expect([current(restarted), restarted.position_ms]).toEqual(["T2", 0]);
    const back = run(q, { type: "previous" }, { now: T0 + 3000 });
    expect(current(back)).toBe("T1");
    q = run(q, { type: "play", item_id: item(1).item_id });
    expect(current(run(q, { type: "previous" }))).toBe("T1");
    expect(current(run({ ...q, repeat: "queue" }, { type: "previous" }))).toBe("T3");
  });

  it("extrapolates a playing position, capped at the duration, and freezes it on pause", () => {
    const q = run(queueOf(1), { type: "play" });
    expect(currentPosition(q, T0 + 1500)).toBe(1500);
    expect(currentPosition(q, T0 + 10_000_000)).toBe(200_000);
    const paused = run(q, { type: "pause" }, { now: T0 + 2500 });
    expect([paused.position_ms, paused.is_playing, currentPosition(paused, T0 + 99_999)]).toEqual([2500, false, 2500]);
    const seeked = run(paused, { type: "seek", position_ms: 999_999 });
    expect(seeked.position_ms).toBe(200_000);
  });

  it("shuffles only the upcoming items and restores their original order when shuffle goes off", () => {
    let q = run(queueOf(6), { type: "play", item_id: item(2).item_id });
    // random() = 0 moves each element to the front in turn: a reversal-like permutation, deterministic.
    q = run(q, { type: "shuffle", shuffle: true }, { random: () => 0 });
    expect(titles(q).slice(0, 2)).toEqual(["T1", "T2"]);
    expect(titles(q).slice(2).sort()).toEqual(["T3", "T4", "T5", "T6"]);
    expect(titles(q).slice(2)).not.toEqual(["T3", "T4", "T5", "T6"]);
    // Edits while shuffled: a new item after T2 in play order, and T4 removed.
    const added = item(7);
    q = run(q, { type: "add", version: q.version, track_ids: [added.track_id], position: "next" }, { newItems: [added] });
    expect(titles(q)[2]).toBe("T7");
    q = run(q, { type: "remove", version: q.version, item_id: item(4).item_id });
    q = run(q, { type: "shuffle", shuffle: false });
    expect(titles(q)).toEqual(["T1", "T2", "T7", "T3", "T5", "T6"]);
    expect(current(q)).toBe("T2");
  });

  it("moves to the next item when the current one is removed, and to none at the end", () => {
    let q = run(queueOf(3), { type: "play", item_id: item(2).item_id });
    q = run(q, { type: "remove", version: q.version, item_id: item(2).item_id });
    expect([current(q), q.is_playing, titles(q)]).toEqual(["T3", true, ["T1", "T3"]]);
    q = run(q, { type: "remove", version: q.version, item_id: item(3).item_id });
    expect([current(q), q.is_playing]).toEqual([null, false]);
    const wrap = run({ ...run(queueOf(2), { type: "play", item_id: item(2).item_id }), repeat: "queue" }, { type: "remove", version: 2, item_id: item(2).item_id });
    expect(current(wrap)).toBe("T1");
  });

  it("inserts at a position or next, moves within bounds, and caps the queue at 1 000 items", () => {
    let q = queueOf(3);
    const x = item(9);
    q = run(q, { type: "add", version: q.version, track_ids: [x.track_id], position: 1 }, { newItems: [x] });
    expect(titles(q)).toEqual(["T1", "T9", "T2", "T3"]);
    expect(applyOperation(q, { type: "add", version: q.version, track_ids: [x.track_id], position: 5 }, { now: T0, newItems: [x] })).toMatchObject({ ok: false, code: "invalid_position" });
    q = run(q, { type: "move", version: q.version, item_id: item(1).item_id, position: 3 });
    expect(titles(q)).toEqual(["T9", "T2", "T3", "T1"]);
    expect(applyOperation(q, { type: "move", version: q.version, item_id: item(1).item_id, position: 4 }, { now: T0 })).toMatchObject({ ok: false, code: "invalid_position" });
    const many = Array.from({ length: 996 }, (_, i) => ({ ...item(100 + i) }));
    const full = run(q, { type: "add", version: q.version, track_ids: many.map((i) => i.track_id) }, { newItems: many });
    expect(full.items).toHaveLength(1000);
    expect(applyOperation(full, { type: "add", version: full.version, track_ids: [x.track_id] }, { now: T0, newItems: [{ ...x, item_id: "y" }] })).toMatchObject({
      ok: false,
      code: "queue_full",
    });
  });

  it("marks availability changes as a new version, and leaves an unchanged queue alone", () => {
    const q = queueOf(2);
    expect(withAvailability(q, new Map([[item(1).track_id, true]]))).toBeNull();
    const marked = withAvailability(q, new Map([[item(2).track_id, false]]))!;
    expect(marked.version).toBe(q.version + 1);
    expect(marked.items.map((i) => i.available)).toEqual([true, false]);
  });
});
