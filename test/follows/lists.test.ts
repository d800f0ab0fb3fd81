import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { banUser, softDeleteUser } from "../tracks/fixtures";

/** Follows inserted directly, one second apart in the given order, so "newest first" is certain. */
async function follow(pairs: [SignedInUser, SignedInUser][]) {
  for (const [i, [a, b]] of pairs.entries()) {
    await sql.query("INSERT INTO follows (follower_id, following_id, created_at) VALUES ($1, $2, now() - make_interval(secs => $3))", [a.id, b.id, 1000 - i]);
  }
}
const ids = (body: { items: { id: string }[] }) => body.items.map((u) => u.id);

describe("followers and following lists", () => {
  it("lists followers newest first by cursor, as public cards", async () => {
    const [star, a, b, c] = await Promise.all([signedInUser(), signedInUser(), signedInUser(), signedInUser()]);
    await follow([[a, star], [b, star], [c, star]]);
    const first = await api("GET", `/v1/users/${star.username}/followers?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items).toEqual([
      { id: c.id, username: c.username, display_name: null, avatar_url: expect.toBeOneOf([null, expect.any(String)]), followed_at: expect.any(String) },
      expect.objectContaining({ id: b.id }),
    ]);
    const second = await api("GET", `/v1/users/${star.username}/followers?limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body).toEqual({ items: [expect.objectContaining({ id: a.id })], next_cursor: null });
    expect((await api("GET", `/v1/users/${star.username}/followers?limit=3`)).body.next_cursor).toBeNull();
  });

  it("lists whom a user follows, newest first, with followed_by_me for a signed-in viewer", async () => {
    const [fan, me, x, y] = await Promise.all([signedInUser(), signedInUser(), signedInUser(), signedInUser()]);
    await follow([[fan, x], [fan, y], [fan, me], [me, y]]);
    const anonymous = await api("GET", `/v1/users/${fan.username}/following`);
    expect(ids(anonymous.body)).toEqual([me.id, y.id, x.id]);
    expect(anonymous.body.items[0]).not.toHaveProperty("followed_by_me");
    const signedIn = await api("GET", `/v1/users/${fan.username}/following`, { headers: me.headers });
    expect(signedIn.body.items.map((u: { followed_by_me: boolean }) => u.followed_by_me)).toEqual([false, true, false]);
    expect((await api("GET", `/v1/users/${fan.username}/followers`)).body).toEqual({ items: [], next_cursor: null });
  });

  it("hides banned, deleted and private users, and anyone with a block either way against the viewer", async () => {
    const [star, me, banned, deleted, hidden, blockedByMe, blockerOfMe, plain] = await Promise.all([signedInUser(), signedInUser(), signedInUser(), signedInUser(), signedInUser(), signedInUser(), signedInUser(), signedInUser()]);
    await follow([[plain, star], [banned, star], [deleted, star], [hidden, star], [blockedByMe, star], [blockerOfMe, star]]);
    await banUser(banned.id);
    await softDeleteUser(deleted.id);
    await sql.query("UPDATE user_profiles SET profile_visibility = 'private' WHERE user_id = $1", [hidden.id]);
    await sql.query("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2), ($3, $1)", [me.id, blockedByMe.id, blockerOfMe.id]);
    expect(ids((await api("GET", `/v1/users/${star.username}/followers`, { headers: me.headers })).body)).toEqual([plain.id]);
    // the hidden ones are skipped before the limit: a page is full while more remain
    expect((await api("GET", `/v1/users/${star.username}/followers?limit=1`, { headers: me.headers })).body).toEqual({ items: [expect.objectContaining({ id: plain.id })], next_cursor: null });
    expect(ids((await api("GET", `/v1/users/${star.username}/followers`)).body)).toEqual([blockerOfMe.id, blockedByMe.id, plain.id]);
    // a private user sees themself in lists
    expect(ids((await api("GET", `/v1/users/${star.username}/followers`, { headers: hidden.headers })).body)).toContain(hidden.id);
  });

  it("answers 404 for a private profile's lists to anyone but its owner, and for banned, deleted or unknown users", async () => {
    const [owner, fan, other, banned, deleted] = await Promise.all([signedInUser(), signedInUser(), signedInUser(), signedInUser(), signedInUser()]);
    await follow([[fan, owner]]);
    await sql.query("UPDATE user_profiles SET profile_visibility = 'private' WHERE user_id = $1", [owner.id]);
    await banUser(banned.id);
    await softDeleteUser(deleted.id);
    for (const list of ["followers", "following"]) {
      const path = `/v1/users/${owner.username}/${list}`;
      for (const headers of [undefined, other.headers, fan.headers]) {
        const res = await api("GET", path, { headers });
        expect(res.status, list).toBe(404);
        expect(res.headers.get("content-type")).toBe("application/problem+json");
      }
      expect((await api("GET", path, { headers: owner.headers })).status).toBe(200);
      for (const name of [banned.username, deleted.username, "nobody_listed_here"]) expect((await api("GET", `/v1/users/${name}/${list}`)).status).toBe(404);
    }
    expect(ids((await api("GET", `/v1/users/${owner.username}/followers`, { headers: owner.headers })).body)).toEqual([fan.id]);
  });

  it("answers 422 to a bad name, limit or cursor", async () => {
    const user = await signedInUser();
    for (const query of ["limit=0", "limit=101", "limit=x", "cursor=nope"]) {
      const res = await api("GET", `/v1/users/${user.username}/followers?${query}`);
      expect(res.status, query).toBe(422);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
    expect((await api("GET", "/v1/users/a-b/following")).status).toBe(422);
  });
});
