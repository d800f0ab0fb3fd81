import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { withRoundTrips } from "../helpers/round-trips";
import { codeOf, makeRoom, memberOf } from "./fixtures";

/**
 * DESIGN §8: one round trip per read, at most two per write. The users' auth state is cached by
 * their earlier requests (as at the edge), so these are the endpoints' own statements. Only a join
 * with a password takes two (read the hash, verify it in the Worker, join).
 */
describe("database round trips of the room routes", () => {
  it("is one for every route, two for a join with a password", async () => {
    const owner = await signedInUser();
    const guest = await signedInUser();
    const invitee = await signedInUser();
    const room = await makeRoom(owner);
    const locked = await makeRoom(owner, { room_type: "private", password: "pw-secret" });
    const target = await memberOf(room.id, "member");
    await api("GET", "/v1/me/rooms", { headers: guest.headers }); // warms the auth state of each user
    await api("GET", "/v1/me/rooms", { headers: invitee.headers });
    await api("GET", "/v1/me/rooms", { headers: target.headers });
    const base = `/v1/rooms/${room.id}`;
    const cases: [string, string, Record<string, string>, object?, number?][] = [
      ["POST", "/v1/rooms", owner.headers, { name: "rt" }],
      ["GET", base, {}],
      ["GET", base, guest.headers],
      ["GET", `/v1/rooms/by-code/${await codeOf(room.id)}`, {}],
      ["GET", "/v1/rooms?q=rt", {}],
      ["GET", "/v1/me/rooms", owner.headers],
      ["PATCH", base, owner.headers, { topic: "round trips" }],
      ["POST", `${base}/join`, guest.headers, {}],
      ["POST", `/v1/rooms/${locked.id}/join`, guest.headers, { code: await codeOf(locked.id), password: "pw-secret" }, 2],
      ["PUT", `${base}/read`, guest.headers, { seq: 3 }],
      ["PATCH", `${base}/members/me`, guest.headers, { nickname: "rt" }],
      ["GET", `${base}/members`, guest.headers],
      ["GET", `${base}/members?banned=true`, owner.headers],
      ["PATCH", `${base}/members/${guest.id}`, owner.headers, { role: "moderator" }],
      ["POST", `${base}/members/${target.id}/mute`, guest.headers, { minutes: 5 }],
      ["POST", `${base}/members/${target.id}/unmute`, guest.headers],
      ["POST", `${base}/invites`, guest.headers, { username: invitee.username }],
      ["GET", "/v1/me/room-invites", invitee.headers],
      ["POST", `${base}/members/${target.id}/ban`, owner.headers, { reason: "rt" }],
      ["DELETE", `${base}/bans/${target.id}`, owner.headers],
      ["POST", `${base}/transfer`, owner.headers, { user_id: guest.id }],
      ["DELETE", `${base}/members/${owner.id}`, guest.headers],
      ["POST", `${base}/archive`, guest.headers],
      ["POST", `${base}/unarchive`, guest.headers],
      ["POST", `${base}/leave`, target.headers],
      ["DELETE", base, guest.headers],
    ];
    for (const [method, path, headers, body, expected = 1] of cases) {
      const request = new Request(`https://veza.test${path}`, {
        method,
        headers: { ...headers, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const { response, roundTrips } = await withRoundTrips(request);
      expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBeLessThan(300);
      await response.arrayBuffer();
      expect(roundTrips, `${method} ${path}`).toBe(expected);
    }
  });

  it("is one for accepting, declining and withdrawing invitations", async () => {
    const owner = await signedInUser();
    const [a, b, c] = [await signedInUser(), await signedInUser(), await signedInUser()];
    const room = await makeRoom(owner, { room_type: "private" });
    const invites = [];
    for (const user of [a, b, c]) invites.push((await api("POST", `/v1/rooms/${room.id}/invites`, { headers: owner.headers, body: { username: user.username } })).body.id);
    for (const user of [a, b]) await api("GET", "/v1/me/room-invites", { headers: user.headers });
    for (const [method, path, headers] of [
      ["POST", `/v1/me/room-invites/${invites[0]}/accept`, a.headers],
      ["POST", `/v1/me/room-invites/${invites[1]}/decline`, b.headers],
      ["DELETE", `/v1/rooms/${room.id}/invites/${invites[2]}`, owner.headers],
    ] as const) {
      const { response, roundTrips } = await withRoundTrips(new Request(`https://veza.test${path}`, { method, headers }));
      expect(response.status, `${method} ${path}`).toBeLessThan(300);
      expect(roundTrips, `${method} ${path}`).toBe(1);
    }
  });
});
