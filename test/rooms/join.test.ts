import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { codeOf, makeRoom, memberCount, membershipRow, staffedRoom } from "./fixtures";
import { freshRateWindow } from "../helpers/rate-window";

const join = (roomId: string, headers: Record<string, string>, body?: object) => api("POST", `/v1/rooms/${roomId}/join`, { headers, body });

describe("joining a room", () => {
  it("admits anyone signed in to a public room, once (idempotent), and counts them", async () => {
    const owner = await signedInUser();
    const room = await makeRoom(owner);
    const user = await signedInUser();
    const first = await join(room.id, user.headers);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ room_id: room.id, joined: true, membership: { role: "member", last_read_seq: 0 } });
    const again = await join(room.id, user.headers, {});
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ joined: false, membership: { role: "member" } });
    expect(await memberCount(room.id)).toBe(2);
    const owners = await join(room.id, owner.headers);
    expect(owners.body).toMatchObject({ joined: false, membership: { role: "owner" } });
  });

  it("hides a private room from joiners without an invitation or its code (404), and admits them with the code", async () => {
    const owner = await signedInUser();
    const room = await makeRoom(owner, { room_type: "private" });
    const user = await signedInUser();
    expect((await join(room.id, user.headers)).status).toBe(404);
    expect((await join(room.id, user.headers, { code: "ZZZZZZZZ" })).status).toBe(404);
    const res = await join(room.id, user.headers, { code: (await codeOf(room.id)).toLowerCase() });
    expect(res.status).toBe(200);
    expect(res.body.joined).toBe(true);
  });

  it("needs the password of a protected room: missing or wrong is 403, right joins", async () => {
    const owner = await signedInUser();
    const room = await makeRoom(owner, { password: "correct horse" });
    const user = await signedInUser();
    const missing = await join(room.id, user.headers);
    expect(missing.status).toBe(403);
    expect(missing.body.detail).toMatch(/password/);
    expect((await join(room.id, user.headers, { password: "wrong horse" })).status).toBe(403);
    expect(await membershipRow(room.id, user.id)).toBeNull();
    expect((await join(room.id, user.headers, { password: "correct horse" })).body.joined).toBe(true);
  });

  it("takes a private protected room's code and password together; a password for a room one cannot see is still 404", async () => {
    const owner = await signedInUser();
    const room = await makeRoom(owner, { room_type: "private", password: "pw-1234" });
    const user = await signedInUser();
    expect((await join(room.id, user.headers, { password: "pw-1234" })).status).toBe(404);
    expect((await join(room.id, user.headers, { code: await codeOf(room.id) })).status).toBe(403);
    expect((await join(room.id, user.headers, { code: await codeOf(room.id), password: "pw-1234" })).status).toBe(200);
  });

  it("refuses the banned (403) and a full room (409), and lets a member who left or was kicked rejoin", async () => {
    const { room, owner, member, moderator } = await staffedRoom({ max_members: 5 });
    await api("POST", `/v1/rooms/${room.id}/members/${member.id}/ban`, { headers: owner.headers, body: { reason: "spam" } });
    expect((await join(room.id, member.headers)).status).toBe(403);
    const sixth = await signedInUser();
    expect((await join(room.id, sixth.headers)).status).toBe(200);
    const seventh = await signedInUser();
    const full = await join(room.id, seventh.headers);
    expect(full.status).toBe(409);
    expect(full.body.detail).toMatch(/full/);
    expect((await api("POST", `/v1/rooms/${room.id}/leave`, { headers: moderator.headers })).status).toBe(204);
    expect((await join(room.id, seventh.headers)).status).toBe(200);
    expect((await api("DELETE", `/v1/rooms/${room.id}/members/${seventh.id}`, { headers: owner.headers })).status).toBe(204);
    expect((await join(room.id, seventh.headers)).status).toBe(200);
    expect(await memberCount(room.id)).toBe(5);
  });

  it("never passes max_members under concurrent joins", async () => {
    const owner = await signedInUser();
    const room = await makeRoom(owner, { max_members: 3 });
    const users = await Promise.all(Array.from({ length: 8 }, () => signedInUser()));
    const results = await Promise.all(users.map((u) => join(room.id, u.headers)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(2);
    expect(results.filter((r) => r.status === 409)).toHaveLength(6);
    expect(await memberCount(room.id)).toBe(3);
    const [row] = await sql.query("SELECT count(*)::int AS n FROM room_members WHERE room_id = $1", [room.id]);
    expect(row!.n).toBe(3);
  });
  it("limits how often one may try to join (password guesses stay slow): 429 with Retry-After", async () => {
    const owner = await signedInUser();
    const room = await makeRoom(owner);
    const user = await signedInUser();
    const statuses = [];
    await freshRateWindow();
    for (let i = 0; i < 21; i++) statuses.push((await join(room.id, user.headers)).status);
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    const limited = await join(room.id, user.headers);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("60");
  });
});

describe("leaving and handing over a room", () => {
  it("lets members leave (idempotently) but not the owner (409)", async () => {
    const { room, owner, member, outsider } = await staffedRoom();
    expect((await api("POST", `/v1/rooms/${room.id}/leave`, { headers: member.headers })).status).toBe(204);
    expect(await membershipRow(room.id, member.id)).toBeNull();
    expect((await api("POST", `/v1/rooms/${room.id}/leave`, { headers: member.headers })).status).toBe(204);
    expect((await api("POST", `/v1/rooms/${room.id}/leave`, { headers: outsider.headers })).status).toBe(204);
    const owners = await api("POST", `/v1/rooms/${room.id}/leave`, { headers: owner.headers });
    expect(owners.status).toBe(409);
    expect(owners.body.detail).toMatch(/transfer/);
    expect(await memberCount(room.id)).toBe(4);
  });

  it("transfers ownership to a member; the previous owner becomes an admin and may then leave", async () => {
    const { room, owner, admin, member, outsider } = await staffedRoom();
    expect((await api("POST", `/v1/rooms/${room.id}/transfer`, { headers: admin.headers, body: { user_id: member.id } })).status).toBe(403);
    expect((await api("POST", `/v1/rooms/${room.id}/transfer`, { headers: owner.headers, body: { user_id: outsider.id } })).status).toBe(404);
    expect((await api("POST", `/v1/rooms/${room.id}/transfer`, { headers: owner.headers, body: { user_id: owner.id } })).status).toBe(422);
    const res = await api("POST", `/v1/rooms/${room.id}/transfer`, { headers: owner.headers, body: { user_id: member.id } });
    expect(res.status).toBe(200);
    expect(res.body.owner).toMatchObject({ user: { id: member.id }, role: "owner" });
    expect(res.body.previous_owner).toMatchObject({ user: { id: owner.id }, role: "admin" });
    const [row] = await sql.query("SELECT count(*)::int AS n FROM room_members WHERE room_id = $1 AND role = 'owner'", [room.id]);
    expect(row!.n).toBe(1);
    const repeated = await api("POST", `/v1/rooms/${room.id}/transfer`, { headers: owner.headers, body: { user_id: member.id } });
    expect(repeated.status).toBe(200);
    expect(repeated.body.owner.user.id).toBe(member.id);
    expect((await api("POST", `/v1/rooms/${room.id}/leave`, { headers: owner.headers })).status).toBe(204);
    expect((await api("DELETE", `/v1/rooms/${room.id}`, { headers: member.headers })).status).toBe(204);
  });
});
