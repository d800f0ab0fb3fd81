import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { expectSignedInOnly, send, type Route } from "../helpers/authorisation";
import { staffedGroup } from "./fixtures";

/** Every route of a group that needs a user, on `slug`, acting on `username`. */
const inGroup = (slug: string, username: string): Route[] => [
  ["PATCH", `/v1/groups/${slug}`, { name: "x" }],
  ["DELETE", `/v1/groups/${slug}`],
  ["POST", `/v1/groups/${slug}/transfer`, { username }],
  ["GET", `/v1/groups/${slug}/requests`],
  ["POST", `/v1/groups/${slug}/requests/${username}/approve`],
  ["POST", `/v1/groups/${slug}/requests/${username}/reject`],
  ["PATCH", `/v1/groups/${slug}/members/${username}`, { role: "moderator" }],
  ["DELETE", `/v1/groups/${slug}/members/${username}`],
  ["POST", `/v1/groups/${slug}/bans/${username}`],
  ["DELETE", `/v1/groups/${slug}/bans/${username}`],
];

describe("authorisation of the group routes", () => {
  it("answers 401 to anonymous requests, 403 to a banned account and 401 to a deleted one on every signed-in route", async () => {
    const s = await staffedGroup();
    const all: Route[] = [
      ...inGroup(s.group.slug, s.member.username),
      ["POST", `/v1/groups/${s.group.slug}/join`],
      ["DELETE", `/v1/groups/${s.group.slug}/membership`],
      ["POST", "/v1/groups", { name: "x" }],
      ["GET", "/v1/me/groups"],
    ];
    const { banned, deleted } = await expectSignedInOnly(all);
    for (const path of [`/v1/groups/${s.group.slug}`, `/v1/groups/${s.group.slug}/members`, "/v1/groups"]) {
      expect((await api("GET", path, { headers: banned.headers })).status, path).toBe(403);
      expect((await api("GET", path, { headers: deleted.headers })).status, path).toBe(401);
      expect((await api("GET", path)).status, path).toBe(200);
    }
  });

  it("answers non-members, requesters, members and members banned from the group 403 on every staff route", async () => {
    const s = await staffedGroup();
    const bannedMember = await signedInUser();
    await api("POST", `/v1/groups/${s.group.slug}/join`, { headers: bannedMember.headers });
    await api("POST", `/v1/groups/${s.group.slug}/bans/${bannedMember.username}`, { headers: s.owner.headers });
    for (const who of [s.outsider, s.pending, s.member, bannedMember]) {
      for (const route of inGroup(s.group.slug, s.member2.username)) expect((await send(who, route)).status, `${who.username} ${route[0]} ${route[1]}`).toBe(403);
    }
  });

  it("answers each staff role 403 below the rank a route needs", async () => {
    const s = await staffedGroup();
    const t = s.member2.username;
    const slug = s.group.slug;
    const ownerOnly: Route[] = [["DELETE", `/v1/groups/${slug}`], ["POST", `/v1/groups/${slug}/transfer`, { username: t }]];
    const adminUp: Route[] = [["PATCH", `/v1/groups/${slug}`, { name: "x" }], ["PATCH", `/v1/groups/${slug}/members/${t}`, { role: "moderator" }]];
    for (const route of ownerOnly) expect((await send(s.admin, route)).status, `admin ${route[1]}`).toBe(403);
    for (const route of [...ownerOnly, ...adminUp]) expect((await send(s.moderator, route)).status, `moderator ${route[1]}`).toBe(403);
  });

  it("answers 404 on every route of a group that does not exist", async () => {
    const me = await signedInUser();
    for (const route of [...inGroup("no-such-group-x", me.username), ["POST", "/v1/groups/no-such-group-x/join"], ["GET", "/v1/groups/no-such-group-x/members"]] as Route[]) {
      expect((await send(me, route)).status, `${route[0]} ${route[1]}`).toBe(404);
    }
  });
});
