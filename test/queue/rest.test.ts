import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { PlaybackQueue } from "../../durable-objects/playback-queue";
import { createDb } from "../../src/db/client";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { unique } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { makeTrack } from "../tracks/fixtures";
import { connect, queueOfUser, readyTracks } from "./sockets";

const as = (user: SignedInUser) => ({
  get: () => api("GET", "/v1/me/queue", { headers: user.headers }),
  call: (method: string, path: string, body?: unknown) => api(method, `/v1/me/queue${path}`, { headers: user.headers, body }),
});

/**
 * Points the user's PlaybackQueue at a tagged connection string (the object's own queries are not
 * the Worker's, which `withRoundTrips` counts); resolves to "round trips since the last call".
 */
async function countObjectRoundTrips(userId: string): Promise<() => Promise<number>> {
  const tag = `rtq_${unique()}`;
  const url = new URL(env.DATABASE_URL);
  url.username = tag;
  await runInDurableObject(queueOfUser(userId), (queue: PlaybackQueue) => {
    queue.database = createDb({ DATABASE_URL: url.toString() });
  });
  let seen = 0;
  return async () => {
    const total = ((await (await fetch(`http://${url.host}/stats?tag=${tag}`)).json()) as { requests: number }).requests;
    const since = total - seen;
    seen = total;
    return since;
  };
}

