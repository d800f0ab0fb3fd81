import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { withRoundTrips } from "../helpers/round-trips";
import { makeTrack } from "../tracks/fixtures";

/** Round trips of one request as `user`, whose auth state is already cached at the edge. */
async function roundTrips(user: SignedInUser, method: string, path: string) {
  expect((await api("GET", "/v1/me", { headers: user.headers })).status).toBe(200); // warms the auth state cache
  const { response, roundTrips } = await withRoundTrips(new Request(`https://veza.test${path}`, { method, headers: user.headers }));
  return { status: response.status, roundTrips };
}

describe("listening history's database round trips", () => {
  it("reads a page, deletes one play and clears the history in one round trip each", async () => {
    const owner = await signedInUser();
    const me = await signedInUser();
    const track = await makeTrack(owner.id);
    for (let i = 0; i < 3; i++) await api("POST", `/v1/tracks/${track.id}/plays`, { body: { played_duration: 45 }, headers: me.headers });
    expect(await roundTrips(me, "GET", "/v1/me/history?limit=2")).toEqual({ status: 200, roundTrips: 1 });
    const page = (await api("GET", "/v1/me/history?limit=2", { headers: me.headers })).body;
    expect(await roundTrips(me, "GET", `/v1/me/history?limit=2&cursor=${page.next_cursor}`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(me, "DELETE", `/v1/me/history/${page.items[0].id}`)).toEqual({ status: 204, roundTrips: 1 });
    expect(await roundTrips(me, "DELETE", `/v1/me/history/${page.items[0].id}`)).toEqual({ status: 404, roundTrips: 1 });
    expect(await roundTrips(me, "DELETE", "/v1/me/history")).toEqual({ status: 200, roundTrips: 1 });
  });
});
