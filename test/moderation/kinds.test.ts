import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { addMember, join, makeRoom, roomWith, upgrade } from "../chat/fixtures";
import { enrolled, educator, page as coursePage, publishedCourse } from "../courses/fixtures";
import { addCollaborator, makePlaylist } from "../playlists/fixtures";
import { makeProduct, paidSale } from "../sellers/fixtures";
import { act, auditRows, moderator, notices } from "./fixtures";

/** Playlists, reviews, courses and rooms: reported by those who see them, hidden, restored. */

const report = (who: SignedInUser, target_type: string, target_id: string) =>
  api("POST", "/v1/reports", { headers: who.headers, body: { target_type, target_id, reason_category: "spam" } });
const reverse = (who: SignedInUser, actionId: string) =>
  api("POST", `/v1/moderation/actions/${actionId}/reverse`, { headers: who.headers, body: { reason: "Reviewed: it is fine" } });

/** The moderator acts, a plain user and an anonymous caller are refused. */
async function hideAs(mod: SignedInUser, user: SignedInUser, target_type: string, target_id: string, extra: Record<string, unknown> = {}) {
  const body = { action_type: "hide_content", target_type, target_id, reason: "Spam", ...extra };
  expect((await act(user, body)).status, `a user hiding a ${target_type}`).toBe(403);
  expect((await api("POST", "/v1/moderation/actions", { body })).status, `anonymous hiding a ${target_type}`).toBe(401);
  const hidden = await act(mod, body);
  expect(hidden.status, hidden.text).toBe(201);
  // out of view already: nothing more to hide
  expect((await act(mod, { ...body, action_type: "remove_content", report_id: undefined })).status).toBe(404);
  return hidden.body as { id: string; target_user_id: string };
}

const ids = (items: Array<{ id: string }>) => items.map((i) => i.id);

