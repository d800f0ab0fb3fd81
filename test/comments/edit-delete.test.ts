import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { one, sql } from "../helpers/db";
import { banUser, makeTrack, softDeleteUser } from "../tracks/fixtures";
import { comment, commentCount, edit, idsOf, list, remove } from "./fixtures";

const auditOf = (commentId: string) =>
  sql.query("SELECT action, user_id, actor_id, severity, metadata FROM audit_logs WHERE action = 'track_comment.delete' AND metadata->>'comment_id' = $1", [commentId]);

describe("PATCH /v1/comments/:id", () => {
  it("lets the author change the content, marking it edited only when it changes", async () => {
    const owner = await signedInUser();
    const fan = await signedInUser();
    const track = await makeTrack(owner.id);
    const id = await comment(track.id, fan, { content: "first take", timestamp_seconds: 30 });
    const same = await edit(id, fan, "  first take ");
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ id, content: "first take", is_edited: false });
    const res = await edit(id, fan, "second take");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, content: "second take", is_edited: true, timestamp_seconds: 30, author: { id: fan.id }, deleted: false });
    expect(await one("SELECT content, is_edited FROM track_comments WHERE id = $1", [id])).toEqual({ content: "second take", is_edited: true });
    expect((await list(track.id)).body.items[0]).toMatchObject({ id, content: "second take", is_edited: true });
    expect((await edit(id, fan, "back")).body.is_edited).toBe(true);
  });

  it("refuses anyone but the author: another user or the track's creator 403, deleted comments 404, bad content 422", async () => {
    const owner = await signedInUser();
    const fan = await signedInUser();
    const moderator = await signedInUser({ role: "moderator" });
    const track = await makeTrack(owner.id);
    const id = await comment(track.id, fan, { content: "original" });
    expect((await edit(id, owner, "rewritten")).status).toBe(403);
    expect((await edit(id, moderator, "rewritten")).status).toBe(403);
    expect((await edit(id, null, "rewritten")).status).toBe(401);
    for (const content of ["", "   ", "x".repeat(5001), "a\u0000b", null]) expect((await edit(id, fan, content)).status).toBe(422);
    expect((await edit(crypto.randomUUID(), fan, "x")).status).toBe(404);
    expect(await one("SELECT content, is_edited FROM track_comments WHERE id = $1", [id])).toEqual({ content: "original", is_edited: false });

    const banned = await signedInUser();
    const bannedComment = await comment(track.id, banned);
    await banUser(banned.id);
    expect((await edit(bannedComment, banned, "x")).status).toBe(403);
    const gone = await signedInUser();
    const goneComment = await comment(track.id, gone);
    await softDeleteUser(gone.id);
    expect((await edit(goneComment, gone, "x")).status).toBe(401);

    expect((await remove(id, fan)).status).toBe(204);
    expect((await edit(id, fan, "x")).status).toBe(404);
  });

  it("is 404 for a comment on a track its author can no longer see", async () => {
    const owner = await signedInUser();
    const fan = await signedInUser();
    const track = await makeTrack(owner.id);
    const id = await comment(track.id, fan);
    await sql.query("UPDATE tracks SET visibility = 'private' WHERE id = $1", [track.id]);
    expect((await edit(id, fan, "x")).status).toBe(404);
  });
});

describe("DELETE /v1/comments/:id", () => {
  it("lets the author delete: a soft delete that takes the comment off comment_count", async () => {
    const owner = await signedInUser();
    const fan = await signedInUser();
    const track = await makeTrack(owner.id);
    const top = await comment(track.id, fan);
    const reply = await comment(track.id, owner, { parent_comment_id: top });
    await comment(track.id, owner);
    expect(await commentCount(track.id)).toBe(3);
    expect((await api("GET", `/v1/tracks/${track.id}`)).body.counts.comments).toBe(3);

    expect((await remove(reply, owner)).status).toBe(204);
    expect(await commentCount(track.id)).toBe(2);
    const row = await one("SELECT is_deleted, deleted_at IS NOT NULL AS has_deleted_at, content FROM track_comments WHERE id = $1", [reply]);
    expect(row).toMatchObject({ is_deleted: true, has_deleted_at: true });
    expect((await remove(reply, owner)).status).toBe(404);
    expect(await commentCount(track.id)).toBe(2);

    expect((await remove(top, fan)).status).toBe(204);
    expect(await commentCount(track.id)).toBe(1);
    expect(await auditOf(top)).toEqual([]);
  });

  it("lets the track's creator moderate their track, unaudited; others get 403", async () => {
    const owner = await signedInUser();
    const fan = await signedInUser();
    const stranger = await signedInUser();
    const track = await makeTrack(owner.id);
    const id = await comment(track.id, fan);
    expect((await remove(id, stranger)).status).toBe(403);
    expect((await remove(id, null)).status).toBe(401);
    expect(await commentCount(track.id)).toBe(1);
    expect((await remove(id, owner)).status).toBe(204);
    expect(await commentCount(track.id)).toBe(0);
    expect(await auditOf(id)).toEqual([]);
  });

  it("lets moderators and admins delete anyone's comment, even on a private track, and audits it", async () => {
    const owner = await signedInUser();
    const fan = await signedInUser();
    const moderator = await signedInUser({ role: "moderator" });
    const admin = await signedInUser({ role: "admin" });
    const track = await makeTrack(owner.id);
    const id = await comment(track.id, fan, { content: "spam spam spam" });
    expect((await remove(id, moderator)).status).toBe(204);
    expect(await auditOf(id)).toEqual([
      {
        action: "track_comment.delete",
        user_id: fan.id,
        actor_id: moderator.id,
        severity: "warning",
        metadata: { comment_id: id, track_id: track.id, content: "spam spam spam", role: "moderator" },
      },
    ]);

    const priv = await makeTrack(owner.id, { visibility: "private" });
    const note = await comment(priv.id, owner);
    expect((await remove(note, fan)).status).toBe(404);
    expect((await remove(note, admin)).status).toBe(204);
    expect((await auditOf(note)).map((a) => [a.actor_id, a.user_id])).toEqual([[admin.id, owner.id]]);

    const own = await comment(track.id, moderator);
    expect((await remove(own, moderator)).status).toBe(204);
    expect(await auditOf(own)).toEqual([]);
  });

  it("lets authors take back their words on a track they can no longer see; deleted tracks are 404", async () => {
    const owner = await signedInUser();
    const fan = await signedInUser();
    const track = await makeTrack(owner.id);
    const id = await comment(track.id, fan);
    const other = await comment(track.id, owner);
    await sql.query("UPDATE tracks SET visibility = 'private' WHERE id = $1", [track.id]);
    expect((await remove(other, fan)).status).toBe(404);
    expect((await remove(id, fan)).status).toBe(204);
    await sql.query("UPDATE tracks SET deleted_at = now() WHERE id = $1", [track.id]);
    expect((await remove(other, owner)).status).toBe(404);
  });

  it("refuses banned (403) and deleted (401) accounts", async () => {
    const owner = await signedInUser();
    const track = await makeTrack(owner.id);
    const banned = await signedInUser();
    const a = await comment(track.id, banned);
    await banUser(banned.id);
    expect((await remove(a, banned)).status).toBe(403);
    const gone = await signedInUser();
    const b = await comment(track.id, gone);
    await softDeleteUser(gone.id);
    expect((await remove(b, gone)).status).toBe(401);
    expect(await commentCount(track.id)).toBe(2);
    expect(idsOf((await list(track.id, "", owner)).body)).toEqual([]);
  });
});
