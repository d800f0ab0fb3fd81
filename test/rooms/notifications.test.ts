import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { makeRoom, memberOf, membershipRow } from "./fixtures";

type Call = { room: string; method: "memberChanged" | "configure"; args: unknown[] };

/** A CHAT_ROOM namespace that records what each room object is told (or fails, to test the 503). */
function recordingRooms(fail = false) {
  const calls: Call[] = [];
  const namespace = {
    idFromName: (name: string) => name,
    get: (room: string) => ({
      memberChanged: async (...args: unknown[]) => {
        if (fail) throw new Error("room object unavailable");
        calls.push({ room, method: "memberChanged", args });
      },
      configure: async (...args: unknown[]) => {
        if (fail) throw new Error("room object unavailable");
        calls.push({ room, method: "configure", args });
      },
    }),
  };
  return { calls, bindings: { CHAT_ROOM: namespace as unknown as Cloudflare.Env["CHAT_ROOM"] } };
}

describe("telling the room's Durable Object", () => {
  it("sends the member as the room enforces it after joins, changes and moderation", async () => {
    const owner = await signedInUser();
    const room = await makeRoom(owner);
    const user = await signedInUser();
    const { calls, bindings } = recordingRooms();
    const as = (who: typeof owner, method: string, path: string, body?: object) => api(method, path, { headers: who.headers, body, bindings });

    await as(user, "POST", `/v1/rooms/${room.id}/join`);
    await as(user, "PATCH", `/v1/rooms/${room.id}/members/me`, { nickname: "Nick" });
    await as(owner, "POST", `/v1/rooms/${room.id}/members/${user.id}/mute`, { minutes: 5 });
    await as(owner, "POST", `/v1/rooms/${room.id}/members/${user.id}/ban`, {});
    const kicked = await memberOf(room.id);
    await as(owner, "DELETE", `/v1/rooms/${room.id}/members/${kicked.id}`);
    const leaver = await memberOf(room.id);
    await as(leaver, "POST", `/v1/rooms/${room.id}/leave`);
    await as(owner, "PATCH", `/v1/rooms/${room.id}`, { slow_mode_seconds: 15 });
    await as(owner, "POST", `/v1/rooms/${room.id}/archive`);
    await as(owner, "DELETE", `/v1/rooms/${room.id}`);

    expect(calls.every((c) => c.room === room.id)).toBe(true);
    const changes = calls.filter((c) => c.method === "memberChanged").map((c) => [c.args[0], c.args[2]]);
    expect(changes).toEqual([
      [user.id, "joined"],
      [user.id, "updated"],
      [user.id, "updated"],
      [user.id, "banned"],
      [kicked.id, "kicked"],
      [leaver.id, "left"],
    ]);
    const members = calls.filter((c) => c.method === "memberChanged").map((c) => c.args[1] as Record<string, unknown> | null);
    expect(members[0]).toMatchObject({ user_id: user.id, username: user.username, role: "member", nickname: null, muted_until: null, muted_forever: false });
    expect(members[1]).toMatchObject({ nickname: "Nick" });
    expect(members[2]!.muted_until).toBeGreaterThan(Date.now() + 4 * 60_000);
    expect(members.slice(3)).toEqual([null, null, null]);
    expect(calls.filter((c) => c.method === "configure").map((c) => c.args[0])).toEqual([
      { room_id: room.id, slow_mode_seconds: 15, is_archived: false, is_deleted: false },
      { room_id: room.id, slow_mode_seconds: 15, is_archived: true, is_deleted: false },
      { room_id: room.id, slow_mode_seconds: 15, is_archived: true, is_deleted: true },
    ]);
  });

  it("answers 503 when the room cannot be told; the change is stored and repeating the request tells the room", async () => {
    const owner = await signedInUser();
    const room = await makeRoom(owner);
    const user = await signedInUser();
    const down = recordingRooms(true);
    const res = await api("POST", `/v1/rooms/${room.id}/join`, { headers: user.headers, bindings: down.bindings });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("2");
    expect(await membershipRow(room.id, user.id)).not.toBeNull();
    const up = recordingRooms();
    const again = await api("POST", `/v1/rooms/${room.id}/join`, { headers: user.headers, bindings: up.bindings });
    expect(again.status).toBe(200);
    expect(again.body.joined).toBe(false);
    expect(up.calls.map((c) => [c.method, c.args[0], c.args[2]])).toEqual([["memberChanged", user.id, "joined"]]);
  });
});