describe("moderation of playlists, reviews, courses and rooms", () => {
  it("a playlist: a private one is reported only by who sees it; hidden from its page and lists; restored", async () => {
    const [owner, friend, stranger, mod] = await Promise.all([signedInUser(), signedInUser(), signedInUser(), moderator()]);
    const secret = await makePlaylist(owner, { visibility: "private" });
    expect((await report(stranger, "playlist", secret.id)).status).toBe(404);
    await addCollaborator(owner, secret.id, friend, "view");
    expect((await report(friend, "playlist", secret.id)).body).toMatchObject({ target_type: "playlist", target_user_id: owner.id });
    expect((await report(owner, "playlist", secret.id)).status).toBe(422);

    const open = await makePlaylist(owner, { name: "Totally legit free downloads" });
    const reported = await report(stranger, "playlist", open.id);
    expect(reported.status, reported.text).toBe(201);
    const hidden = await hideAs(mod, stranger, "playlist", open.id, { report_id: reported.body.id });
    expect(hidden.target_user_id).toBe(owner.id);
    for (const who of [stranger, owner]) expect((await api("GET", `/v1/playlists/${open.id}`, { headers: who.headers })).status).toBe(404);
    expect(ids((await api("GET", `/v1/users/${owner.username}/playlists`)).body.items)).not.toContain(open.id);
    expect(ids((await api("GET", "/v1/me/playlists", { headers: owner.headers })).body.items)).not.toContain(open.id);
    expect(await notices(owner.id)).toEqual([expect.objectContaining({ title: "Moderators hid your playlist", body: "Spam" })]);

    expect((await reverse(mod, hidden.id)).status).toBe(200);
    expect((await api("GET", `/v1/playlists/${open.id}`, { headers: stranger.headers })).status).toBe(200);
    expect(ids((await api("GET", `/v1/users/${owner.username}/playlists`)).body.items)).toContain(open.id);
    expect((await notices(owner.id)).at(-1)).toMatchObject({ title: "Your playlist is visible again" });
  });

  it("a reversal brings back only what its action took down, not what the owner deleted since", async () => {
    const [owner, mod] = await Promise.all([signedInUser(), moderator()]);
    const playlist = await makePlaylist(owner);
    const hidden = await hideAs(mod, await signedInUser(), "playlist", playlist.id);
    // the owner's own delete, later (as if the restore raced it): a different deleted_at
    await sql.query("UPDATE playlists SET deleted_at = now() + interval '1 minute' WHERE id = $1", [playlist.id]);
    expect((await reverse(mod, hidden.id)).status).toBe(200);
    expect((await api("GET", `/v1/playlists/${playlist.id}`, { headers: owner.headers })).status).toBe(404);
  });

  it("a review: hidden from the product's reviews and its rating; restored", async () => {
    const [seller, buyer, other, mod] = await Promise.all([signedInUser(), signedInUser(), signedInUser(), moderator()]);
    const product = await makeProduct(seller.id);
    const sale = await paidSale({ buyerId: buyer.id, product });
    const made = await api("POST", `/v1/products/${product.id}/reviews`, { headers: buyer.headers, body: { order_item_id: sale.orderItemId, rating: 1, content: "Visit my shop instead" } });
    expect(made.status, made.text).toBe(201);
    const reported = await report(seller, "review", made.body.id);
    expect(reported.body).toMatchObject({ target_type: "review", target_user_id: buyer.id });
    const reviews = async () => (await api("GET", `/v1/products/${product.id}/reviews`)).body;
    expect(await reviews()).toMatchObject({ review_count: 1 });

    const hidden = await hideAs(mod, other, "review", made.body.id, { report_id: reported.body.id });
    expect(hidden.target_user_id).toBe(buyer.id);
    expect(await reviews()).toMatchObject({ items: [], review_count: 0 });
    expect((await report(other, "review", made.body.id)).status).toBe(404);
    // the buyer cannot post it again over the moderator's removal
    const again = await api("POST", `/v1/products/${product.id}/reviews`, { headers: buyer.headers, body: { order_item_id: sale.orderItemId, rating: 1, content: "Visit my shop instead!" } });
    expect(again.status, again.text).toBe(403);
    expect(await reviews()).toMatchObject({ items: [], review_count: 0 });
    expect((await reverse(mod, hidden.id)).status).toBe(200);
    expect(await reviews()).toMatchObject({ items: [expect.objectContaining({ id: made.body.id })], review_count: 1 });
  });

  it("a course: leaves the catalogue and its product is suspended, its learners keep access; restored and on sale again", async () => {
    const [mira, learner, stranger, mod] = await Promise.all([educator(), signedInUser(), signedInUser(), moderator()]);
    const { course, lessons } = await publishedCourse(mira, { title: "Get rich with loops", price: "20.00" }, 1);
    expect(course.product_id).toBeTruthy();
    // a learner who paid (as checkout leaves it)
    await sql.query("INSERT INTO course_enrollments (course_id, user_id, status) VALUES ($1, $2, 'active')", [course.id, learner.id]);
    const reported = await report(stranger, "course", course.id);
    expect(reported.body).toMatchObject({ target_type: "course", target_user_id: mira.id });
    const catalogue = async () => ids((await api("GET", `/v1/courses?q=${encodeURIComponent("rich with loops")}`)).body.items);
    expect(await catalogue()).toContain(course.id);

    const hidden = await hideAs(mod, stranger, "course", course.id, { report_id: reported.body.id });
    expect(hidden.target_user_id).toBe(mira.id);
    expect(await catalogue()).not.toContain(course.id);
    expect((await coursePage(null, course.id)).status).toBe(404);
    expect((await coursePage(stranger, course.id)).status).toBe(404);
    expect((await api("POST", `/v1/courses/${course.id}/enrollment`, { headers: stranger.headers })).status).toBe(404);
    const kept = await coursePage(learner, course.id);
    expect(kept.status).toBe(200);
    expect(kept.body.lessons[0]).toMatchObject({ id: lessons[0].id, accessible: true });
    const product = async () => (await sql.query("SELECT status, suspension_reason FROM products WHERE id = $1", [course.product_id]))[0];
    expect(await product()).toEqual({ status: "suspended", suspension_reason: "Spam" });
    expect((await api("GET", `/v1/products/${course.product_id}`)).status).toBe(404);
    // the learner still sees it, so may report it too (once)
    expect((await report(learner, "course", course.id)).status).toBe(201);
    // the educator cannot publish it again over the moderator's action (other edits still work)
    const republish = await api("PATCH", `/v1/courses/${course.id}`, { headers: mira.headers, body: { status: "published" } });
    expect(republish.status, republish.text).toBe(403);
    expect(await catalogue()).not.toContain(course.id);
    expect((await api("PATCH", `/v1/courses/${course.id}`, { headers: mira.headers, body: { description: "Loops, honestly." } })).status).toBe(200);

    expect((await reverse(mod, hidden.id)).status).toBe(200);
    expect(await catalogue()).toContain(course.id);
    expect((await coursePage(stranger, course.id)).body).toMatchObject({ status: "published" });
    expect(await product()).toEqual({ status: "active", suspension_reason: null });
    expect(await auditRows(mira.id, "moderation.reverse")).toHaveLength(1);
  });

  it("a room: a private one is reported by members only; hiding closes its open sockets and every way in; restoring reopens it", async () => {
    const { roomId, users } = await roomWith(1);
    const [owner, member] = users as [SignedInUser, SignedInUser];
    const [stranger, mod] = await Promise.all([signedInUser(), moderator()]);
    const secret = await makeRoom(owner, { private: true });
    expect((await report(stranger, "room", secret)).status).toBe(404);
    expect((await report(member, "room", secret)).status).toBe(404);
    await addMember(secret, member);
    expect((await report(member, "room", secret)).body).toMatchObject({ target_type: "room", target_user_id: owner.id });
    const reported = await report(stranger, "room", roomId);
    expect(reported.body).toMatchObject({ target_type: "room", target_user_id: owner.id });

    const o = await join(owner, roomId);
    const m = await join(member, roomId);
    const hidden = await hideAs(mod, stranger, "room", roomId, { report_id: reported.body.id });
    expect(hidden.target_user_id).toBe(owner.id);
    // closed by the time the moderator has the answer
    for (const client of [o, m]) {
      await client.until(() => client.closed, "the socket to close", 1000);
      expect(client.closed).toMatchObject({ code: 4004 });
    }
    expect((await api("GET", `/v1/rooms/${roomId}`, { headers: member.headers })).status).toBe(404);
    expect((await api("GET", `/v1/rooms/${roomId}/messages`, { headers: member.headers })).status).toBe(404);
    expect((await upgrade(roomId, { Authorization: `Bearer ${member.accessToken}` })).status).toBe(404);
    expect(ids((await api("GET", "/v1/me/rooms", { headers: member.headers })).body.items)).not.toContain(roomId);
    expect((await notices(owner.id)).at(-1)).toMatchObject({ title: "Moderators hid your room" });

    expect((await reverse(mod, hidden.id)).status).toBe(200);
    expect((await api("GET", `/v1/rooms/${roomId}`, { headers: member.headers })).status).toBe(200);
    const back = await join(member, roomId);
    await back.say("we are back");
    back.close();
  });
});

describe("moderation's kinds in the OpenAPI document", () => {
  it("lists every reportable and actionable kind", async () => {
    const schemas = (await api("GET", "/openapi.json")).body.components.schemas;
    const all = ["user", "track", "comment", "post", "message", "product", "group", "playlist", "review", "course", "room"];
    expect(schemas.CreateModerationReport.properties.target_type.enum).toEqual(all);
    expect(schemas.CreateModerationAction.properties.target_type.enum).toEqual(all.filter((k) => k !== "user"));
  });
});
