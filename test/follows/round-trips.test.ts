import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { withRoundTrips } from "../helpers/round-trips";

/** Round trips of one request (as `user`, whose auth state is already cached at the edge, or anonymous). */
async function roundTrips(user: SignedInUser | null, method: string, path: string) {
  if (user) expect((await api("GET", "/v1/me", { headers: user.headers })).status).toBe(200); // warms the auth state cache
  const { response, roundTrips } = await withRoundTrips(new Request(`https://veza.test${path}`, { method, headers: user?.headers }));
  return { status: response.status, roundTrips };
}

describe("follows' database round trips", () => {
  it("follows, unfollows, checks and lists in one round trip each", async () => {
    const [me, them, fan] = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
    expect((await api("PUT", `/v1/users/${them.username}/follow`, { headers: fan.headers })).status).toBe(200);
    expect(await roundTrips(me, "PUT", `/v1/users/${them.username}/follow`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(me, "GET", `/v1/users/${them.username}/followers?limit=1`)).toEqual({ status: 200, roundTrips: 1 });
    const next = (await api("GET", `/v1/users/${them.username}/followers?limit=1`)).body.next_cursor as string;
    expect(await roundTrips(null, "GET", `/v1/users/${them.username}/followers?limit=1&cursor=${next}`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(me, "GET", `/v1/users/${me.username}/following`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(me, "GET", `/v1/me/following/${them.username}`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(me, "DELETE", `/v1/users/${them.username}/follow`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(me, "PUT", "/v1/users/nobody_rt_here/follow")).toEqual({ status: 404, roundTrips: 1 });
    expect(await roundTrips(null, "GET", "/v1/users/nobody_rt_here/following")).toEqual({ status: 404, roundTrips: 1 });
  });
});
