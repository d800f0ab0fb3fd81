import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { banUser, softDeleteUser } from "../tracks/fixtures";

const counts = async (id: string) =>
  (await sql.query("SELECT follower_count, following_count FROM user_profiles WHERE user_id = $1", [id]))[0];
const follows = async (follower: string, following: string) =>
  (await sql.query("SELECT count(*)::int AS n FROM follows WHERE follower_id = $1 AND following_id = $2", [follower, following]))[0]!.n;
const block = (blocker: string, blocked: string) => sql.query("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)", [blocker, blocked]);

describe("following users", () => {
  it("follows and unfollows idempotently, the counters kept on both users", async () => {
    const [me, them] = await Promise.all([signedInUser(), signedInUser()]);
    const first = await api("PUT", `/v1/users/${them.username.toUpperCase()}/follow`, { headers: me.headers });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ following: true, follower_count: 1 });
    const again = await api("PUT", `/v1/users/${them.username}/follow`, { headers: me.headers });
    expect(again.body).toEqual({ following: true, follower_count: 1 });
    expect(await follows(me.id, them.id)).toBe(1);
    expect(await counts(them.id)).toEqual({ follower_count: 1, following_count: 0 });
    expect(await counts(me.id)).toEqual({ follower_count: 0, following_count: 1 });
    expect((await api("GET", `/v1/me/following/${them.username.toUpperCase()}`, { headers: me.headers })).body).toEqual({ following: true });
    expect((await api("GET", `/v1/me/following/${me.username}`, { headers: them.headers })).body).toEqual({ following: false });

    const unfollowed = await api("DELETE", `/v1/users/${them.username}/follow`, { headers: me.headers });
    expect(unfollowed.status).toBe(200);
    expect(unfollowed.body).toEqual({ following: false, follower_count: 0 });
    expect((await api("DELETE", `/v1/users/${them.username}/follow`, { headers: me.headers })).body).toEqual({ following: false, follower_count: 0 });
    expect(await follows(me.id, them.id)).toBe(0);
    expect(await counts(them.id)).toEqual({ follower_count: 0, following_count: 0 });
    expect((await api("GET", `/v1/me/following/${them.username}`, { headers: me.headers })).body).toEqual({ following: false });
    expect((await api("GET", "/v1/me/following/nobody_follows_here", { headers: me.headers })).body).toEqual({ following: false });
    expect((await api("GET", "/v1/me/following/a-b", { headers: me.headers })).status).toBe(422);
    expect(await counts(me.id)).toEqual({ follower_count: 0, following_count: 0 });
  });

  it("answers the follower count with the other followers included", async () => {
    const [me, fan, star] = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
    expect((await api("PUT", `/v1/users/${star.username}/follow`, { headers: fan.headers })).body).toEqual({ following: true, follower_count: 1 });
    expect((await api("PUT", `/v1/users/${star.username}/follow`, { headers: me.headers })).body).toEqual({ following: true, follower_count: 2 });
    expect((await api("DELETE", `/v1/users/${star.username}/follow`, { headers: fan.headers })).body).toEqual({ following: false, follower_count: 1 });
    expect(await counts(star.id)).toEqual({ follower_count: 1, following_count: 0 });
  });

  it("refuses to follow across a block, whoever blocked whom (403), and writes nothing", async () => {
    const [me, blockedByMe, blockerOfMe] = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
    await block(me.id, blockedByMe.id);
    await block(blockerOfMe.id, me.id);
    const mine = await api("PUT", `/v1/users/${blockedByMe.username}/follow`, { headers: me.headers });
    expect(mine.status).toBe(403);
    expect(mine.headers.get("content-type")).toBe("application/problem+json");
    expect(mine.body).toMatchObject({ code: "forbidden", detail: expect.stringContaining("unblock") });
    const theirs = await api("PUT", `/v1/users/${blockerOfMe.username}/follow`, { headers: me.headers });
    expect(theirs.status).toBe(403);
    expect(theirs.body.detail).not.toContain("unblock");
    expect((await api("PUT", `/v1/users/${me.username}/follow`, { headers: blockedByMe.headers })).status).toBe(403);
    expect(await follows(me.id, blockedByMe.id)).toBe(0);
    expect(await follows(me.id, blockerOfMe.id)).toBe(0);
    expect(await counts(blockerOfMe.id)).toEqual({ follower_count: 0, following_count: 0 });
  });

  it("refuses yourself (422), unknown, banned, deleted and others' private users (404) and bad names (422)", async () => {
    const [me, banned, deleted, hidden] = await Promise.all([signedInUser(), signedInUser(), signedInUser(), signedInUser()]);
    await banUser(banned.id);
    await softDeleteUser(deleted.id);
    await sql.query("UPDATE user_profiles SET profile_visibility = 'private' WHERE user_id = $1", [hidden.id]);
    for (const method of ["PUT", "DELETE"]) {
      const self = await api(method, `/v1/users/${me.username}/follow`, { headers: me.headers });
      expect(self.status, method).toBe(422);
      expect(self.headers.get("content-type")).toBe("application/problem+json");
      expect(self.body.errors).toEqual([{ path: "param.username", message: "is you" }]);
      for (const name of ["nobody_follows_here", banned.username, deleted.username, hidden.username]) {
        const res = await api(method, `/v1/users/${name}/follow`, { headers: me.headers });
        expect(res.status, `${method} ${name}`).toBe(404);
        expect(res.body).toMatchObject({ code: "not_found" });
      }
      expect((await api(method, "/v1/users/not%20a%20name/follow", { headers: me.headers })).status).toBe(422);
      expect((await api(method, "/v1/users/ab/follow", { headers: me.headers })).status).toBe(422);
    }
    expect(await counts(me.id)).toEqual({ follower_count: 0, following_count: 0 });
  });

  it("still unfollows someone since banned or made private", async () => {
    const [me, banned, hidden] = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
    for (const them of [banned, hidden]) expect((await api("PUT", `/v1/users/${them.username}/follow`, { headers: me.headers })).status).toBe(200);
    await banUser(banned.id);
    await sql.query("UPDATE user_profiles SET profile_visibility = 'private' WHERE user_id = $1", [hidden.id]);
    for (const them of [banned, hidden]) {
      expect((await api("DELETE", `/v1/users/${them.username}/follow`, { headers: me.headers })).body).toEqual({ following: false, follower_count: 0 });
    }
    expect(await counts(me.id)).toEqual({ follower_count: 0, following_count: 0 });
  });

  it("answers 401 to anonymous requests, 403 to a banned account and 401 to a deleted one", async () => {
    const [target, banned, deleted] = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
    await banUser(banned.id);
    await softDeleteUser(deleted.id);
    const routes: [string, string][] = [
      ["PUT", `/v1/users/${target.username}/follow`],
      ["DELETE", `/v1/users/${target.username}/follow`],
      ["GET", `/v1/me/following/${target.username}`],
    ];
    for (const [method, path] of routes) {
      const anonymous = await api(method, path);
      expect(anonymous.status, `anonymous ${method}`).toBe(401);
      expect(anonymous.headers.get("content-type")).toBe("application/problem+json");
      expect((await api(method, path, { headers: banned.headers })).status, `banned ${method}`).toBe(403);
      expect((await api(method, path, { headers: deleted.headers })).status, `deleted ${method}`).toBe(401);
    }
    expect(await counts(target.id)).toEqual({ follower_count: 0, following_count: 0 });
  });

  it("is rate-limited per user under the follows scope of ACTIONS_LIMITER", async () => {
    const [me, them] = await Promise.all([signedInUser(), signedInUser()]);
    const keys: string[] = [];
    const ACTIONS_LIMITER = { limit: async ({ key }: { key: string }) => (keys.push(key), { success: false }) } as unknown as RateLimit;
    for (const method of ["PUT", "DELETE"]) {
      const refused = await api(method, `/v1/users/${them.username}/follow`, { headers: me.headers, bindings: { ACTIONS_LIMITER } });
      expect(refused.status).toBe(429);
      expect(refused.headers.get("retry-after")).toBe("60");
      expect(refused.body).toMatchObject({ code: "rate_limited" });
    }
    expect(keys).toEqual([`follows:${me.id}`, `follows:${me.id}`]);
    expect(await follows(me.id, them.id)).toBe(0);
  });
});
