import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { MISSING, sql, unique } from "../helpers/db";
import { ban, block, post, posted, softDelete } from "./fixtures";

const ids = (body: { items: Array<{ id: string }> }) => body.items.map((i) => i.id);

describe("hashtags", () => {
  it("are case-insensitive: #Jazz and #jazz are one hashtag, counted twice, found by any spelling", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const word = `Jazz${unique()}`;
    const first = await posted(ada, `Tonight: #${word} at nine`);
    const second = await posted(bob, `#${word.toLowerCase()} forever, #${word.toUpperCase()} again`);
    expect(first.hashtags).toEqual([word]);
    expect(second.hashtags).toEqual([word]); // the first spelling is kept
    const rows = await sql.query("SELECT tag, slug, usage_count FROM hashtags WHERE lower(tag) = lower($1)", [word]);
    expect(rows).toEqual([{ tag: word, slug: word.toLowerCase(), usage_count: 2 }]);

    const page = await api("GET", `/v1/hashtags/${word.toUpperCase()}/posts`);
    expect(page.status).toBe(200);
    expect(ids(page.body)).toEqual([second.id, first.id]);
    expect((await api("GET", `/v1/hashtags?prefix=${word.slice(0, 8).toLowerCase()}`)).body.items).toContainEqual(
      expect.objectContaining({ tag: word, slug: word.toLowerCase(), usage_count: 2 }),
    );

    // editing drops a tag, deleting drops the post's: usage counts follow
    expect((await api("PATCH", `/v1/posts/${first.id}`, { body: { content: "no tag now" }, headers: ada.headers })).status).toBe(200);
    expect((await sql.query("SELECT usage_count FROM hashtags WHERE lower(tag) = lower($1)", [word]))[0]!.usage_count).toBe(1);
    expect((await api("DELETE", `/v1/posts/${second.id}`, { headers: bob.headers })).status).toBe(204);
    expect((await sql.query("SELECT usage_count FROM hashtags WHERE lower(tag) = lower($1)", [word]))[0]!.usage_count).toBe(0);
    expect((await api("GET", `/v1/hashtags/${word}/posts`)).body.items).toEqual([]);
    expect((await api("GET", `/v1/hashtags?prefix=${word}`)).body.items).toEqual([]);
  });

  it("reads Unicode tags, ignores too-long ones, and lists only public posts", async () => {
    const ada = await signedInUser();
    const tag = `été_${unique()}`;
    const p = await posted(ada, `#${tag} #${"x".repeat(101)} mail@host#nope`);
    expect(p.hashtags).toEqual([tag]);
    await posted(ada, `#${tag} unlisted`, { visibility: "unlisted" });
    await posted(ada, `#${tag} private`, { visibility: "private" });
    expect(ids((await api("GET", `/v1/hashtags/${encodeURIComponent(tag)}/posts`)).body)).toEqual([p.id]);
    expect((await api("GET", `/v1/hashtags/never_used_${unique()}/posts`)).status).toBe(404);
    expect((await api("GET", "/v1/hashtags/bad-tag!/posts")).status).toBe(422);
    expect((await api("GET", "/v1/hashtags")).status).toBe(422);
    // `_` matches itself only, not any character
    const under = `u_${unique()}`;
    await posted(ada, `#${under}`);
    await posted(ada, `#${under.replace("_", "x")}`);
    expect((await api("GET", `/v1/hashtags?prefix=${under.slice(0, 4)}`)).body.items.map((h: { tag: string }) => h.tag)).toEqual([under]);
  });
});

