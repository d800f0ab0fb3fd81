import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { expectSignedInOnly } from "../helpers/authorisation";
import { MISSING, sql } from "../helpers/db";
import { banUser, block, createCourse, educator, enrolled, page, patchCourse, progress, publishedCourse, softDeleteUser } from "./fixtures";

describe("who may do what with courses", () => {
  it("refuses every signed-in route to anonymous, banned and deleted callers", async () => {
    const mira = await educator();
    const { course, lessons } = await publishedCourse(mira, {}, 1);
    const lesson = `/v1/courses/${course.id}/lessons/${lessons[0].id}`;
    await expectSignedInOnly([
      ["POST", "/v1/courses", { title: "x" }],
      ["PATCH", `/v1/courses/${course.id}`, { title: "x" }],
      ["DELETE", `/v1/courses/${course.id}`],
      ["GET", `/v1/courses/${course.id}/stats`],
      ["POST", `/v1/courses/${course.id}/lessons`, { title: "x" }],
      ["PUT", `/v1/courses/${course.id}/lessons/order`, { lesson_ids: [lessons[0].id] }],
      ["PATCH", lesson, { title: "x" }],
      ["DELETE", lesson],
      ["PUT", `${lesson}/progress`, { completed: true }],
      ["POST", `/v1/courses/${course.id}/enrollment`],
      ["DELETE", `/v1/courses/${course.id}/enrollment`],
      ["GET", "/v1/me/courses"],
      ["GET", "/v1/me/teaching"],
    ]);
  });

  it("lets only verified educators create and publish; admins are not educators by rank", async () => {
    const plain = await signedInUser();
    const admin = await signedInUser({ role: "admin" });
    const pending = await signedInUser();
    await sql.query("INSERT INTO user_roles (user_id, role, verified) VALUES ($1, 'educator', false)", [pending.id]);
    for (const who of [plain, admin, pending]) {
      const res = await createCourse(who);
      expect(res.status).toBe(403);
      expect(res.body.detail).toContain("verified educators");
    }
    // a withdrawn role: the educator may still edit and unpublish, not publish again
    const mira = await educator();
    const { course } = await publishedCourse(mira, {}, 1);
    await sql.query("UPDATE user_roles SET verified = false, verified_at = NULL WHERE user_id = $1", [mira.id]);
    expect((await patchCourse(mira, course.id, { status: "draft", title: "Renamed" })).status).toBe(200);
    expect((await patchCourse(mira, course.id, { status: "published" })).status).toBe(403);
  });

  it("answers another user 403 on a course they see, 404 on one they do not", async () => {
    const mira = await educator();
    const bob = await educator();
    const { course } = await publishedCourse(mira, {}, 1);
    const draft = (await createCourse(mira)).body;
    expect((await patchCourse(bob, course.id, { title: "mine now" })).status).toBe(403);
    expect((await api("DELETE", `/v1/courses/${course.id}`, { headers: bob.headers })).status).toBe(403);
    expect((await api("POST", `/v1/courses/${course.id}/lessons`, { body: { title: "x" }, headers: bob.headers })).status).toBe(403);
    expect((await patchCourse(bob, draft.id, { title: "mine now" })).status).toBe(404);
    expect((await api("POST", `/v1/courses/${draft.id}/lessons`, { body: { title: "x" }, headers: bob.headers })).status).toBe(404);
    expect((await patchCourse(bob, MISSING, { title: "x" })).status).toBe(404);
    expect((await page(null, "no-such-course")).status).toBe(404);
    expect((await page(mira, draft.id)).body.title).toBe(draft.title);
  });

  it("hides the courses of banned and deleted educators, and keeps learners out of them", async () => {
    const banned = await educator();
    const deleted = await educator();
    const sam = await signedInUser();
    const a = await publishedCourse(banned, {}, 1);
    const b = await publishedCourse(deleted, {}, 1);
    await enrolled(sam, a.course.id);
    await banUser(banned.id);
    await softDeleteUser(deleted.id);
    for (const { course, lessons } of [a, b]) {
      expect((await page(null, course.id)).status).toBe(404);
      expect((await page(sam, course.id)).status).toBe(404);
      expect((await api("GET", `/v1/courses?q=${encodeURIComponent(course.title)}`)).body.items).toEqual([]);
      expect((await progress(sam, course.id, lessons[0].id, { completed: true })).status).toBe(404);
    }
    expect((await api("GET", `/v1/users/${banned.username}/courses`)).status).toBe(404);
    expect((await api("GET", "/v1/me/courses", { headers: sam.headers })).body.items).toEqual([]);
  });

  it("hides courses across a block, either way", async () => {
    const mira = await educator();
    const eve = await signedInUser();
    const sam = await signedInUser();
    const { course } = await publishedCourse(mira, {}, 1);
    await block(eve, mira);
    await block(mira, sam);
    for (const who of [eve, sam]) {
      expect((await page(who, course.id)).status).toBe(404);
      expect((await api("GET", `/v1/courses?q=${encodeURIComponent(course.title)}`, { headers: who.headers })).body.items).toEqual([]);
      expect((await api("GET", `/v1/users/${mira.username}/courses`, { headers: who.headers })).status).toBe(404);
      expect((await api("POST", `/v1/courses/${course.id}/enrollment`, { headers: who.headers })).status).toBe(404);
    }
    expect((await api("GET", `/v1/courses?q=${encodeURIComponent(course.title)}`)).body.items.map((c: { id: string }) => c.id)).toEqual([course.id]);
  });
});
