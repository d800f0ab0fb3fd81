import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { banUser, makeTrack, searchFor, softDeleteUser, word } from "./fixtures";

const turnOn = async (user: SignedInUser) =>
  expect((await api("PATCH", "/v1/me/settings", { headers: user.headers, body: { save_search_history: true } })).status).toBe(200);

const historyOf = async (user: SignedInUser, query = "") => {
  const res = await api("GET", `/v1/me/search-history${query}`, { headers: user.headers });
  expect(res.status).toBe(200);
  return res.body as { items: { id: string; query: string; type: string; result_count: number; created_at: string }[]; next_cursor: string | null };
};

describe("search history", () => {
  it("is off by default: nothing is saved until the user turns it on", async () => {
    const me = await signedInUser();
    expect((await api("GET", "/v1/me/settings", { headers: me.headers })).body.save_search_history).toBe(false);
    await searchFor(`nothing ${word()}`, me);
    expect(await historyOf(me)).toEqual({ items: [], next_cursor: null });
    expect((await sql.query("SELECT count(*)::int AS n FROM search_queries WHERE user_id = $1", [me.id]))[0]!.n).toBe(0);
  });

  it("saves the first page of each search once turned on, newest first, with its type and result count", async () => {
    const me = await signedInUser();
    await turnOn(me);
    const tag = word();
    await makeTrack(me.id, { title: `Saved ${tag}` });
    await searchFor(`  saved ${tag} `, me);
    const first = await searchFor(tag, me, { type: "track", limit: "1" });
    expect(first.items).toHaveLength(1);
    await searchFor(`other ${tag}`, me, { type: "user" });
    const history = await historyOf(me);
    expect(history.items.map((e) => [e.query, e.type, e.result_count])).toEqual([
      [`other ${tag}`, "user", 0],
      [tag, "track", 1],
      [`saved ${tag}`, "all", 1],
    ]);
    // turning it off stops saving
    expect((await api("PATCH", "/v1/me/settings", { headers: me.headers, body: { save_search_history: false } })).status).toBe(200);
    await searchFor(`later ${tag}`, me);
    expect((await historyOf(me)).items).toHaveLength(3);
  });

  it("does not save the next pages of a search, nor anonymous searches", async () => {
    const me = await signedInUser();
    await turnOn(me);
    const tag = word();
    await makeTrack(me.id, { title: `One ${tag}` });
    await makeTrack(me.id, { title: `Two ${tag}` });
    const page = await searchFor(tag, me, { limit: "1" });
    await searchFor(tag, me, { limit: "1", cursor: page.next_cursor! });
    await searchFor(tag);
    expect((await historyOf(me)).items).toHaveLength(1);
  });

  it("pages by cursor, deletes one entry (own only) and clears all", async () => {
    const [me, other] = await Promise.all([signedInUser(), signedInUser()]);
    await Promise.all([turnOn(me), turnOn(other)]);
    for (const q of ["one", "two", "three"]) await searchFor(`${q} ${word()}`, me);
    await searchFor(`theirs ${word()}`, other);
    const page1 = await historyOf(me, "?limit=2");
    expect(page1.items).toHaveLength(2);
    const page2 = await historyOf(me, `?limit=2&cursor=${page1.next_cursor}`);
    expect(page2.items).toHaveLength(1);
    expect(page2.next_cursor).toBeNull();
    expect([...page1.items, ...page2.items].map((e) => e.query.split(" ")[0])).toEqual(["three", "two", "one"]);

    const theirs = (await historyOf(other)).items[0]!;
    expect((await api("DELETE", `/v1/me/search-history/${theirs.id}`, { headers: me.headers })).status).toBe(404);
    expect((await api("DELETE", `/v1/me/search-history/${page2.items[0]!.id}`, { headers: me.headers })).status).toBe(204);
    expect((await api("DELETE", `/v1/me/search-history/${page2.items[0]!.id}`, { headers: me.headers })).status).toBe(404);
    expect((await historyOf(me)).items).toHaveLength(2);

    const cleared = await api("DELETE", "/v1/me/search-history", { headers: me.headers });
    expect(cleared).toMatchObject({ status: 200, body: { deleted: 2 } });
    expect((await sql.query("SELECT count(*)::int AS n FROM search_queries WHERE user_id = $1", [me.id]))[0]!.n).toBe(0);
    expect((await historyOf(other)).items).toHaveLength(1);
  });

  it("is refused to anonymous (401), banned (403) and deleted (401) accounts, and validates input", async () => {
    const [banned, gone, me] = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
    await banUser(banned.id);
    await softDeleteUser(gone.id);
    for (const [method, path] of [["GET", "/v1/me/search-history"], ["DELETE", "/v1/me/search-history"], ["DELETE", `/v1/me/search-history/${crypto.randomUUID()}`]] as const) {
      expect((await api(method, path)).status, `${method} ${path}`).toBe(401);
      expect((await api(method, path, { headers: banned.headers })).status).toBe(403);
      expect((await api(method, path, { headers: gone.headers })).status).toBe(401);
    }
    for (const path of ["/v1/me/search-history?limit=0", "/v1/me/search-history?cursor=bad"]) {
      const res = await api("GET", path, { headers: me.headers });
      expect(res.status).toBe(422);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await api("DELETE", "/v1/me/search-history/not-a-uuid", { headers: me.headers })).status).toBe(422);
  });
});