describe("pins", () => {
  it("keeps one pinned post per user, pinned first on the profile", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const a = await posted(ada, "a");
    const b = await posted(ada, "b");
    const c = await posted(ada, "c");
    expect((await api("PUT", `/v1/posts/${a.id}/pin`, { headers: ada.headers })).body).toEqual({ pinned: true });
    expect((await api("PUT", `/v1/posts/${a.id}/pin`, { headers: ada.headers })).status).toBe(200);
    let profile = await api("GET", `/v1/users/${ada.username}/posts`);
    expect(ids(profile.body)).toEqual([a.id, c.id, b.id]);
    expect(profile.body.items[0].is_pinned).toBe(true);

    expect((await api("PUT", `/v1/posts/${b.id}/pin`, { headers: ada.headers })).status).toBe(200);
    const pinned = await sql.query("SELECT id FROM posts WHERE user_id = $1 AND is_pinned", [ada.id]);
    expect(pinned).toEqual([{ id: b.id }]);
    profile = await api("GET", `/v1/users/${ada.username}/posts?limit=1`);
    expect(ids(profile.body)).toEqual([b.id, c.id]);
    const next = await api("GET", `/v1/users/${ada.username}/posts?limit=1&cursor=${profile.body.next_cursor}`);
    expect(ids(next.body)).toEqual([a.id]);
    expect(next.body.next_cursor).toBeNull();

    expect((await api("PUT", `/v1/posts/${c.id}/pin`, { headers: bob.headers })).status).toBe(403);
    expect((await api("PUT", `/v1/posts/${c.id}/pin`)).status).toBe(401);
    expect((await api("DELETE", `/v1/posts/${b.id}/pin`, { headers: bob.headers })).status).toBe(403);
    expect((await api("DELETE", `/v1/posts/${b.id}/pin`, { headers: ada.headers })).body).toEqual({ pinned: false });
    expect(await sql.query("SELECT id FROM posts WHERE user_id = $1 AND is_pinned", [ada.id])).toEqual([]);
  });
});

describe("likes", () => {
  it("are idempotent, counted, listed, and refused across a block", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const eve = await signedInUser();
    const p = await posted(ada, "like me");
    expect((await api("PUT", `/v1/posts/${p.id}/like`, { headers: bob.headers })).body).toEqual({ liked: true, like_count: 1 });
    expect((await api("PUT", `/v1/posts/${p.id}/like`, { headers: bob.headers })).body).toEqual({ liked: true, like_count: 1 });
    expect((await api("PUT", `/v1/posts/${p.id}/like`, { headers: ada.headers })).body).toEqual({ liked: true, like_count: 2 });
    const seen = await api("GET", `/v1/posts/${p.id}`, { headers: bob.headers });
    expect(seen.body).toMatchObject({ like_count: 2, liked_by_me: true });
    expect((await api("GET", `/v1/posts/${p.id}`)).body.liked_by_me).toBe(false);

    const likers = await api("GET", `/v1/posts/${p.id}/likes?limit=1`);
    expect(likers.body.items).toEqual([{ id: ada.id, username: ada.username, display_name: null, avatar_url: null, liked_at: expect.any(String) }]);
    expect(ids((await api("GET", `/v1/posts/${p.id}/likes?cursor=${likers.body.next_cursor}`)).body)).toEqual([bob.id]);

    expect((await api("DELETE", `/v1/posts/${p.id}/like`, { headers: bob.headers })).body).toEqual({ liked: false, like_count: 1 });
    expect((await api("DELETE", `/v1/posts/${p.id}/like`, { headers: bob.headers })).body).toEqual({ liked: false, like_count: 1 });

    await block(ada, eve);
    expect((await api("PUT", `/v1/posts/${p.id}/like`, { headers: eve.headers })).status).toBe(404);
    expect((await api("PUT", `/v1/posts/${p.id}/like`)).status).toBe(401);
    expect((await api("PUT", `/v1/posts/${MISSING}/like`, { headers: bob.headers })).status).toBe(404);
    const [row] = await sql.query("SELECT like_count FROM posts WHERE id = $1", [p.id]);
    expect(row!.like_count).toBe(1);
  });

  it("leave out likers who are blocked, banned or deleted", async () => {
    const ada = await signedInUser();
    const [b1, b2, b3, ok] = await Promise.all([signedInUser(), signedInUser(), signedInUser(), signedInUser()]);
    const p = await posted(ada, "popular");
    for (const u of [b1, b2, b3, ok]) expect((await api("PUT", `/v1/posts/${p.id}/like`, { headers: u.headers })).status).toBe(200);
    await block(b1, ada);
    await ban(b2);
    await softDelete(b3);
    expect(ids((await api("GET", `/v1/posts/${p.id}/likes`, { headers: ada.headers })).body)).toEqual([ok.id]);
  });
});

