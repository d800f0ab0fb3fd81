import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { ban, posted, softDelete } from "./fixtures";

/** Every write of the domain, against a post (and a comment on it) by someone else. */
function writes(postId: string, commentId: string): Array<[string, string, unknown?]> {
  return [
    ["POST", "/v1/posts", { content: "hello" }],
    ["PATCH", `/v1/posts/${postId}`, { content: "x" }],
    ["DELETE", `/v1/posts/${postId}`],
    ["PUT", `/v1/posts/${postId}/pin`],
    ["DELETE", `/v1/posts/${postId}/pin`],
    ["PUT", `/v1/posts/${postId}/like`],
    ["DELETE", `/v1/posts/${postId}/like`],
    ["PUT", `/v1/posts/${postId}/repost`],
    ["DELETE", `/v1/posts/${postId}/repost`],
    ["POST", `/v1/posts/${postId}/comments`, { content: "c" }],
    ["PATCH", `/v1/post-comments/${commentId}`, { content: "c" }],
    ["DELETE", `/v1/post-comments/${commentId}`],
  ];
}

async function fixture() {
  const ada = await signedInUser();
  const p = await posted(ada, "target");
  const comment = (await api("POST", `/v1/posts/${p.id}/comments`, { body: { content: "ada's comment" }, headers: ada.headers })).body;
  return { ada, postId: p.id as string, commentId: comment.id as string };
}

const call = (user: SignedInUser | null, [method, path, body]: [string, string, unknown?]) =>
  api(method, path, { body, headers: user?.headers });

describe("who may write", () => {
  it("refuses every write anonymously (401), to a banned account (403) and to a deleted one (401)", async () => {
    const { postId, commentId } = await fixture();
    const banned = await signedInUser();
    const gone = await signedInUser();
    await ban(banned);
    await softDelete(gone);
    for (const w of writes(postId, commentId)) {
      expect((await call(null, w)).status, `${w[0]} ${w[1]} anonymously`).toBe(401);
      expect((await call(banned, w)).status, `${w[0]} ${w[1]} banned`).toBe(403);
      expect((await call(gone, w)).status, `${w[0]} ${w[1]} deleted`).toBe(401);
    }
    const [row] = await sql.query("SELECT like_count, comment_count, repost_count, is_pinned, deleted_at FROM posts WHERE id = $1", [postId]);
    expect(row).toEqual({ like_count: 0, comment_count: 1, repost_count: 0, is_pinned: false, deleted_at: null });
  });

  it("refuses another user's changes to my post and comment (403), and lets them like, repost and comment", async () => {
    const { postId, commentId } = await fixture();
    const bob = await signedInUser();
    const owned: Array<[string, string, unknown?]> = [
      ["PATCH", `/v1/posts/${postId}`, { content: "x" }],
      ["DELETE", `/v1/posts/${postId}`],
      ["PUT", `/v1/posts/${postId}/pin`],
      ["DELETE", `/v1/posts/${postId}/pin`],
      ["PATCH", `/v1/post-comments/${commentId}`, { content: "c" }],
      ["DELETE", `/v1/post-comments/${commentId}`],
    ];
    for (const w of owned) expect((await call(bob, w)).status, `${w[0]} ${w[1]}`).toBe(403);
    expect((await call(bob, ["PUT", `/v1/posts/${postId}/like`])).status).toBe(200);
    expect((await call(bob, ["PUT", `/v1/posts/${postId}/repost`])).status).toBe(200);
    expect((await call(bob, ["POST", `/v1/posts/${postId}/comments`, { content: "hi" }])).status).toBe(201);
  });

  it("answers 404 for every write on a post hidden from the caller", async () => {
    const { ada, postId, commentId } = await fixture();
    const eve = await signedInUser();
    await sql.query("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)", [ada.id, eve.id]);
    for (const w of writes(postId, commentId).slice(1)) {
      if (w[0] === "DELETE" && w[1].endsWith("/repost")) continue; // removing one's own repost needs no access to the original
      expect((await call(eve, w)).status, `${w[0]} ${w[1]}`).toBe(404);
    }
  });

  it("refuses to repost or quote a plain repost (the original is the one to repost)", async () => {
    const { ada, postId } = await fixture();
    const bob = await signedInUser();
    await api("PUT", `/v1/posts/${postId}/repost`, { headers: bob.headers });
    const repost = (await api("GET", `/v1/users/${bob.username}/posts`)).body.items[0];
    expect((await api("PUT", `/v1/posts/${repost.id}/repost`, { headers: ada.headers })).status).toBe(422);
    const quote = await api("POST", "/v1/posts", { body: { content: "q", repost_of_id: repost.id }, headers: ada.headers });
    expect(quote.status).toBe(422);
    expect(quote.body.errors[0].path).toBe("json.repost_of_id");
    expect((await api("PATCH", `/v1/posts/${repost.id}`, { body: { content: "now a quote" }, headers: bob.headers })).status).toBe(403);
  });
});
