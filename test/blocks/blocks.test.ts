import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { banUser, softDeleteUser } from "../tracks/fixtures";

const counts = async (id: string) =>
  (await sql.query("SELECT follower_count, following_count FROM user_profiles WHERE user_id = $1", [id]))[0];

describe("blocking users", () => {
  it("blocks idempotently and removes the follows both ways, counters included", async () => {
    const me = await signedInUser();
    const them = await signedInUser();
    for (const [a, b] of [[me, them], [them, me]] as const) await sql.query("INSERT INTO follows (follower_id, following_id) VALUES ($1, $2)", [a.id, b.id]);
    expect(await counts(me.id)).toEqual({ follower_count: 1, following_count: 1 });

    const first = await api("PUT", `/v1/me/blocks/${them.username.toUpperCase()}`, { headers: me.headers, body: { reason: "  spam  " } });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ user: { id: them.id, username: them.username, display_name: null, avatar_url: expect.toBeOneOf([null, expect.any(String)]) }, reason: "spam", created_at: expect.any(String) });
    expect(await sql.query("SELECT 1 FROM follows WHERE (follower_id = $1 AND following_id = $2) OR (follower_id = $2 AND following_id = $1)", [me.id, them.id])).toEqual([]);
    expect(await counts(me.id)).toEqual({ follower_count: 0, following_count: 0 });
    expect(await counts(them.id)).toEqual({ follower_count: 0, following_count: 0 });

    // again, without a reason: same block, same date, the reason kept
    const again = await api("PUT", `/v1/me/blocks/${them.username}`, { headers: me.headers });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await sql.query("SELECT count(*)::int AS n FROM blocks WHERE blocker_id = $1", [me.id])).toEqual([{ n: 1 }]);
  });

  it("lists my blocks newest first by cursor, and unblocks idempotently", async () => {
    const me = await signedInUser();
    const others = [await signedInUser(), await signedInUser(), await signedInUser()];
    for (const other of others) expect((await api("PUT", `/v1/me/blocks/${other.username}`, { headers: me.headers })).status).toBe(200);
    const first = await api("GET", "/v1/me/blocks?limit=2", { headers: me.headers });
    expect(first.status).toBe(200);
    expect(first.body.items.map((b: { user: { id: string } }) => b.user.id)).toEqual([others[2]!.id, others[1]!.id]);
    const second = await api("GET", `/v1/me/blocks?limit=2&cursor=${first.body.next_cursor}`, { headers: me.headers });
    expect(second.body).toEqual({ items: [expect.objectContaining({ user: expect.objectContaining({ id: others[0]!.id }), reason: null })], next_cursor: null });
    expect((await api("GET", "/v1/me/blocks?cursor=nope", { headers: me.headers })).status).toBe(422);

    expect((await api("DELETE", `/v1/me/blocks/${others[1]!.username}`, { headers: me.headers })).status).toBe(204);
    expect((await api("DELETE", `/v1/me/blocks/${others[1]!.username}`, { headers: me.headers })).status).toBe(204);
    const left = await api("GET", "/v1/me/blocks", { headers: me.headers });
    expect(left.body.items.map((b: { user: { id: string } }) => b.user.id)).toEqual([others[2]!.id, others[0]!.id]);
    // someone else's list is their own
    expect((await api("GET", "/v1/me/blocks", { headers: others[0]!.headers })).body).toEqual({ items: [], next_cursor: null });
  });

  it("refuses yourself (422), unknown, banned and deleted users (404) and invalid input (422)", async () => {
    const me = await signedInUser();
    const banned = await signedInUser();
    const deleted = await signedInUser();
    await banUser(banned.id);
    await softDeleteUser(deleted.id);
    const self = await api("PUT", `/v1/me/blocks/${me.username}`, { headers: me.headers });
    expect(self.status).toBe(422);
    expect(self.headers.get("content-type")).toBe("application/problem+json");
    expect(self.body.errors).toEqual([{ path: "param.username", message: "is you" }]);
    expect((await api("DELETE", `/v1/me/blocks/${me.username}`, { headers: me.headers })).status).toBe(422);
    for (const name of ["nobody_at_all_here", banned.username, deleted.username]) {
      const res = await api("PUT", `/v1/me/blocks/${name}`, { headers: me.headers });
      expect(res.status, name).toBe(404);
      expect(res.body).toMatchObject({ code: "not_found" });
    }
    expect((await api("DELETE", "/v1/me/blocks/nobody_at_all_here", { headers: me.headers })).status).toBe(404);
    expect((await api("PUT", "/v1/me/blocks/not a name", { headers: me.headers })).status).toBe(422);
    const other = await signedInUser();
    expect((await api("PUT", `/v1/me/blocks/${other.username}`, { headers: me.headers, body: { reason: "x".repeat(256) } })).status).toBe(422);
    expect((await api("PUT", `/v1/me/blocks/${other.username}`, { headers: me.headers, body: { why: "x" } })).status).toBe(422);
  });

  it("answers 401 to anonymous requests, 403 to a banned account and 401 to a deleted one", async () => {
    const target = await signedInUser();
    const banned = await signedInUser();
    const deleted = await signedInUser();
    await banUser(banned.id);
    await softDeleteUser(deleted.id);
    const routes: [string, string][] = [
      ["PUT", `/v1/me/blocks/${target.username}`],
      ["DELETE", `/v1/me/blocks/${target.username}`],
      ["GET", "/v1/me/blocks"],
    ];
    for (const [method, path] of routes) {
      const anonymous = await api(method, path);
      expect(anonymous.status, `anonymous ${method} ${path}`).toBe(401);
      expect(anonymous.headers.get("content-type")).toBe("application/problem+json");
      expect((await api(method, path, { headers: banned.headers })).status, `banned ${method} ${path}`).toBe(403);
      expect((await api(method, path, { headers: deleted.headers })).status, `deleted ${method} ${path}`).toBe(401);
    }
  });
});
