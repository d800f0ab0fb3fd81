import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { withRoundTrips } from "../helpers/round-trips";
import { makeTrack, searchFor, word } from "./fixtures";

/** Round trips of one request (as `user`, whose auth state is already cached at the edge, or anonymous). */
async function roundTrips(user: SignedInUser | null, method: string, path: string) {
  if (user) expect((await api("GET", "/v1/me", { headers: user.headers })).status).toBe(200); // warms the auth state cache
  const { response, roundTrips } = await withRoundTrips(new Request(`https://veza.test${path}`, { method, headers: user?.headers }));
  return { status: response.status, roundTrips };
}

describe("search's database round trips", () => {
  it("searches (saving the history too), pages, lists and deletes history in one round trip each", async () => {
    const me = await signedInUser();
    expect((await api("PATCH", "/v1/me/settings", { headers: me.headers, body: { save_search_history: true } })).status).toBe(200);
    const tag = word();
    await makeTrack(me.id, { title: `One ${tag}` });
    await makeTrack(me.id, { title: `Two ${tag}` });
    expect(await roundTrips(null, "GET", `/v1/search?q=${tag}`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(me, "GET", `/v1/search?q=${tag}&limit=1`)).toEqual({ status: 200, roundTrips: 1 });
    const next = (await searchFor(tag, me, { limit: "1" })).next_cursor!;
    expect(await roundTrips(me, "GET", `/v1/search?q=${tag}&limit=1&cursor=${next}`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(me, "GET", `/v1/search?q=${tag}&type=track`)).toEqual({ status: 200, roundTrips: 1 });
    const history = (await api("GET", "/v1/me/search-history", { headers: me.headers })).body;
    expect(history.items.length).toBeGreaterThanOrEqual(3);
    expect(await roundTrips(me, "GET", "/v1/me/search-history?limit=1")).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(me, "DELETE", `/v1/me/search-history/${history.items[0].id}`)).toEqual({ status: 204, roundTrips: 1 });
    expect(await roundTrips(me, "DELETE", "/v1/me/search-history")).toEqual({ status: 200, roundTrips: 1 });
  });
});
