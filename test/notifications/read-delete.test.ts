import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { one } from "../helpers/db";
import { banUser, softDeleteUser } from "../tracks/fixtures";
import { ago, notify } from "./fixtures";

const state = async (id: string) => one("SELECT is_read, read_at, deleted_at FROM notifications WHERE id = $1", [id]);
const unreadCount = async (headers: Record<string, string>) => (await api("GET", "/v1/me/notifications/unread-count", { headers })).body;

describe("GET /v1/me/notifications/unread-count", () => {
  it("counts my live unread notifications only", async () => {
    const me = await signedInUser();
    const other = await signedInUser();
    expect(await unreadCount(me.headers)).toEqual({ unread: 0 });
    await notify(me.id);
    await notify(me.id, { type: "system" });
    await notify(me.id, { read: true });
    await notify(me.id, { deleted: true });
    await notify(other.id);
    expect(await unreadCount(me.headers)).toEqual({ unread: 2 });
  });
});

describe("POST /v1/me/notifications/read", () => {
  it("marks the ids given, mine only, and answers what stays unread", async () => {
    const me = await signedInUser();
    const other = await signedInUser();
    const [a, b, c] = [await notify(me.id, { createdAt: ago(3) }), await notify(me.id, { createdAt: ago(2) }), await notify(me.id, { createdAt: ago(1) })];
    const theirs = await notify(other.id);
    const res = await api("POST", "/v1/me/notifications/read", { headers: me.headers, body: { ids: [a, b, theirs, crypto.randomUUID()] } });
    expect(res).toMatchObject({ status: 200, body: { unread: 1 } });
    expect(await state(a)).toMatchObject({ is_read: true, read_at: expect.anything() });
    expect(await state(c)).toMatchObject({ is_read: false, read_at: null });
    expect(await state(theirs)).toMatchObject({ is_read: false, read_at: null });
    expect(await unreadCount(other.headers)).toEqual({ unread: 1 });
    const unread = await api("GET", "/v1/me/notifications?unread=true", { headers: me.headers });
    expect(unread.body.items.map((n: { id: string }) => n.id)).toEqual([c]);
  });

  it("marks all of mine without ids, keeping the first read_at", async () => {
    const me = await signedInUser();
    const other = await signedInUser();
    const earlier = await notify(me.id, { read: true });
    const firstRead = (await state(earlier)).read_at;
    for (let i = 0; i < 3; i++) await notify(me.id);
    const theirs = await notify(other.id);
    expect(await api("POST", "/v1/me/notifications/read", { headers: me.headers })).toMatchObject({ status: 200, body: { unread: 0 } });
    expect(await unreadCount(me.headers)).toEqual({ unread: 0 });
    expect((await state(earlier)).read_at).toEqual(firstRead);
    expect(await state(theirs)).toMatchObject({ is_read: false });
    expect(await api("POST", "/v1/me/notifications/read", { headers: me.headers, body: {} })).toMatchObject({ status: 200, body: { unread: 0 } });
  });

  it("refuses more than 100 ids, a non-uuid, an empty list or an unknown field with 422", async () => {
    const me = await signedInUser();
    const kept = await notify(me.id);
    const bodies = [
      { ids: Array.from({ length: 101 }, () => crypto.randomUUID()) },
      { ids: ["nope"] },
      { ids: [] },
      { ids: kept },
      { all: true },
    ];
    for (const body of bodies) {
      const res = await api("POST", "/v1/me/notifications/read", { headers: me.headers, body });
      expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(422);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect(await state(kept)).toMatchObject({ is_read: false });
    expect((await api("POST", "/v1/me/notifications/read", { headers: me.headers, body: { ids: Array.from({ length: 100 }, () => crypto.randomUUID()) } })).status).toBe(200);
  });
});

describe("DELETE /v1/me/notifications/:id", () => {
  it("soft-deletes one of mine; another's, a deleted one or an unknown id is 404", async () => {
    const me = await signedInUser();
    const other = await signedInUser();
    const gone = await notify(me.id);
    const kept = await notify(me.id, { read: true });
    const theirs = await notify(other.id);
    expect((await api("DELETE", `/v1/me/notifications/${gone}`, { headers: me.headers })).status).toBe(204);
    expect((await state(gone)).deleted_at).not.toBeNull();
    const list = await api("GET", "/v1/me/notifications", { headers: me.headers });
    expect(list.body.items.map((n: { id: string }) => n.id)).toEqual([kept]);
    expect(await unreadCount(me.headers)).toEqual({ unread: 0 });
    for (const id of [gone, theirs, crypto.randomUUID()]) {
      const res = await api("DELETE", `/v1/me/notifications/${id}`, { headers: me.headers });
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await state(theirs)).deleted_at).toBeNull();
    expect((await api("DELETE", "/v1/me/notifications/nope", { headers: me.headers })).status).toBe(422);
  });
});

describe("notifications access", () => {
  it("is for signed-in users only: anonymous 401, banned 403, deleted 401", async () => {
    const banned = await signedInUser();
    const entry = await notify(banned.id);
    await banUser(banned.id);
    const gone = await signedInUser();
    await softDeleteUser(gone.id);
    const requests: [string, string][] = [
      ["GET", "/v1/me/notifications"],
      ["GET", "/v1/me/notifications/unread-count"],
      ["POST", "/v1/me/notifications/read"],
      ["DELETE", `/v1/me/notifications/${entry}`],
    ];
    for (const [method, path] of requests) {
      expect((await api(method, path)).status, `${method} ${path} anonymous`).toBe(401);
      expect((await api(method, path, { headers: banned.headers })).status, `${method} ${path} banned`).toBe(403);
      expect((await api(method, path, { headers: gone.headers })).status, `${method} ${path} deleted`).toBe(401);
    }
    expect(await state(entry)).toMatchObject({ is_read: false, deleted_at: null });
  });
});
