import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { withRoundTrips } from "../helpers/round-trips";
import { file, group, posted } from "./fixtures";

/** Round trips of one request (as `user`, whose auth state is already cached at the edge, or anonymous). */
async function roundTrips(user: SignedInUser | null, method: string, path: string, body?: unknown) {
  if (user) expect((await api("GET", "/v1/me", { headers: user.headers })).status).toBe(200); // warms the auth state cache
  const headers: Record<string, string> = { ...user?.headers, ...(body !== undefined ? { "content-type": "application/json" } : {}) };
  const { response, roundTrips } = await withRoundTrips(
    new Request(`https://veza.test${path}`, { method, headers, body: body !== undefined ? JSON.stringify(body) : undefined }),
  );
  return { status: response.status, roundTrips };
}

describe("posts' database round trips", () => {
  it("every read and write is one round trip", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const g = await group(ada);
    const image = await file(ada.id, "image/png");
    const p = await posted(ada, "hi #rt");
    const one = (status: number) => ({ status, roundTrips: 1 });

    expect(await roundTrips(ada, "POST", "/v1/posts", { content: `with #tags and @${bob.username}`, image_file_ids: [image], group_id: g.id })).toEqual(one(201));
    expect(await roundTrips(ada, "POST", "/v1/posts", { content: "bad file", image_file_ids: [crypto.randomUUID()] })).toEqual(one(422));
    expect(await roundTrips(ada, "PATCH", `/v1/posts/${p.id}`, { content: "edited #rt2" })).toEqual(one(200));
    expect(await roundTrips(ada, "PUT", `/v1/posts/${p.id}/pin`)).toEqual(one(200));
    expect(await roundTrips(ada, "DELETE", `/v1/posts/${p.id}/pin`)).toEqual(one(200));
    expect(await roundTrips(bob, "PUT", `/v1/posts/${p.id}/like`)).toEqual(one(200));
    expect(await roundTrips(bob, "DELETE", `/v1/posts/${p.id}/like`)).toEqual(one(200));
    expect(await roundTrips(bob, "PUT", `/v1/posts/${p.id}/repost`)).toEqual(one(200));
    expect(await roundTrips(bob, "DELETE", `/v1/posts/${p.id}/repost`)).toEqual(one(200));
    const comment = await api("POST", `/v1/posts/${p.id}/comments`, { body: { content: "c" }, headers: bob.headers });
    expect(await roundTrips(bob, "POST", `/v1/posts/${p.id}/comments`, { content: "reply", parent_comment_id: comment.body.id })).toEqual(one(201));
    expect(await roundTrips(bob, "PATCH", `/v1/post-comments/${comment.body.id}`, { content: "edited" })).toEqual(one(200));
    expect(await roundTrips(null, "GET", `/v1/posts/${p.id}`)).toEqual(one(200));
    expect(await roundTrips(bob, "GET", `/v1/posts/${p.id}/likes`)).toEqual(one(200));
    expect(await roundTrips(bob, "GET", `/v1/posts/${p.id}/comments`)).toEqual(one(200));
    expect(await roundTrips(null, "GET", `/v1/post-comments/${comment.body.id}/replies`)).toEqual(one(200));
    expect(await roundTrips(bob, "GET", `/v1/users/${ada.username}/posts`)).toEqual(one(200));
    expect(await roundTrips(null, "GET", "/v1/explore")).toEqual(one(200));
    expect(await roundTrips(bob, "GET", "/v1/hashtags/RT2/posts")).toEqual(one(200));
    expect(await roundTrips(null, "GET", "/v1/hashtags?prefix=rt")).toEqual(one(200));
    expect(await roundTrips(bob, "GET", `/v1/groups/${g.slug}/posts`)).toEqual(one(200));
    expect(await roundTrips(bob, "DELETE", `/v1/post-comments/${comment.body.id}`)).toEqual(one(204));
    expect(await roundTrips(ada, "DELETE", `/v1/posts/${p.id}`)).toEqual(one(204));
    expect(await roundTrips(null, "GET", `/v1/posts/${p.id}`)).toEqual(one(404));
  });
});