describe("reposts and quotes", () => {
  it("plain reposts are idempotent and counted; quotes embed the original; private posts cannot be reposted", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const p = await posted(ada, "original");
    expect((await api("PUT", `/v1/posts/${p.id}/repost`, { headers: bob.headers })).body).toEqual({ reposted: true, repost_count: 1 });
    expect((await api("PUT", `/v1/posts/${p.id}/repost`, { headers: bob.headers })).body).toEqual({ reposted: true, repost_count: 1 });
    expect((await api("GET", `/v1/posts/${p.id}`, { headers: bob.headers })).body).toMatchObject({ repost_count: 1, reposted_by_me: true });
    const profile = await api("GET", `/v1/users/${bob.username}/posts`);
    expect(profile.body.items).toHaveLength(1);
    expect(profile.body.items[0]).toMatchObject({ content: "", repost_of_id: p.id, repost_of: { id: p.id, content: "original" } });
    // a plain repost is not listed on explore
    expect(ids((await api("GET", "/v1/explore?limit=100")).body)).not.toContain(profile.body.items[0].id);

    const quote = await posted(bob, "so true", { repost_of_id: p.id });
    expect(quote.repost_of).toMatchObject({ id: p.id, content: "original", author: { id: ada.id } });
    expect(quote.repost_of.repost_of).toBeUndefined();
    expect((await api("GET", `/v1/posts/${p.id}`)).body.repost_count).toBe(2);
    // an empty quote is a plain repost: there already is one
    expect((await post(bob, { repost_of_id: p.id })).status).toBe(409);

    expect((await api("DELETE", `/v1/posts/${p.id}/repost`, { headers: bob.headers })).body).toEqual({ reposted: false, repost_count: 1 });
    expect((await api("DELETE", `/v1/posts/${p.id}/repost`, { headers: bob.headers })).body).toEqual({ reposted: false, repost_count: 1 });

    // the original deleted: the quote stays, its embed is null
    expect((await api("DELETE", `/v1/posts/${p.id}`, { headers: ada.headers })).status).toBe(204);
    expect((await api("GET", `/v1/posts/${quote.id}`)).body).toMatchObject({ repost_of_id: p.id, repost_of: null });

    const fan = await signedInUser();
    await sql.query("INSERT INTO follows (follower_id, following_id) VALUES ($1, $2)", [fan.id, ada.id]);
    const priv = await posted(ada, "followers only", { visibility: "private" });
    expect((await api("PUT", `/v1/posts/${priv.id}/repost`, { headers: fan.headers })).status).toBe(403);
    expect((await post(fan, { content: "quote", repost_of_id: priv.id })).status).toBe(403);
    expect((await api("PUT", `/v1/posts/${priv.id}/repost`, { headers: bob.headers })).status).toBe(404);
    expect((await post(bob, { content: "quote", repost_of_id: priv.id })).status).toBe(422);
    expect((await api("PUT", `/v1/posts/${priv.id}/repost`, { headers: ada.headers })).status).toBe(200);
    expect((await api("PUT", `/v1/posts/${priv.id}/repost`)).status).toBe(401);
  });

  it("hides the embedded original from those it is hidden from", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const eve = await signedInUser();
    const p = await posted(ada, "by ada");
    const quote = await posted(bob, "look", { repost_of_id: p.id });
    await block(ada, eve);
    expect((await api("GET", `/v1/posts/${quote.id}`, { headers: eve.headers })).body).toMatchObject({ id: quote.id, repost_of_id: p.id, repost_of: null });
    expect((await api("GET", `/v1/posts/${quote.id}`)).body.repost_of).toMatchObject({ id: p.id });
  });
});

