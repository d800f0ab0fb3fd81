import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { withRoundTrips } from "../helpers/round-trips";
import { makeTrack } from "../tracks/fixtures";
import { comment } from "./fixtures";

/** Round trips of one request as `user` (auth state already cached at the edge), or anonymously. */
async function roundTrips(user: SignedInUser | null, method: string, path: string, body?: unknown) {
  if (user) expect((await api("GET", "/v1/me", { headers: user.headers })).status).toBe(200); // warms the auth state cache
  const headers: Record<string, string> = { ...(user?.headers ?? {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) };
  const { response, roundTrips } = await withRoundTrips(
    new Request(`https://veza.test${path}`, { method, headers, body: body !== undefined ? JSON.stringify(body) : undefined }),
  );
  return { status: response.status, roundTrips };
}

describe("comments' database round trips", () => {
  it("posts, reads, edits and deletes in one round trip each", async () => {
    const owner = await signedInUser();
    const fan = await signedInUser();
    const track = await makeTrack(owner.id);
    const top = await comment(track.id, owner, { timestamp_seconds: 3 });
    await comment(track.id, owner);
    expect(await roundTrips(fan, "POST", `/v1/tracks/${track.id}/comments`, { content: "hi", parent_comment_id: top, timestamp_seconds: 4 })).toEqual({ status: 201, roundTrips: 1 });
    expect(await roundTrips(fan, "POST", `/v1/tracks/${track.id}/comments`, { content: "hi", timestamp_seconds: 9999 })).toEqual({ status: 422, roundTrips: 1 });
    expect(await roundTrips(null, "GET", `/v1/tracks/${track.id}/comments?limit=1`)).toEqual({ status: 200, roundTrips: 1 });
    const next = (await api("GET", `/v1/tracks/${track.id}/comments?limit=1`)).body.next_cursor as string;
    expect(await roundTrips(fan, "GET", `/v1/tracks/${track.id}/comments?limit=1&cursor=${next}`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(null, "GET", `/v1/tracks/${track.id}/comments?at=0&span=60`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(null, "GET", `/v1/tracks/${track.id}/comments?timed=true`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(null, "GET", `/v1/comments/${top}/replies`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(owner, "PATCH", `/v1/comments/${top}`, { content: "edited" })).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(fan, "PATCH", `/v1/comments/${top}`, { content: "edited" })).toEqual({ status: 403, roundTrips: 1 });
    expect(await roundTrips(fan, "DELETE", `/v1/comments/${top}`)).toEqual({ status: 403, roundTrips: 1 });
    expect(await roundTrips(owner, "DELETE", `/v1/comments/${top}`)).toEqual({ status: 204, roundTrips: 1 });
  });
});
