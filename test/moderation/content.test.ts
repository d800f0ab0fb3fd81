import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { makeTrack } from "../tracks/fixtures";
import { listed } from "../products/fixtures";
import { makeGroup } from "../groups/fixtures";
import { posted } from "../posts/fixtures";
import { act, auditRows, moderator, notices } from "./fixtures";

const reverse = (who: { headers: Record<string, string> }, actionId: string, reason = "Reviewed: it is fine") =>
  api("POST", `/v1/moderation/actions/${actionId}/reverse`, { headers: who.headers, body: { reason } });

describe("moderation: hiding, removing and restoring content", () => {
  it("hides a track from every reader, tells its creator, audits it, and restores it", async () => {
    const [creator, reader, mod] = await Promise.all([signedInUser(), signedInUser(), moderator()]);
    const track = await makeTrack(creator.id, { title: "Offending" });
    expect((await api("GET", `/v1/tracks/${track.id}`, { headers: reader.headers })).status).toBe(200);

    const hidden = await act(mod, { action_type: "hide_content", target_type: "track", target_id: track.id, reason: "Hateful lyrics" });
    expect(hidden.status, hidden.text).toBe(201);
    expect(hidden.body).toMatchObject({ action_type: "hide_content", target_type: "track", target_id: track.id, target_user_id: creator.id });
    expect((await api("GET", `/v1/tracks/${track.id}`, { headers: reader.headers })).status).toBe(404);
    expect((await api("GET", `/v1/tracks/${track.id}`)).status).toBe(404);
    expect(await notices(creator.id)).toEqual([expect.objectContaining({ title: "Moderators hid your track", body: "Hateful lyrics", entity_id: hidden.body.id })]);
    expect(await auditRows(creator.id, "moderation.hide_content")).toEqual([expect.objectContaining({ actor_id: mod.id })]);
    // already out of view: nothing to hide
    expect((await act(mod, { action_type: "remove_content", target_type: "track", target_id: track.id, reason: "again" })).status).toBe(404);

    const restored = await reverse(mod, hidden.body.id);
    expect(restored.status, restored.text).toBe(200);
    expect(restored.body).toMatchObject({ id: hidden.body.id, reversal_reason: "Reviewed: it is fine" });
    expect(restored.body.reversed_at).not.toBeNull();
    expect((await api("GET", `/v1/tracks/${track.id}`, { headers: reader.headers })).status).toBe(200);
    expect((await notices(creator.id)).map((n) => n.title)).toEqual(["Moderators hid your track", "Your track is visible again"]);
    expect(await auditRows(creator.id, "moderation.reverse")).toHaveLength(1);
    const history = await api("GET", `/v1/moderation/users/${creator.id}/actions`, { headers: mod.headers });
    expect(history.body.items.map((a: { action_type: string }) => a.action_type)).toEqual(["restore", "hide_content"]);
    // a reversal happens once
    expect((await reverse(mod, hidden.body.id)).status).toBe(409);
  });

  it("removes a post and a track comment from their pages, and restores them", async () => {
    const [author, mod] = await Promise.all([signedInUser(), moderator()]);
    const post = await posted(author, "Buy followers at spam.example");
    const track = await makeTrack(author.id);
    const [comment] = await sql.query("INSERT INTO track_comments (track_id, user_id, content) VALUES ($1, $2, 'spam spam') RETURNING id", [track.id, author.id]);

    const removedPost = await act(mod, { action_type: "remove_content", target_type: "post", target_id: post.id, reason: "Spam" });
    expect(removedPost.status, removedPost.text).toBe(201);
    expect((await api("GET", `/v1/posts/${post.id}`)).status).toBe(404);
    const removedComment = await act(mod, { action_type: "remove_content", target_type: "comment", target_id: comment!.id, reason: "Spam" });
    expect(removedComment.status, removedComment.text).toBe(201);
    expect(removedComment.body.target_user_id).toBe(author.id);
    const comments = await api("GET", `/v1/tracks/${track.id}/comments`);
    expect(comments.body.items.map((c: { id: string }) => c.id)).not.toContain(comment!.id);

    expect((await reverse(mod, removedPost.body.id)).status).toBe(200);
    expect((await api("GET", `/v1/posts/${post.id}`)).status).toBe(200);
    expect((await reverse(mod, removedComment.body.id)).status).toBe(200);
    const again = await api("GET", `/v1/tracks/${track.id}/comments`);
    expect(again.body.items.map((c: { id: string }) => c.id)).toContain(comment!.id);

    // a post's comment is a "comment" too
    const commenter = await signedInUser();
    const made = await api("POST", `/v1/posts/${post.id}/comments`, { headers: commenter.headers, body: { content: "rude reply" } });
    expect(made.status, made.text).toBe(201);
    const hidden = await act(mod, { action_type: "hide_content", target_type: "comment", target_id: made.body.id, reason: "Insult" });
    expect(hidden.status, hidden.text).toBe(201);
    expect(hidden.body.target_user_id).toBe(commenter.id);
    const listed = async () => (await api("GET", `/v1/posts/${post.id}/comments`)).body.items.map((c: { id: string }) => c.id);
    expect(await listed()).not.toContain(made.body.id);
    expect((await reverse(mod, hidden.body.id)).status).toBe(200);
    expect(await listed()).toContain(made.body.id);
  });

  it("suspends a hidden product (its seller sees why) and brings it back unpublished; removes and restores a group", async () => {
    const [seller, mod] = await Promise.all([signedInUser(), moderator()]);
    const { product } = await listed(seller);
    const hidden = await act(mod, { action_type: "hide_content", target_type: "product", target_id: product.id, reason: "Counterfeit" });
    expect(hidden.status, hidden.text).toBe(201);
    expect((await api("GET", `/v1/products/${product.id}`)).status).toBe(404);
    const own = await api("GET", `/v1/products/${product.id}`, { headers: seller.headers });
    expect(own.body).toMatchObject({ status: "suspended", suspension_reason: "Counterfeit" });
    expect((await reverse(mod, hidden.body.id)).status).toBe(200);
    expect((await api("GET", `/v1/products/${product.id}`, { headers: seller.headers })).body).toMatchObject({ status: "inactive", suspension_reason: null });

    const group = await makeGroup(seller);
    const removed = await act(mod, { action_type: "remove_content", target_type: "group", target_id: group.id, reason: "Illegal content" });
    expect(removed.status, removed.text).toBe(201);
    expect((await api("GET", `/v1/groups/${group.slug}`)).status).toBe(404);
    expect((await reverse(mod, removed.body.id)).status).toBe(200);
    expect((await api("GET", `/v1/groups/${group.slug}`)).status).toBe(200);
  });

  it("warns a user (notified, withdrawable) and refuses content actions on unknown content", async () => {
    const [user, mod] = await Promise.all([signedInUser(), moderator()]);
    const warned = await act(mod, { action_type: "warn", user_id: user.id, reason: "Keep it civil" });
    expect(warned.status, warned.text).toBe(201);
    expect(await notices(user.id)).toEqual([expect.objectContaining({ title: "You received a warning from the moderators", body: "Keep it civil" })]);
    // a warning changes nothing else
    expect((await api("GET", "/v1/me", { headers: user.headers })).status).toBe(200);
    expect((await reverse(mod, warned.body.id)).status).toBe(200);
    expect((await notices(user.id)).at(-1)).toMatchObject({ title: "A warning you received was withdrawn" });

    const missing = crypto.randomUUID();
    expect((await act(mod, { action_type: "hide_content", target_type: "post", target_id: missing, reason: "x" })).status).toBe(404);
    expect((await act(mod, { action_type: "warn", user_id: missing, reason: "x" })).status).toBe(404);
    expect((await reverse(mod, missing)).status).toBe(404);
  });

  it("validates actions (422)", async () => {
    const mod = await moderator();
    const user = await signedInUser();
    for (const body of [
      { action_type: "suspend", user_id: user.id, reason: "no duration" },
      { action_type: "warn", user_id: user.id, reason: "   " },
      { action_type: "hide_content", user_id: user.id, reason: "no content named" },
      { action_type: "ban", user_id: user.id, target_type: "post", target_id: user.id, reason: "both" },
      { action_type: "warn", user_id: user.id, reason: "x", duration_hours: 3 },
      { action_type: "hide_content", target_type: "user", target_id: user.id, reason: "an account is not content" },
      { action_type: "explode", user_id: user.id, reason: "x" },
    ]) {
      const res = await act(mod, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
  });
});