describe("comments", () => {
  it("thread one level deep, with reply counts, edits and deletes", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const cid = await signedInUser();
    const p = await posted(ada, "discuss");
    const c1 = await api("POST", `/v1/posts/${p.id}/comments`, { body: { content: "first" }, headers: bob.headers });
    expect(c1.status).toBe(201);
    expect(c1.body).toEqual({
      id: expect.any(String), post_id: p.id, parent_comment_id: null,
      author: { id: bob.id, username: bob.username, display_name: null, avatar_url: null },
      content: "first", reply_count: 0, created_at: expect.any(String), updated_at: expect.any(String), edited: false,
    });
    const c2 = (await api("POST", `/v1/posts/${p.id}/comments`, { body: { content: "second" }, headers: cid.headers })).body;
    const r1 = await api("POST", `/v1/posts/${p.id}/comments`, { body: { content: "reply", parent_comment_id: c1.body.id }, headers: ada.headers });
    expect(r1.status).toBe(201);
    const nested = await api("POST", `/v1/posts/${p.id}/comments`, { body: { content: "deeper", parent_comment_id: r1.body.id }, headers: bob.headers });
    expect(nested.status).toBe(422);
    expect(nested.body.errors[0].path).toBe("json.parent_comment_id");
    const other = await posted(ada, "elsewhere");
    expect((await api("POST", `/v1/posts/${other.id}/comments`, { body: { content: "x", parent_comment_id: c1.body.id }, headers: bob.headers })).status).toBe(422);

    const list = await api("GET", `/v1/posts/${p.id}/comments?limit=1`);
    expect(ids(list.body)).toEqual([c2.id]);
    const page2 = await api("GET", `/v1/posts/${p.id}/comments?cursor=${list.body.next_cursor}`);
    expect(page2.body.items).toEqual([expect.objectContaining({ id: c1.body.id, reply_count: 1 })]);
    expect(ids((await api("GET", `/v1/post-comments/${c1.body.id}/replies`)).body)).toEqual([r1.body.id]);
    expect((await api("GET", `/v1/posts/${p.id}`)).body.comment_count).toBe(3);

    expect((await api("PATCH", `/v1/post-comments/${c1.body.id}`, { body: { content: "edited" }, headers: ada.headers })).status).toBe(403);
    expect((await api("PATCH", `/v1/post-comments/${c1.body.id}`, { body: { content: "edited" } })).status).toBe(401);
    expect((await api("PATCH", `/v1/post-comments/${c1.body.id}`, { body: { content: "" }, headers: bob.headers })).status).toBe(422);
    const edited = await api("PATCH", `/v1/post-comments/${c1.body.id}`, { body: { content: "edited" }, headers: bob.headers });
    expect(edited.body).toMatchObject({ content: "edited", reply_count: 1 });

    // the post's author may delete others' comments; a third user may not
    expect((await api("DELETE", `/v1/post-comments/${c2.id}`, { headers: bob.headers })).status).toBe(403);
    expect((await api("DELETE", `/v1/post-comments/${c2.id}`, { headers: ada.headers })).status).toBe(204);
    expect((await api("DELETE", `/v1/post-comments/${r1.body.id}`, { headers: ada.headers })).status).toBe(204);
    expect((await api("DELETE", `/v1/post-comments/${r1.body.id}`, { headers: ada.headers })).status).toBe(404);
    expect((await api("GET", `/v1/posts/${p.id}/comments`)).body.items).toEqual([expect.objectContaining({ id: c1.body.id, reply_count: 0, edited: true })]);
    expect((await api("GET", `/v1/posts/${p.id}`)).body.comment_count).toBe(1);
  });

  it("are refused and hidden across a block, and hidden for banned authors", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const eve = await signedInUser();
    const p = await posted(ada, "hello");
    const byEve = (await api("POST", `/v1/posts/${p.id}/comments`, { body: { content: "eve was here" }, headers: eve.headers })).body;
    const byBob = (await api("POST", `/v1/posts/${p.id}/comments`, { body: { content: "bob too" }, headers: bob.headers })).body;
    await block(bob, eve);
    expect(ids((await api("GET", `/v1/posts/${p.id}/comments`, { headers: bob.headers })).body)).toEqual([byBob.id]);
    expect(ids((await api("GET", `/v1/posts/${p.id}/comments`, { headers: eve.headers })).body)).toEqual([byEve.id]);
    expect((await api("POST", `/v1/posts/${p.id}/comments`, { body: { content: "reply", parent_comment_id: byBob.id }, headers: eve.headers })).status).toBe(422);
    expect((await api("GET", `/v1/post-comments/${byBob.id}/replies`, { headers: eve.headers })).status).toBe(404);
    await block(ada, eve);
    expect((await api("POST", `/v1/posts/${p.id}/comments`, { body: { content: "again" }, headers: eve.headers })).status).toBe(404);
    expect((await api("GET", `/v1/posts/${p.id}/comments`, { headers: eve.headers })).status).toBe(404);
    await ban(bob);
    expect(ids((await api("GET", `/v1/posts/${p.id}/comments`)).body)).toEqual([byEve.id]);
  });
});
