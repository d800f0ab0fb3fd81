import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { withRoundTrips } from "../helpers/round-trips";
import { ago, notify } from "./fixtures";

/** Round trips of one request as `user`, whose auth state is already cached at the edge. */
async function roundTrips(user: SignedInUser, method: string, path: string, body?: unknown) {
  expect((await api("GET", "/v1/me", { headers: user.headers })).status).toBe(200); // warms the auth state cache
  const init: RequestInit = body === undefined ? { method, headers: user.headers } : { method, headers: { ...user.headers, "content-type": "application/json" }, body: JSON.stringify(body) };
  const { response, roundTrips } = await withRoundTrips(new Request(`https://veza.test${path}`, init));
  return { status: response.status, roundTrips };
}

describe("notifications' database round trips", () => {
  it("lists, counts, marks read and deletes in one round trip each", async () => {
    const me = await signedInUser();
    const actor = await signedInUser();
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await notify(me.id, { actorId: actor.id, createdAt: ago(10 - i) }));
    expect(await roundTrips(me, "GET", "/v1/me/notifications?limit=2")).toEqual({ status: 200, roundTrips: 1 });
    const next = (await api("GET", "/v1/me/notifications?limit=2", { headers: me.headers })).body.next_cursor as string;
    expect(await roundTrips(me, "GET", `/v1/me/notifications?limit=2&unread=true&cursor=${next}`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(me, "GET", "/v1/me/notifications/unread-count")).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(me, "POST", "/v1/me/notifications/read", { ids: [made[0]] })).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(me, "POST", "/v1/me/notifications/read")).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(me, "DELETE", `/v1/me/notifications/${made[1]}`)).toEqual({ status: 204, roundTrips: 1 });
    expect(await roundTrips(me, "DELETE", `/v1/me/notifications/${made[1]}`)).toEqual({ status: 404, roundTrips: 1 });
  });
});
