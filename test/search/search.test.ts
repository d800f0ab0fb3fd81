import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { createUser, sql } from "../helpers/db";
import {
  banUser,
  idsFor,
  makeCourse,
  makeGroup,
  makePlaylist,
  makePost,
  makeProduct,
  makeTrack,
  nameUser,
  searchFor,
  softDeleteUser,
  word,
} from "./fixtures";

describe("GET /v1/search: matching", () => {
  it("finds Beyoncé by beyonce, bey, BEYONCÉ and Beyonc (accent- and case-insensitive prefixes)", async () => {
    const owner = await createUser();
    const tag = word();
    const track = await makeTrack(owner.id, { title: `Beyoncé ${tag}` });
    for (const q of ["beyonce", "bey", "BEYONCÉ", "Beyonc"]) {
      expect(await idsFor(`${q} ${tag}`), q).toEqual([track.id]);
    }
    // every word must match (AND), and a prefix only matches the start of a word
    expect(await idsFor(`rihanna ${tag}`)).toEqual([]);
    expect(await idsFor(`eyonce ${tag}`)).toEqual([]);
  });

  it("finds every kind of entity, and only that kind with `type`", async () => {
    const owner = await createUser();
    const tag = word();
    await nameUser(owner.id, `Person ${tag}`);
    const ids = {
      track: (await makeTrack(owner.id, { title: `Song ${tag}` })).id,
      user: owner.id,
      playlist: await makePlaylist(owner.id, `List ${tag}`),
      post: await makePost(owner.id, `Thoughts on ${tag} today`),
      group: await makeGroup(owner.id, `Club ${tag}`),
      product: await makeProduct(owner.id, `Beat ${tag}`),
      course: await makeCourse(owner.id, `Course ${tag}`),
    };
    const all = await searchFor(tag, null, { limit: "50" });
    expect(all.items.map((i) => i.id).sort()).toEqual(Object.values(ids).sort());
    for (const [type, id] of Object.entries(ids)) {
      const res = await searchFor(tag, null, { type });
      expect(res.items.map((i) => [i.type, i.id]), type).toEqual([[type, id]]);
    }
    const track = all.items.find((i) => i.type === "track")!;
    expect(track).toMatchObject({ title: `Song ${tag}`, visibility: "public", owner: { id: owner.id, username: owner.username, display_name: `Person ${tag}` } });
    expect(track.metadata).toMatchObject({ artist: "The Testers", duration: 200 });
    expect(track.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(all.items.find((i) => i.type === "user")).toMatchObject({ title: `Person ${tag}`, metadata: { username: owner.username } });
    expect(all.items.find((i) => i.type === "product")!.metadata).toMatchObject({ category: "beat", price: 9.99 });
  });

  it("finds a user by username, display name, bio and a product by its tags", async () => {
    const user = await createUser();
    const tag = word();
    await nameUser(user.id, "Ada Lovelace", { bio: `Composer of ${tag} music` });
    expect(await idsFor(`${user.username}`, null, { type: "user" })).toEqual([user.id]);
    const found = await searchFor(`lovelace ${tag}`, null, { type: "user" });
    expect(found.items.map((i) => [i.id, i.title, i.snippet])).toEqual([[user.id, "Ada Lovelace", `Composer of ${tag} music`]]);
    const seller = await createUser();
    const product = await makeProduct(seller.id, "Drum kit", { tags: `{${tag},drums}` });
    expect(await idsFor(`drum ${tag}`)).toEqual([product]);
  });

  it("leaves out what is not searchable: unready tracks, drafts, inactive products, private groups and their posts, empty reposts", async () => {
    const owner = await createUser();
    const tag = word();
    await makeTrack(owner.id, { title: `Pending ${tag}`, status: "processing" });
    await makeCourse(owner.id, `Draft ${tag}`, { status: "draft" });
    await makeProduct(owner.id, `Draft ${tag}`, { status: "draft" });
    const secret = await makeGroup(owner.id, `Secret ${tag}`, { type: "private" });
    await makePost(owner.id, `Inside ${tag}`, { groupId: secret });
    expect(await idsFor(tag)).toEqual([]);
  });
});

describe("GET /v1/search: who sees what", () => {
  it("shows a private track to its owner only, and unlisted ones to nobody else", async () => {
    const [owner, other] = await Promise.all([signedInUser(), signedInUser()]);
    const tag = word();
    const hidden = await makeTrack(owner.id, { title: `Hidden ${tag}`, visibility: "private" });
    const unlisted = await makeTrack(owner.id, { title: `Unlisted ${tag}`, visibility: "unlisted" });
    const playlist = await makePlaylist(owner.id, `Mine ${tag}`, { visibility: "private" });
    const post = await makePost(owner.id, `Just me ${tag}`, { visibility: "unlisted" });
    expect((await idsFor(tag, owner)).sort()).toEqual([hidden.id, unlisted.id, playlist, post].sort());
    expect(await idsFor(tag, other)).toEqual([]);
    expect(await idsFor(tag)).toEqual([]);
  });

  it("hides everything of a banned and of a deleted user, at once", async () => {
    const [banned, gone] = await Promise.all([createUser(), createUser()]);
    const tag = word();
    await nameUser(banned.id, `Banned ${tag}`);
    await nameUser(gone.id, `Gone ${tag}`);
    for (const user of [banned, gone]) {
      await makeTrack(user.id, { title: `Track ${tag}` });
      await makePost(user.id, `Post ${tag}`);
      await makePlaylist(user.id, `List ${tag}`);
    }
    expect(await idsFor(tag)).toHaveLength(8);
    await banUser(banned.id);
    await softDeleteUser(gone.id);
    expect(await idsFor(tag)).toEqual([]);
    // the triggers dropped the accounts' own entries; their works are hidden by the query
    expect((await sql.query("SELECT count(*)::int AS n FROM search_index WHERE entity_id = ANY($1)", [[banned.id, gone.id]]))[0]!.n).toBe(0);
  });

  it("does not list a user who turned off allow_search_indexing, or whose profile is private", async () => {
    const [quiet, hidden] = await Promise.all([signedInUser(), createUser()]);
    const tag = word();
    await nameUser(quiet.id, `Quiet ${tag}`);
    await nameUser(hidden.id, `Hidden ${tag}`);
    await makeTrack(quiet.id, { title: `Loud ${tag}` });
    expect((await idsFor(tag, null, { type: "user" })).sort()).toEqual([quiet.id, hidden.id].sort());
    expect((await api("PATCH", "/v1/me/settings", { headers: quiet.headers, body: { allow_search_indexing: false } })).status).toBe(200);
    await nameUser(hidden.id, `Hidden ${tag}`, { visibility: "private" });
    expect(await idsFor(tag, null, { type: "user" })).toEqual([]);
    expect(await idsFor(tag)).toHaveLength(1); // their works stay findable
    expect((await api("PATCH", "/v1/me/settings", { headers: quiet.headers, body: { allow_search_indexing: true } })).status).toBe(200);
    expect(await idsFor(tag, null, { type: "user" })).toEqual([quiet.id]);
  });

  it("hides each side of a block from the other: tracks, profile and posts", async () => {
    const [a, b, c] = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
    const tag = word();
    await nameUser(a.id, `Alpha ${tag}`);
    await nameUser(b.id, `Beta ${tag}`);
    const aWorks = [a.id, (await makeTrack(a.id, { title: `A song ${tag}` })).id, await makePost(a.id, `A says ${tag}`)];
    const bWorks = [b.id, (await makeTrack(b.id, { title: `B song ${tag}` })).id, await makePost(b.id, `B says ${tag}`)];
    expect((await idsFor(tag, a)).sort()).toEqual([...aWorks, ...bWorks].sort());
    expect((await api("PUT", `/v1/me/blocks/${b.username}`, { headers: a.headers })).status).toBe(200);
    expect((await idsFor(tag, a)).sort()).toEqual(aWorks.sort());
    expect((await idsFor(tag, b)).sort()).toEqual(bWorks.sort());
    expect((await idsFor(tag, c)).sort()).toEqual([...aWorks, ...bWorks].sort());
    expect((await idsFor(tag)).sort()).toEqual([...aWorks, ...bWorks].sort());
  });

  it("answers a bad token with 401 rather than as anonymous, and a banned account with 403", async () => {
    const banned = await signedInUser();
    await banUser(banned.id);
    expect((await api("GET", "/v1/search?q=x", { headers: { Authorization: "Bearer nope" } })).status).toBe(401);
    const res = await api("GET", "/v1/search?q=x", { headers: banned.headers });
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });
});

describe("GET /v1/search: the index follows edits (triggers)", () => {
  it("re-indexes renamed, hidden, restored and soft-deleted entities", async () => {
    const owner = await createUser();
    const [before, after] = [word(), word()];
    const track = await makeTrack(owner.id, { title: `Old ${before}` });
    const playlist = await makePlaylist(owner.id, `List ${before}`);
    const post = await makePost(owner.id, `Post ${before}`);
    const group = await makeGroup(owner.id, `Group ${before}`);
    const groupPost = await makePost(owner.id, `In group ${before}`, { groupId: group });
    const product = await makeProduct(owner.id, `Product ${before}`);
    const course = await makeCourse(owner.id, `Course ${before}`);
    expect(await idsFor(before)).toHaveLength(7);

    await sql.query("UPDATE tracks SET title = $2, description = $3 WHERE id = $1", [track.id, "New title", `now about ${after}`]);
    expect(await idsFor(before)).not.toContain(track.id);
    expect(await idsFor(after)).toEqual([track.id]);

    await sql.query("UPDATE groups SET group_type = 'private' WHERE id = $1", [group]);
    expect((await idsFor(before)).sort()).toEqual([playlist, post, product, course].sort());
    await sql.query("UPDATE groups SET group_type = 'public' WHERE id = $1", [group]);
    expect(await idsFor(before)).toEqual(expect.arrayContaining([group, groupPost]));

    await sql.query("UPDATE tracks SET deleted_at = now() WHERE id = $1", [track.id]);
    await sql.query("UPDATE playlists SET deleted_at = now() WHERE id = $1", [playlist]);
    await sql.query("UPDATE posts SET deleted_at = now() WHERE id = $1", [post]);
    await sql.query("UPDATE products SET status = 'inactive' WHERE id = $1", [product]);
    await sql.query("UPDATE courses SET status = 'archived' WHERE id = $1", [course]);
    await sql.query("UPDATE groups SET deleted_at = now() WHERE id = $1", [group]);
    expect(await idsFor(before)).toEqual([]);
    expect(await idsFor(after)).toEqual([]);
    expect((await sql.query("SELECT count(*)::int AS n FROM search_index WHERE owner_id = $1", [owner.id]))[0]!.n).toBe(1); // the user

    await sql.query("UPDATE tracks SET deleted_at = NULL WHERE id = $1", [track.id]);
    expect(await idsFor(after)).toEqual([track.id]);
    await sql.query("DELETE FROM tracks WHERE id = $1", [track.id]);
    expect(await idsFor(after)).toEqual([]);
  });

  it("does not re-index on counter and play updates", async () => {
    const owner = await createUser();
    const tag = word();
    const track = await makeTrack(owner.id, { title: `Counted ${tag}` });
    const [{ updated_at: before }] = (await sql.query("SELECT updated_at::text FROM search_index WHERE entity_id = $1", [track.id])) as [{ updated_at: string }];
    await sql.query("UPDATE tracks SET play_count = play_count + 1, like_count = like_count + 1 WHERE id = $1", [track.id]);
    await sql.query("UPDATE user_profiles SET follower_count = follower_count + 1 WHERE user_id = $1", [owner.id]);
    const [{ updated_at: after }] = (await sql.query("SELECT updated_at::text FROM search_index WHERE entity_id = $1", [track.id])) as [{ updated_at: string }];
    expect(after).toBe(before);
  });
});

describe("GET /v1/search: ranking and pages", () => {
  it("puts a title match before a body match, and the newer first at equal rank", async () => {
    const owner = await createUser();
    const tag = word();
    const inBody = await makeTrack(owner.id, { title: "Something else", createdAt: "2026-01-03T00:00:00Z" });
    await sql.query("UPDATE tracks SET description = $2 WHERE id = $1", [inBody.id, `${tag} ${tag} ${tag} in the description`]);
    const older = await makeTrack(owner.id, { title: `${tag} older`, createdAt: "2026-01-01T00:00:00Z" });
    const newer = await makeTrack(owner.id, { title: `${tag} newer`, createdAt: "2026-01-02T00:00:00Z" });
    expect(await idsFor(tag)).toEqual([newer.id, older.id, inBody.id]);
  });

  it("pages by cursor without gaps or repeats, and refuses a forged cursor", async () => {
    const owner = await createUser();
    const tag = word();
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push(await makePlaylist(owner.id, `Page ${tag} ${i}`));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: { id: string }[]; next_cursor: string | null } = await searchFor(tag, null, { limit: "2", ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((i) => i.id));
      cursor = page.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(made.sort());
    const bad = await api("GET", `/v1/search?q=${tag}&cursor=bm90LWEtY3Vyc29y`);
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe("query.cursor");
  });

  it("answers a query with no word in it with an empty page, not an error", async () => {
    const res = await searchFor("!!! ... ---");
    expect(res).toEqual({ items: [], next_cursor: null });
  });
});

describe("GET /v1/search: validation", () => {
  it.each([
    ["", "query.q"],
    ["q=", "query.q"],
    ["q=%20%20", "query.q"],
    [`q=${"a".repeat(101)}`, "query.q"],
    ["q=x&type=album", "query.type"],
    ["q=x&limit=0", "query.limit"],
    ["q=x&limit=51", "query.limit"],
  ])("refuses %s with 422 problem+json", async (query, path) => {
    const res = await api("GET", `/v1/search?${query}`);
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it("accepts 100 characters and quotes, backslashes and tsquery operators as plain text", async () => {
    const owner = await createUser();
    const tag = word();
    const track = await makeTrack(owner.id, { title: `L'été ${tag}` });
    expect(await idsFor(`l'ete ${tag}`)).toEqual([track.id]);
    for (const q of ["a".repeat(100), "it's & | ! ( ) :* \\ '' <->", "' OR 1=1 --"]) {
      expect((await api("GET", `/v1/search?${new URLSearchParams({ q })}`)).status, q).toBe(200);
    }
  });
});
