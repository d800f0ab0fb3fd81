import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { MISSING, sql } from "../helpers/db";
import { ban, file, group, join, post, posted, softDelete } from "./fixtures";

describe("POST /v1/posts", () => {
  it("publishes a post and answers it whole", async () => {
    const ada = await signedInUser();
    const res = await post(ada, { content: "Hello #World", visibility: "unlisted" });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      author: { id: ada.id, username: ada.username, display_name: null, avatar_url: null },
      content: "Hello #World",
      visibility: "unlisted",
      attachments: { images: [], audio: null, video: null },
      hashtags: ["World"],
      like_count: 0,
      comment_count: 0,
      repost_count: 0,
      is_pinned: false,
      group: null,
      liked_by_me: false,
      reposted_by_me: false,
      repost_of_id: null,
      repost_of: null,
      created_at: expect.stringMatching(/Z$/),
      updated_at: expect.stringMatching(/Z$/),
    });
    const read = await api("GET", `/v1/posts/${res.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
  });

  it("validates the body: content required unless quoting, length, unknown fields, too many images", async () => {
    const ada = await signedInUser();
    for (const body of [{}, { content: "   " }, { content: "x".repeat(5001) }, { content: "hi", extra: 1 }, { content: "hi", visibility: "secret" }, { content: "hi", image_file_ids: [MISSING, MISSING] }]) {
      const res = await post(ada, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    const five = Array.from({ length: 5 }, () => crypto.randomUUID());
    expect((await post(ada, { content: "hi", image_file_ids: five })).status).toBe(422);
  });

  it("accepts only the author's own live files of the right kind as attachments", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const [img1, img2, audio, video] = await Promise.all([file(ada.id, "image/png"), file(ada.id, "image/jpeg"), file(ada.id, "audio/mpeg"), file(ada.id, "video/mp4")]);
    const ok = await post(ada, { content: "media", image_file_ids: [img2, img1], audio_file_id: audio, video_file_id: video });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body.attachments.images.map((i: { id: string }) => i.id)).toEqual([img2, img1]);
    expect(ok.body.attachments.images[0]).toEqual({ id: img2, url: `/v1/posts/${ok.body.id}/attachments/${img2}`, mime_type: "image/jpeg" });
    expect(ok.body.attachments.audio).toMatchObject({ id: audio, mime_type: "audio/mpeg" });
    expect(ok.body.attachments.video).toMatchObject({ id: video, mime_type: "video/mp4" });

    const bobsImage = await file(bob.id, "image/png");
    const deleted = await file(ada.id, "image/png", { deleted: true });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ image_file_ids: [bobsImage] }, "json.image_file_ids"],
      [{ image_file_ids: [deleted] }, "json.image_file_ids"],
      [{ image_file_ids: [audio] }, "json.image_file_ids"],
      [{ image_file_ids: [MISSING] }, "json.image_file_ids"],
      [{ audio_file_id: img1 }, "json.audio_file_id"],
      [{ audio_file_id: await file(bob.id, "audio/mpeg") }, "json.audio_file_id"],
      [{ video_file_id: audio }, "json.video_file_id"],
    ];
    for (const [extra, path] of cases) {
      const res = await post(ada, { content: "nope", ...extra });
      expect(res.status, JSON.stringify(extra)).toBe(422);
      expect(res.body.errors[0].path).toBe(path);
    }
    const count = await sql.query("SELECT count(*)::int AS n FROM posts WHERE user_id = $1", [ada.id]);
    expect(count[0]!.n).toBe(1);
  });

  it("posts in a group only for its active members", async () => {
    const owner = await signedInUser();
    const member = await signedInUser();
    const pending = await signedInUser();
    const outsider = await signedInUser();
    const g = await group(owner, "public");
    await join(g, member);
    await join(g, pending, "member", "pending");
    const res = await post(member, { content: "in the group", group_id: g.id });
    expect(res.status).toBe(201);
    expect(res.body.group).toEqual({ id: g.id, slug: g.slug, name: `Group ${g.slug}` });
    for (const u of [pending, outsider]) {
      const refused = await post(u, { content: "let me in", group_id: g.id });
      expect(refused.status).toBe(422);
      expect(refused.body.errors[0].path).toBe("json.group_id");
    }
    const [row] = await sql.query("SELECT post_count FROM groups WHERE id = $1", [g.id]);
    expect(row!.post_count).toBe(1);
  });

  it("refuses anonymous, banned and deleted authors", async () => {
    expect((await api("POST", "/v1/posts", { body: { content: "anon" } })).status).toBe(401);
    const banned = await signedInUser();
    await ban(banned);
    expect((await post(banned, { content: "banned" })).status).toBe(403);
    const gone = await signedInUser();
    await softDelete(gone);
    expect((await post(gone, { content: "gone" })).status).toBe(401);
  });
});

describe("PATCH and DELETE /v1/posts/:id", () => {
  it("lets the author edit content and visibility, nobody else", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const p = await posted(ada, "first #One");
    const edited = await api("PATCH", `/v1/posts/${p.id}`, { body: { content: "second #Two", visibility: "private" }, headers: ada.headers });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ content: "second #Two", visibility: "private", hashtags: ["Two"] });
    expect((await api("GET", `/v1/posts/${p.id}`, { headers: ada.headers })).body.hashtags).toEqual(["Two"]);

    // now private: bob does not follow ada, so it is hidden from him
    expect((await api("PATCH", `/v1/posts/${p.id}`, { body: { content: "mine" }, headers: bob.headers })).status).toBe(404);
    const pub = await posted(ada, "public one");
    expect((await api("PATCH", `/v1/posts/${pub.id}`, { body: { content: "mine" }, headers: bob.headers })).status).toBe(403);
    expect((await api("PATCH", `/v1/posts/${pub.id}`, { body: { content: "anon" } })).status).toBe(401);
    expect((await api("PATCH", `/v1/posts/${pub.id}`, { body: {}, headers: ada.headers })).status).toBe(422);
    expect((await api("PATCH", `/v1/posts/${pub.id}`, { body: { content: "" }, headers: ada.headers })).status).toBe(422);
    expect((await api("PATCH", `/v1/posts/${MISSING}`, { body: { content: "x" }, headers: ada.headers })).status).toBe(404);
    expect((await api("PATCH", `/v1/posts/not-a-uuid`, { body: { content: "x" }, headers: ada.headers })).status).toBe(422);
  });

  it("soft-deletes for the author or the group's moderators, and 404s afterwards", async () => {
    const owner = await signedInUser();
    const mod = await signedInUser();
    const member = await signedInUser();
    const other = await signedInUser();
    const g = await group(owner);
    await join(g, mod, "moderator");
    await join(g, member);
    await join(g, other);
    const a = await posted(member, "group post 1", { group_id: g.id });
    const b = await posted(member, "group post 2", { group_id: g.id });
    const own = await posted(member, "profile post");
    expect((await api("DELETE", `/v1/posts/${a.id}`, { headers: other.headers })).status).toBe(403);
    expect((await api("DELETE", `/v1/posts/${a.id}`)).status).toBe(401);
    expect((await api("DELETE", `/v1/posts/${own.id}`, { headers: mod.headers })).status).toBe(403);
    expect((await api("DELETE", `/v1/posts/${a.id}`, { headers: mod.headers })).status).toBe(204);
    expect((await api("DELETE", `/v1/posts/${b.id}`, { headers: owner.headers })).status).toBe(204);
    expect((await api("DELETE", `/v1/posts/${own.id}`, { headers: member.headers })).status).toBe(204);
    for (const id of [a.id, b.id, own.id]) {
      expect((await api("GET", `/v1/posts/${id}`, { headers: member.headers })).status).toBe(404);
      expect((await api("DELETE", `/v1/posts/${id}`, { headers: member.headers })).status).toBe(404);
    }
    const [row] = await sql.query("SELECT post_count FROM groups WHERE id = $1", [g.id]);
    expect(row!.post_count).toBe(0);
  });
});

describe("GET /v1/posts/:id visibility", () => {
  it("shows private posts to followers and the author only; hides posts of banned and deleted authors", async () => {
    const ada = await signedInUser();
    const fan = await signedInUser();
    const stranger = await signedInUser();
    await sql.query("INSERT INTO follows (follower_id, following_id) VALUES ($1, $2)", [fan.id, ada.id]);
    const p = await posted(ada, "for my followers", { visibility: "private" });
    expect((await api("GET", `/v1/posts/${p.id}`, { headers: ada.headers })).status).toBe(200);
    expect((await api("GET", `/v1/posts/${p.id}`, { headers: fan.headers })).status).toBe(200);
    expect((await api("GET", `/v1/posts/${p.id}`, { headers: stranger.headers })).status).toBe(404);
    expect((await api("GET", `/v1/posts/${p.id}`)).status).toBe(404);

    const bob = await signedInUser();
    const q = await posted(bob, "soon banned");
    expect((await api("GET", `/v1/posts/${q.id}`)).status).toBe(200);
    await ban(bob);
    expect((await api("GET", `/v1/posts/${q.id}`)).status).toBe(404);
    const cid = await signedInUser();
    const r = await posted(cid, "soon gone");
    await softDelete(cid);
    expect((await api("GET", `/v1/posts/${r.id}`)).status).toBe(404);
  });

  it("limits a private group's posts to its active members", async () => {
    const owner = await signedInUser();
    const outsider = await signedInUser();
    const g = await group(owner, "private");
    const p = await posted(owner, "members only", { group_id: g.id });
    expect((await api("GET", `/v1/posts/${p.id}`, { headers: owner.headers })).status).toBe(200);
    expect((await api("GET", `/v1/posts/${p.id}`, { headers: outsider.headers })).status).toBe(404);
    expect((await api("GET", `/v1/posts/${p.id}`)).status).toBe(404);
    expect((await api("GET", `/v1/groups/${g.slug}/posts`, { headers: owner.headers })).body.items.map((i: { id: string }) => i.id)).toEqual([p.id]);
    expect((await api("GET", `/v1/groups/${g.slug}/posts`, { headers: outsider.headers })).status).toBe(404);
  });
});
