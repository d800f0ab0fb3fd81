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

describe("likes' database round trips", () => {
  it("likes, unlikes, lists and checks in one round trip each", async () => {
    const owner = await signedInUser();
    const me = await signedInUser();
    const track = await makeTrack(owner.id);
    const other = await makeTrack(owner.id);
    expect(await roundTrips(me, "PUT", `/v1/tracks/${track.id}/like`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(me, "PUT", `/v1/tracks/${other.id}/like`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(me, "GET", "/v1/me/likes?limit=1")).toEqual({ status: 200, roundTrips: 1 });
    const next = (await api("GET", "/v1/me/likes?limit=1", { headers: me.headers })).body.next_cursor as string;
    expect(await roundTrips(me, "GET", `/v1/me/likes?limit=1&cursor=${next}`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(me, "GET", `/v1/me/likes/contains?track_ids=${track.id},${other.id}`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(me, "DELETE", `/v1/tracks/${track.id}/like`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(me, "PUT", `/v1/tracks/${crypto.randomUUID()}/like`)).toEqual({ status: 404, roundTrips: 1 });
  });
});
