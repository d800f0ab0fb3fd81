import { describe, expect, it } from "vitest";
import { signedInUser } from "../helpers/auth";
import { one, sql } from "../helpers/db";
import { banUser, makeTrack, softDeleteUser } from "../tracks/fixtures";
import { comment, commentCount, post, remove } from "./fixtures";

const timedError = (res: { status: number; body: { errors?: { path: string; message: string }[] } }) => {
  expect(res.status).toBe(422);
  expect(res.body.errors).toHaveLength(1);
  expect(res.body.errors![0]!.path).toBe("json.timestamp_seconds");
  return res.body.errors![0]!.message;
};

describe("POST /v1/tracks/:id/comments", () => {
  it("creates a comment, trimmed, with its author, and counts it on the track", async () => {
    const owner = await signedInUser();
    const fan = await signedInUser();
    await sql.query("UPDATE users SET display_name = 'Fan Club' WHERE id = $1", [fan.id]);
    await sql.query("UPDATE user_profiles SET avatar_url = '/v1/media/avatars/x.png' WHERE user_id = $1", [fan.id]);
    const track = await makeTrack(owner.id);
    const res = await post(track.id, fan, { content: "  Love the bass line\nat the end  " });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      track_id: track.id,
      parent_comment_id: null,
      author: { id: fan.id, username: fan.username, display_name: "Fan Club", avatar_url: "/v1/media/avatars/x.png" },
      content: "Love the bass line\nat the end",
      timestamp_seconds: null,
      is_edited: false,
      deleted: false,
      reply_count: 0,
      created_at: expect.stringMatching(/Z$/),
      updated_at: expect.stringMatching(/Z$/),
    });
    const row = await one("SELECT user_id, content FROM track_comments WHERE id = $1", [res.body.id]);
    expect(row).toEqual({ user_id: fan.id, content: "Love the bass line\nat the end" });
    expect(await commentCount(track.id)).toBe(1);
  });

  it("validates content: 1-5000 characters after trimming, no control characters, no unknown fields", async () => {
    const owner = await signedInUser();
    const track = await makeTrack(owner.id);
    for (const body of [{}, { content: "" }, { content: "   " }, { content: "x".repeat(5001) }, { content: "bad\u0007bell" }, { content: 42 }, { content: "ok", user_id: owner.id }]) {
      expect((await post(track.id, owner, body)).status, JSON.stringify(body).slice(0, 60)).toBe(422);
    }
    expect((await post(track.id, owner, { content: "x".repeat(5000) })).status).toBe(201);
    expect(await commentCount(track.id)).toBe(1);
  });

  it("places a timed comment only inside the track: the last second is the one that starts before the end", async () => {
    const owner = await signedInUser();
    const exact = await makeTrack(owner.id, { durationMs: 200_000 }); // 200.000 s: seconds 0-199
    expect((await post(exact.id, owner, { content: "start", timestamp_seconds: 0 })).status).toBe(201);
    expect((await post(exact.id, owner, { content: "last second", timestamp_seconds: 199 })).body.timestamp_seconds).toBe(199);
    expect(timedError(await post(exact.id, owner, { content: "at the end", timestamp_seconds: 200 }))).toMatch(/between 0 and 199/);
    expect(timedError(await post(exact.id, owner, { content: "far beyond", timestamp_seconds: 2_000_000_000 }))).toMatch(/past the end/);

    const longer = await makeTrack(owner.id, { durationMs: 200_500 }); // 200.5 s: second 200 starts before the end
    expect((await post(longer.id, owner, { content: "in", timestamp_seconds: 200 })).status).toBe(201);
    expect(timedError(await post(longer.id, owner, { content: "out", timestamp_seconds: 201 }))).toMatch(/between 0 and 200/);

    // Only the rounded duration known: its own second is accepted.
    const rounded = await makeTrack(owner.id, { durationMs: 200_000 });
    await sql.query("UPDATE tracks SET duration_ms = NULL WHERE id = $1", [rounded.id]);
    expect((await post(rounded.id, owner, { content: "in", timestamp_seconds: 200 })).status).toBe(201);
    expect(timedError(await post(rounded.id, owner, { content: "out", timestamp_seconds: 201 }))).toMatch(/between 0 and 200/);

    for (const timestamp_seconds of [-1, 1.5, "10"]) {
      expect((await post(exact.id, owner, { content: "x", timestamp_seconds })).status).toBe(422);
    }
    expect(await commentCount(exact.id)).toBe(2);
    expect(await commentCount(longer.id)).toBe(1);
  });

  it("refuses timed comments on a track not processed yet, and takes untimed ones", async () => {
    const owner = await signedInUser();
    const pending = await makeTrack(owner.id, { status: "processing" });
    expect(timedError(await post(pending.id, owner, { content: "at 0", timestamp_seconds: 0 }))).toMatch(/not been processed/);
    expect((await post(pending.id, owner, { content: "general", timestamp_seconds: null })).status).toBe(201);
    expect(await commentCount(pending.id)).toBe(1);
  });

  it("takes replies to a live top-level comment of the same track only", async () => {
    const owner = await signedInUser();
    const fan = await signedInUser();
    const track = await makeTrack(owner.id);
    const elsewhere = await makeTrack(owner.id);
    const top = await comment(track.id, owner);
    const reply = await post(track.id, fan, { content: "agreed", parent_comment_id: top, timestamp_seconds: 12 });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ parent_comment_id: top, timestamp_seconds: 12, reply_count: 0 });

    const refused = async (parent: string, trackId = track.id) => {
      const res = await post(trackId, fan, { content: "x", parent_comment_id: parent });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([{ path: "json.parent_comment_id", message: expect.any(String) }]);
      return res.body.errors[0].message as string;
    };
    expect(await refused(reply.body.id)).toMatch(/is a reply/);
    expect(await refused(top, elsewhere.id)).toMatch(/not a comment of this track/);
    expect(await refused(crypto.randomUUID())).toMatch(/not a comment of this track/);
    const dead = await comment(track.id, owner);
    expect((await remove(dead, owner)).status).toBe(204);
    expect(await refused(dead)).toMatch(/deleted/);
    expect(await commentCount(track.id)).toBe(2);
    expect(await commentCount(elsewhere.id)).toBe(0);
  });

  it("is refused for tracks the commenter cannot see (404) and for anonymous (401), banned (403) and deleted (401) users", async () => {
    const owner = await signedInUser();
    const fan = await signedInUser();
    const priv = await makeTrack(owner.id, { visibility: "private" });
    expect((await post(priv.id, fan, { content: "hi" })).status).toBe(404);
    expect((await post(priv.id, owner, { content: "note to self" })).status).toBe(201);
    const unlisted = await makeTrack(owner.id, { visibility: "unlisted" });
    expect((await post(unlisted.id, fan, { content: "found it" })).status).toBe(201);
    const deleted = await makeTrack(owner.id, { deleted: true });
    expect((await post(deleted.id, owner, { content: "hi" })).status).toBe(404);
    expect((await post(crypto.randomUUID(), fan, { content: "hi" })).status).toBe(404);
    expect((await post("nope", fan, { content: "hi" })).status).toBe(422);

    const track = await makeTrack(owner.id);
    expect((await post(track.id, null, { content: "hi" })).status).toBe(401);
    const banned = await signedInUser();
    await banUser(banned.id);
    expect((await post(track.id, banned, { content: "hi" })).status).toBe(403);
    const gone = await signedInUser();
    await softDeleteUser(gone.id);
    expect((await post(track.id, gone, { content: "hi" })).status).toBe(401);
    expect(await commentCount(track.id)).toBe(0);
    expect(await commentCount(priv.id)).toBe(1);
  });
});
