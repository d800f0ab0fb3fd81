import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { withRoundTrips } from "../helpers/round-trips";
import { uniq } from "../helpers/db";
import { memberOf, staffedGroup } from "./fixtures";

/** Round trips of one request (as `user`, whose auth state is already cached at the edge, or anonymous). */
async function roundTrips(user: SignedInUser | null, method: string, path: string, body?: unknown) {
  if (user) expect((await api("GET", "/v1/me", { headers: user.headers })).status).toBe(200); // warms the auth state cache
  const headers: Record<string, string> = { ...(user?.headers ?? {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) };
  const { response, roundTrips } = await withRoundTrips(new Request(`https://veza.test${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
  return { status: response.status, roundTrips };
}

describe("groups' database round trips", () => {
  it("reads in one round trip each", async () => {
    const s = await staffedGroup({ requires_approval: true });
    const slug = s.group.slug;
    expect(await roundTrips(null, "GET", "/v1/groups?limit=1")).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(s.member, "GET", `/v1/groups?q=Group`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(s.member, "GET", "/v1/me/groups")).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(s.member, "GET", `/v1/groups/${slug}`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(null, "GET", `/v1/groups/${slug}/members?limit=2`)).toEqual({ status: 200, roundTrips: 1 });
    const next = (await api("GET", `/v1/groups/${slug}/members?limit=2`)).body.next_cursor as string;
    expect(await roundTrips(s.member, "GET", `/v1/groups/${slug}/members?limit=2&cursor=${next}`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(s.moderator, "GET", `/v1/groups/${slug}/requests`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(s.member, "GET", `/v1/groups/${slug}/requests`)).toEqual({ status: 403, roundTrips: 1 });
    expect(await roundTrips(null, "GET", "/v1/groups/no-such-group-x")).toEqual({ status: 404, roundTrips: 1 });
  });

  it("writes in one round trip each", async () => {
    const s = await staffedGroup({ requires_approval: true });
    const slug = s.group.slug;
    const fan = await signedInUser();
    const other = await memberOf(s.group.id);
    expect(await roundTrips(s.outsider, "POST", "/v1/groups", { name: `RT ${uniq()}` })).toEqual({ status: 201, roundTrips: 1 });
    expect(await roundTrips(s.admin, "PATCH", `/v1/groups/${slug}`, { description: "d" })).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(fan, "POST", `/v1/groups/${slug}/join`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(s.moderator, "POST", `/v1/groups/${slug}/requests/${fan.username}/approve`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(s.moderator, "POST", `/v1/groups/${slug}/requests/${s.pending.username}/reject`)).toEqual({ status: 204, roundTrips: 1 });
    expect(await roundTrips(s.owner, "PATCH", `/v1/groups/${slug}/members/${s.member.username}`, { role: "moderator" })).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(s.admin, "DELETE", `/v1/groups/${slug}/members/${s.member.username}`)).toEqual({ status: 204, roundTrips: 1 });
    expect(await roundTrips(s.moderator, "POST", `/v1/groups/${slug}/bans/${other.username}`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(s.moderator, "DELETE", `/v1/groups/${slug}/bans/${other.username}`)).toEqual({ status: 204, roundTrips: 1 });
    expect(await roundTrips(fan, "DELETE", `/v1/groups/${slug}/membership`)).toEqual({ status: 204, roundTrips: 1 });
    expect(await roundTrips(s.owner, "POST", `/v1/groups/${slug}/transfer`, { username: s.admin.username })).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(s.admin, "DELETE", `/v1/groups/${slug}`)).toEqual({ status: 204, roundTrips: 1 });
  });
});