describe("the live queue over REST", () => {
  it("is described in the OpenAPI document, the stale write's 409 with the state", async () => {
    const doc = (await api("GET", "/openapi.json")).body;
    for (const path of ["/v1/me/queue", "/v1/me/queue/ws", "/v1/me/queue/items", "/v1/me/queue/items/{itemId}", "/v1/me/queue/play", "/v1/me/queue/ended", "/v1/me/queue/seek", "/v1/me/queue/settings"]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.paths["/v1/me/queue/items"].post.responses["409"].content["application/problem+json"].schema.$ref).toBe("#/components/schemas/QueueConflict");
    expect(JSON.stringify(doc.components.schemas.QueueConflict)).toContain('"state":{"$ref":"#/components/schemas/QueueState"}');
    expect(doc.components.schemas.QueueState.required).toEqual(expect.arrayContaining(["version", "items", "position_updated_at", "repeat", "volume"]));
  });

  it("adds, moves, removes, replaces and clears, each change checked against the version", async () => {
    const creator = await signedInUser();
    const user = await signedInUser();
    const q = as(user);
    const [a, b, c] = await readyTracks(creator.id, 3);
    expect((await q.get()).body).toMatchObject({ version: 0, items: [], current_item_id: null, repeat: "off", volume: 100 });

    const added = await q.call("POST", "/items", { version: 0, track_ids: [a, b] });
    expect(added.status).toBe(200);
    expect(added.body.version).toBe(1);
    expect(added.body.items.map((i: any) => i.track_id)).toEqual([a, b]);
    expect(added.body.current_item_id).toBe(added.body.items[0].item_id);
    const next = await q.call("POST", "/items", { version: 1, track_ids: [c], position: "next" });
    expect(next.body.items.map((i: any) => i.track_id)).toEqual([a, c, b]);
    const atZero = await q.call("POST", "/items", { version: 2, track_ids: [b], position: 0 });
    expect(atZero.body.items.map((i: any) => i.track_id)).toEqual([b, a, c, b]);

    const last = atZero.body.items[3].item_id;
    const moved = await q.call("PATCH", `/items/${last}`, { version: 3, position: 1 });
    expect(moved.status).toBe(200);
    expect(moved.body.items.map((i: any) => i.item_id)[1]).toBe(last);
    const removed = await q.call("DELETE", `/items/${last}?version=4`);
    expect(removed.body.items.map((i: any) => i.track_id)).toEqual([b, a, c]);
    expect((await q.call("DELETE", `/items/${crypto.randomUUID()}?version=5`)).status).toBe(404);
    expect((await q.call("PATCH", `/items/${removed.body.items[0].item_id}`, { version: 5, position: 3 })).status).toBe(422);

    const replaced = await q.call("PUT", "", { version: 5, track_ids: [c, a], current_index: 1, position_ms: 5000, is_playing: true, repeat: "track", volume: 70 });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ version: 6, position_ms: 5000, is_playing: true, repeat: "track", volume: 70 });
    expect(replaced.body.items.map((i: any) => i.track_id)).toEqual([c, a]);
    expect(replaced.body.current_item_id).toBe(replaced.body.items[1].item_id);
    expect((await q.call("PUT", "", { version: 6, track_ids: [c], current_index: 1 })).status).toBe(422);

    const cleared = await q.call("DELETE", "/items?version=6");
    expect(cleared.body).toMatchObject({ version: 7, items: [], current_item_id: null, is_playing: false });
    expect((await q.get()).body).toEqual(cleared.body);
  });

  it("plays, pauses, seeks, skips and changes settings (version optional), answering 409 when there is nothing to play", async () => {
    const creator = await signedInUser();
    const user = await signedInUser();
    const q = as(user);
    expect((await q.call("POST", "/play")).status).toBe(409);
    expect((await q.call("POST", "/seek", { position_ms: 1 })).status).toBe(409);
    const [a, b] = await readyTracks(creator.id, 2, { durationMs: 60_000 });
    const { body: state } = await q.call("POST", "/items", { version: 0, track_ids: [a, b] });
    const [first, second] = state.items.map((i: any) => i.item_id);
    expect((await q.call("POST", "/play", { item_id: second })).body).toMatchObject({ current_item_id: second, is_playing: true, position_ms: 0 });
    expect((await q.call("POST", "/seek", { position_ms: 90_000 })).body).toMatchObject({ position_ms: 60_000 });
    expect((await q.call("POST", "/pause")).body).toMatchObject({ is_playing: false });
    expect((await q.call("POST", "/previous")).body).toMatchObject({ current_item_id: second, position_ms: 0 });
    expect((await q.call("POST", "/previous")).body).toMatchObject({ current_item_id: first });
    expect((await q.call("POST", "/next", {})).body).toMatchObject({ current_item_id: second });
    expect((await q.call("POST", "/play")).body).toMatchObject({ is_playing: true });
    expect((await q.call("POST", "/ended")).body).toMatchObject({ current_item_id: second, is_playing: false, position_ms: 0 });
    const settings = await q.call("PATCH", "/settings", { repeat: "queue", volume: 0, shuffle: true });
    expect(settings.body).toMatchObject({ repeat: "queue", volume: 0, shuffle: true });
    expect((await q.call("POST", "/next", { version: settings.body.version })).body).toMatchObject({ current_item_id: first });
    expect((await q.call("POST", "/play", { item_id: crypto.randomUUID() })).status).toBe(404);
  });

  it("validates every body and query (422 with field paths)", async () => {
    const user = await signedInUser();
    const q = as(user);
    const track = crypto.randomUUID();
    const cases: Array<[string, string, unknown, string]> = [
      ["POST", "/items", { track_ids: [track] }, "json.version"],
      ["POST", "/items", { version: 0, track_ids: [] }, "json.track_ids"],
      ["POST", "/items", { version: 0, track_ids: ["nope"] }, "json.track_ids.0"],
      ["POST", "/items", { version: 0, track_ids: Array(1001).fill(track) }, "json.track_ids"],
      ["POST", "/items", { version: 0, track_ids: [track], position: -1 }, "json.position"],
      ["POST", "/items", { version: 0, track_ids: [track], position: "first" }, "json.position"],
      ["POST", "/items", { version: -1, track_ids: [track] }, "json.version"],
      ["POST", "/items", { version: 0, track_ids: [track], title: "x" }, "json"],
      ["PATCH", `/items/${track}`, { position: 0 }, "json.version"],
      ["PATCH", "/items/not-a-uuid", { version: 0, position: 0 }, "param.itemId"],
      ["DELETE", `/items/${track}`, undefined, "query.version"],
      ["DELETE", "/items?version=x", undefined, "query.version"],
      ["PUT", "", { track_ids: [] }, "json.version"],
      ["PUT", "", { version: 0, track_ids: [], repeat: "forever" }, "json.repeat"],
      ["POST", "/seek", { position_ms: -5 }, "json.position_ms"],
      ["POST", "/play", { item_id: "x" }, "json.item_id"],
      ["POST", "/pause", { item_id: track }, "json"],
      ["PATCH", "/settings", {}, "json"],
      ["PATCH", "/settings", { volume: 101 }, "json.volume"],
      ["PATCH", "/settings", { volume: 50.5 }, "json.volume"],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await q.call(method, path, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)?.slice(0, 80)}`).toBe(422);
      expect(res.body.errors.map((e: any) => e.path).some((p: string) => p.startsWith(field)), `${method} ${path}: ${JSON.stringify(res.body.errors)}`).toBe(true);
    }
    expect((await q.get()).body.version).toBe(0);
  });

  it("refuses tracks that are unknown, invisible or not ready (422 naming each), adding none of them", async () => {
    const creator = await signedInUser();
    const user = await signedInUser();
    const q = as(user);
    const ok = (await makeTrack(creator.id)).id;
    const unlisted = (await makeTrack(creator.id, { visibility: "unlisted" })).id;
    const someoneElsesPrivate = (await makeTrack(creator.id, { visibility: "private" })).id;
    const pending = (await makeTrack(creator.id, { status: "processing" })).id;
    const deleted = (await makeTrack(creator.id, { deleted: true })).id;
    const unknown = crypto.randomUUID();
    const res = await q.call("POST", "/items", { version: 0, track_ids: [ok, someoneElsesPrivate, unlisted, pending, deleted, unknown] });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: any) => e.path)).toEqual(["json.track_ids.1", "json.track_ids.3", "json.track_ids.4", "json.track_ids.5"]);
    expect(res.body.track_ids).toEqual([someoneElsesPrivate, pending, deleted, unknown]);
    expect((await q.get()).body).toMatchObject({ version: 0, items: [] });
    // The creator may queue their own private track.
    const own = await as(creator).call("POST", "/items", { version: 0, track_ids: [someoneElsesPrivate] });
    expect(own.status).toBe(200);
    expect(own.body.items[0]).toMatchObject({ track_id: someoneElsesPrivate, available: true });
  });

  it("answers a stale write 409 with the current state, changes nothing, and broadcasts accepted changes to the user's sockets", async () => {
    const creator = await signedInUser();
    const user = await signedInUser();
    const q = as(user);
    const [a, b] = await readyTracks(creator.id, 2);
    const device = await connect(user);
    const { body: state } = await q.call("POST", "/items", { version: 0, track_ids: [a] });
    expect(await device.synced(1)).toEqual(state);
    const stale = await q.call("POST", "/items", { version: 0, track_ids: [b] });
    expect(stale.status).toBe(409);
    expect(stale.headers.get("content-type")).toBe("application/problem+json");
    expect(stale.body).toMatchObject({ code: "conflict", status: 409, state });
    expect((await q.call("DELETE", `/items/${state.items[0].item_id}?version=7`)).body.state).toEqual(state);
    expect((await q.call("PATCH", "/settings", { version: 3, volume: 1 })).status).toBe(409);
    expect((await q.get()).body).toEqual(state);
    const paused = await q.call("PATCH", "/settings", { volume: 1 });
    const synced = await device.synced(paused.body.version);
    expect(synced).toEqual(paused.body);
    expect(device.frames.at(-1)).toMatchObject({ type: "playback", playback: { volume: 1, version: 2 } });
    device.close();
  });

  it("holds at most 1 000 items (a track may be queued more than once)", async () => {
    const creator = await signedInUser();
    const user = await signedInUser();
    const q = as(user);
    const [a] = await readyTracks(creator.id, 1);
    const full = await q.call("POST", "/items", { version: 0, track_ids: Array(1000).fill(a) });
    expect(full.status).toBe(200);
    expect(full.body.items).toHaveLength(1000);
    expect(new Set(full.body.items.map((i: any) => i.item_id)).size).toBe(1000);
    const over = await q.call("POST", "/items", { version: 1, track_ids: [a] });
    expect(over.status).toBe(422);
    expect(over.body.errors[0].path).toBe("json.track_ids");
    const device = await connect(user);
    expect(await device.request({ type: "add", version: 1, track_ids: [a!] })).toMatchObject({ type: "error", code: "queue_full" });
    const replace = await q.call("PUT", "", { version: 1, track_ids: Array(1000).fill(a) });
    expect(replace.status).toBe(200);
    expect((await q.get()).body.version).toBe(2);
    device.close();
  });

  it("costs one database round trip to add (the track lookup), one to flush, none to read a loaded queue", async () => {
    const creator = await signedInUser();
    const user = await signedInUser();
    const [a] = await readyTracks(creator.id, 1);
    const objectRoundTrips = await countObjectRoundTrips(user.id);
    const first = await withRoundTrips(new Request("https://veza.test/v1/me/queue", { headers: user.headers }));
    expect(first.response.status).toBe(200);
    expect(first.roundTrips).toBeLessThanOrEqual(1); // the token's state, unless already cached
    expect(await objectRoundTrips()).toBe(1); // the queue, loaded from Postgres once
    const read = await withRoundTrips(new Request("https://veza.test/v1/me/queue", { headers: user.headers }));
    expect(read.response.status).toBe(200);
    expect(read.roundTrips).toBe(0); // the token's state is cached at the edge now
    expect(await objectRoundTrips()).toBe(0);
    const add = await withRoundTrips(
      new Request("https://veza.test/v1/me/queue/items", { method: "POST", headers: { ...user.headers, "content-type": "application/json" }, body: JSON.stringify({ version: 0, track_ids: [a, a] }) }),
    );
    expect(add.response.status).toBe(200);
    expect(add.roundTrips).toBe(0);
    expect(await objectRoundTrips()).toBe(1); // the tracks' lookup
    const play = await withRoundTrips(new Request("https://veza.test/v1/me/queue/play", { method: "POST", headers: user.headers }));
    expect(play.response.status).toBe(200);
    expect(play.roundTrips + (await objectRoundTrips())).toBe(0);
    expect(await runDurableObjectAlarm(queueOfUser(user.id))).toBe(true);
    expect(await objectRoundTrips()).toBe(1); // the flush: one batch
  });
});
