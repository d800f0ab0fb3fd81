import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql, unique } from "../helpers/db";
import { ban, block, group, posted, softDelete } from "./fixtures";

const ids = (body: { items: Array<{ id: string }> }) => body.items.map((i) => i.id);

describe("blocks, bans and deletions hide posts everywhere", () => {
  it("a block hides each side's posts from the other: direct GET, profile, explore, hashtag and group pages", async () => {
    const ada = await signedInUser();
    const eve = await signedInUser();
    const bob = await signedInUser();
    const tag = `blk${unique()}`;
    const g = await group(ada);
    await sql.query("INSERT INTO group_members (group_id, user_id) VALUES ($1, $2), ($1, $3)", [g.id, eve.id, bob.id]);
    const byAda = await posted(ada, `ada #${tag}`);
    const byEve = await posted(eve, `eve #${tag}`);
    const inGroupAda = await posted(ada, "group ada", { group_id: g.id });
    const inGroupEve = await posted(eve, "group eve", { group_id: g.id });
    await block(ada, eve);

    for (const [viewer, hidden, visible] of [
      [ada, byEve, byAda],
      [eve, byAda, byEve],
    ] as const) {
      expect((await api("GET", `/v1/posts/${hidden.id}`, { headers: viewer.headers })).status).toBe(404);
      expect((await api("GET", `/v1/posts/${visible.id}`, { headers: viewer.headers })).status).toBe(200);
      expect((await api("GET", `/v1/users/${hidden.author.username}/posts`, { headers: viewer.headers })).status).toBe(404);
      expect(ids((await api("GET", `/v1/hashtags/${tag}/posts`, { headers: viewer.headers })).body)).toEqual([visible.id]);
      const explore = ids((await api("GET", "/v1/explore?limit=100", { headers: viewer.headers })).body);
      expect(explore).toContain(visible.id);
      expect(explore).not.toContain(hidden.id);
    }
    expect(ids((await api("GET", `/v1/groups/${g.slug}/posts`, { headers: ada.headers })).body)).toEqual([inGroupAda.id]);
    expect(ids((await api("GET", `/v1/groups/${g.slug}/posts`, { headers: eve.headers })).body)).toEqual([inGroupEve.id]);
    // a third party sees both
    expect(ids((await api("GET", `/v1/hashtags/${tag}/posts`, { headers: bob.headers })).body)).toEqual([byEve.id, byAda.id]);
    expect(ids((await api("GET", `/v1/groups/${g.slug}/posts`)).body)).toEqual([inGroupEve.id, inGroupAda.id]);
  });

  it("explore is strictly chronological, public only, without banned, deleted or private-profile authors", async () => {
    const ada = await signedInUser();
    const banned = await signedInUser();
    const gone = await signedInUser();
    const hidden = await signedInUser();
    const first = await posted(ada, "one");
    const unlisted = await posted(ada, "two", { visibility: "unlisted" });
    const priv = await posted(ada, "three", { visibility: "private" });
    const b = await posted(banned, "banned");
    const d = await posted(gone, "gone");
    const h = await posted(hidden, "hidden");
    const last = await posted(ada, "four");
    await ban(banned);
    await softDelete(gone);
    await sql.query("UPDATE user_profiles SET profile_visibility = 'private' WHERE user_id = $1", [hidden.id]);
    const page = ids((await api("GET", "/v1/explore?limit=100")).body);
    for (const p of [unlisted, priv, b, d, h]) expect(page).not.toContain(p.id);
    expect(page.indexOf(last.id)).toBeLessThan(page.indexOf(first.id));
    // keyset pages walk the same order without overlap
    const p1 = await api("GET", "/v1/explore?limit=1");
    const p2 = await api("GET", `/v1/explore?limit=1&cursor=${p1.body.next_cursor}`);
    expect(ids(p1.body)[0]).not.toEqual(ids(p2.body)[0]);
    expect(p1.body.items[0].created_at >= p2.body.items[0].created_at).toBe(true);
    expect((await api("GET", "/v1/explore?cursor=garbage")).status).toBe(422);
    // their profiles are 404, as the profile itself is
    for (const u of [banned, gone, hidden]) expect((await api("GET", `/v1/users/${u.username}/posts`)).status).toBe(404);
    expect((await api("GET", `/v1/users/${hidden.username}/posts`, { headers: hidden.headers })).status).toBe(200);
  });

  it("a profile shows private posts to followers only", async () => {
    const ada = await signedInUser();
    const fan = await signedInUser();
    await sql.query("INSERT INTO follows (follower_id, following_id) VALUES ($1, $2)", [fan.id, ada.id]);
    const pub = await posted(ada, "public");
    const priv = await posted(ada, "private", { visibility: "private" });
    const unlisted = await posted(ada, "unlisted", { visibility: "unlisted" });
    expect(ids((await api("GET", `/v1/users/${ada.username}/posts`)).body)).toEqual([unlisted.id, pub.id]);
    expect(ids((await api("GET", `/v1/users/${ada.username}/posts`, { headers: fan.headers })).body)).toEqual([unlisted.id, priv.id, pub.id]);
  });
});
