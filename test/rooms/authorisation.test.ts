import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { expectSignedInOnly, send, type Route } from "../helpers/authorisation";
import { banUser, makeRoom, memberOf, softDeleteUser } from "./fixtures";

/**
 * Every route that needs a user, as anonymous (401), a banned account (403) and a deleted one
 * (401); and as another signed-in user: 404 on a private room (its existence is not revealed), 403
 * on a public room they may see but not act in.
 */
async function routes() {
  const owner = await signedInUser();
  const pub = await makeRoom(owner);
  const priv = await makeRoom(owner, { room_type: "private" });
  const target = await memberOf(pub.id, "member");
  const privateMember = await memberOf(priv.id, "member");
  const invite = (await api("POST", `/v1/rooms/${pub.id}/invites`, { headers: owner.headers, body: { username: (await signedInUser()).username } })).body;
  const inRoom = (id: string, userId: string, inviteId: string): Route[] => [
    ["PATCH", `/v1/rooms/${id}`, { name: "x" }],
    ["POST", `/v1/rooms/${id}/archive`],
    ["POST", `/v1/rooms/${id}/unarchive`],
    ["DELETE", `/v1/rooms/${id}`],
    ["POST", `/v1/rooms/${id}/transfer`, { user_id: userId }],
    ["PUT", `/v1/rooms/${id}/read`, { seq: 1 }],
    ["PATCH", `/v1/rooms/${id}/members/me`, { nickname: "x" }],
    ["PATCH", `/v1/rooms/${id}/members/${userId}`, { role: "moderator" }],
    ["POST", `/v1/rooms/${id}/members/${userId}/mute`, {}],
    ["POST", `/v1/rooms/${id}/members/${userId}/unmute`],
    ["DELETE", `/v1/rooms/${id}/members/${userId}`],
    ["POST", `/v1/rooms/${id}/members/${userId}/ban`, {}],
    ["DELETE", `/v1/rooms/${id}/bans/${userId}`],
    ["POST", `/v1/rooms/${id}/invites`, { username: owner.username }],
    ["DELETE", `/v1/rooms/${id}/invites/${inviteId}`],
  ];
  const anyone = (id: string): Route[] => [
    ["POST", `/v1/rooms/${id}/join`, {}],
    ["POST", `/v1/rooms/${id}/leave`],
  ];
  const mine: Route[] = [
    ["POST", "/v1/rooms", { name: "x" }],
    ["GET", "/v1/me/rooms"],
    ["GET", "/v1/me/room-invites"],
    ["POST", `/v1/me/room-invites/${invite.id}/accept`],
    ["POST", `/v1/me/room-invites/${invite.id}/decline`],
  ];
  return { owner, pub, priv, target, privateMember, invite, inRoom, anyone, mine };
}

describe("authorisation of the room routes", () => {
  it("answers 401 to anonymous requests, 403 to a banned account and 401 to a deleted one on every signed-in route", async () => {
    const r = await routes();
    const all = [...r.inRoom(r.pub.id, r.target.id, r.invite.id), ...r.inRoom(r.priv.id, r.target.id, r.invite.id), ...r.anyone(r.pub.id), ...r.anyone(r.priv.id), ...r.mine];
    await expectSignedInOnly(all);
  });

  it("answers another user 404 on everything of a private room, and 403 on acting in a public one", async () => {
    const r = await routes();
    const other = await signedInUser();
    const priv = [...r.inRoom(r.priv.id, r.target.id, r.invite.id), ...r.anyone(r.priv.id), ["GET", `/v1/rooms/${r.priv.id}`], ["GET", `/v1/rooms/${r.priv.id}/members`]] as Route[];
    for (const route of priv) expect((await send(other, route)).status, `${route[0]} ${route[1]}`).toBe(404);
    for (const route of r.inRoom(r.pub.id, r.target.id, r.invite.id)) expect((await send(other, route)).status, `${route[0]} ${route[1]}`).toBe(403);
    expect((await send(other, ["POST", `/v1/me/room-invites/${r.invite.id}/accept`])).status).toBe(404);
  });

  it("answers a member banned from the room 403 wherever they would act, and 404 on a private room's reads", async () => {
    const r = await routes();
    const bannedMember = await memberOf(r.pub.id, "moderator");
    await api("POST", `/v1/rooms/${r.pub.id}/members/${bannedMember.id}/ban`, { headers: r.owner.headers });
    for (const route of [...r.inRoom(r.pub.id, r.target.id, r.invite.id), ...r.anyone(r.pub.id), ["GET", `/v1/rooms/${r.pub.id}`], ["GET", `/v1/rooms/${r.pub.id}/members`]] as Route[]) {
      expect((await send(bannedMember, route)).status, `${route[0]} ${route[1]}`).toBe(403);
    }
    await api("POST", `/v1/rooms/${r.priv.id}/members/${r.privateMember.id}/ban`, { headers: r.owner.headers });
    expect((await send(r.privateMember, ["GET", `/v1/rooms/${r.priv.id}`])).status).toBe(404);
    expect((await send(r.privateMember, ["POST", `/v1/rooms/${r.priv.id}/join`, {}])).status).toBe(403);
  });

  it("answers a token of a banned or deleted account on the public reads with 403/401, not anonymously", async () => {
    const r = await routes();
    const banned = await signedInUser();
    const deleted = await signedInUser();
    await banUser(banned.id);
    await softDeleteUser(deleted.id);
    for (const path of [`/v1/rooms/${r.pub.id}`, `/v1/rooms/${r.pub.id}/members`, "/v1/rooms", `/v1/rooms/by-code/ABCDEFGH`]) {
      expect((await api("GET", path, { headers: banned.headers })).status, path).toBe(403);
      expect((await api("GET", path, { headers: deleted.headers })).status, path).toBe(401);
    }
  });
});
