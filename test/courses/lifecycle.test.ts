import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { addLesson, createCourse, draftCourse, educator, enrolled, page, patchCourse, publishedCourse } from "./fixtures";

describe("a course's lifecycle", () => {
  it("is created as a draft by a verified educator, published once it has a lesson, listed, unpublished, archived and deleted", async () => {
    const mira = await educator();
    const sam = await signedInUser();
    const course = await draftCourse(mira, { title: "Ambient cello loops", level: "beginner", language: "fr" });
    expect(course).toMatchObject({ title: "Ambient cello loops", slug: "ambient-cello-loops", level: "beginner", language: "fr", price: "0.00", is_free: true, status: "draft", lesson_count: 0, lessons: [], product_id: null });
    expect(course.viewer).toEqual({ is_educator: true, can_enroll: false, enrollment: null });
    expect(course.educator).toMatchObject({ id: mira.id, username: mira.username });

    // a draft is its educator's only
    expect((await page(null, course.id)).status).toBe(404);
    expect((await page(sam, course.slug)).status).toBe(404);
    expect((await page(mira, course.slug)).status).toBe(200);

    const refused = await patchCourse(mira, course.id, { status: "published" });
    expect(refused.status).toBe(409);
    expect(refused.body.errors).toEqual([{ path: "json.status", message: "needs at least one lesson" }]);

    const first = await addLesson(mira, course.id, { title: "Holding the bow", duration_seconds: 300 });
    expect(first).toMatchObject({ title: "Holding the bow", content_type: "text", position: 0, accessible: true, content: "# Read me", quizzes: [] });
    const second = await addLesson(mira, course.id, { title: "Open strings", is_preview: true });
    expect(second.position).toBe(1);

    const published = await patchCourse(mira, course.id, { status: "published", description: "Loops from the first day." });
    expect(published.status, published.text).toBe(200);
    expect(published.body).toMatchObject({ status: "published", lesson_count: 2, total_duration_seconds: 300, description: "Loops from the first day." });
    const firstPublishedAt = published.body.published_at;
    expect(firstPublishedAt).toMatch(/^\d{4}-/);

    const anon = await page(null, course.slug);
    expect(anon.status).toBe(200);
    expect(anon.body.lessons.map((l: { title: string }) => l.title)).toEqual(["Holding the bow", "Open strings"]);
    // content only where the viewer may open the lesson: the preview lesson, not the other
    expect(anon.body.lessons[0].accessible).toBe(false);
    expect(anon.body.lessons[0]).not.toHaveProperty("content");
    expect(anon.body.lessons[0]).not.toHaveProperty("media_file_id");
    expect(anon.body.lessons[1]).toMatchObject({ accessible: true, content: "# Read me" });
    expect(anon.body.viewer).toEqual({ is_educator: false, can_enroll: true, enrollment: null });

    const catalogue = await api("GET", `/v1/courses?language=fr&level=beginner&q=${encodeURIComponent("ambient loops")}`);
    expect(catalogue.body.items.map((c: { id: string }) => c.id)).toContain(course.id);
    expect((await api("GET", `/v1/users/${mira.username}/courses`)).body.items.map((c: { id: string }) => c.id)).toEqual([course.id]);

    await enrolled(sam, course.id);
    // unpublished: off the catalogue, the enrolled learner keeps it, others lose it
    expect((await patchCourse(mira, course.id, { status: "draft" })).body.status).toBe("draft");
    expect((await api("GET", `/v1/users/${mira.username}/courses`)).body.items).toEqual([]);
    expect((await page(null, course.id)).status).toBe(404);
    expect((await page(sam, course.id)).status).toBe(200);
    const again = await patchCourse(mira, course.id, { status: "published" });
    expect(again.body.published_at).toBe(firstPublishedAt);

    const archived = await patchCourse(mira, course.id, { status: "archived" });
    expect(archived.body.status).toBe("archived");
    expect((await api("GET", `/v1/courses?q=${encodeURIComponent("ambient loops")}`)).body.items.map((c: { id: string }) => c.id)).not.toContain(course.id);
    const kept = await page(sam, course.id);
    expect(kept.status).toBe(200);
    expect(kept.body.lessons[0]).toMatchObject({ accessible: true, content: "# Read me" });

    // learners enrolled: delete is refused, archive is the way
    expect((await api("DELETE", `/v1/courses/${course.id}`, { headers: mira.headers })).status).toBe(409);
    await sql.query("UPDATE course_enrollments SET status = 'cancelled' WHERE course_id = $1", [course.id]);
    expect((await api("DELETE", `/v1/courses/${course.id}`, { headers: mira.headers })).status).toBe(204);
    expect((await page(mira, course.id)).status).toBe(404);
    // the slug is free again
    expect((await createCourse(mira, { title: "Ambient cello loops" })).body.slug).toBe("ambient-cello-loops");
  });

  it("keeps slugs unique among live courses, and validates input", async () => {
    const mira = await educator();
    const a = await draftCourse(mira, { slug: `cello-${Date.now()}` });
    const taken = await createCourse(mira, { slug: a.slug });
    expect(taken.status).toBe(409);
    expect(taken.body.errors).toEqual([{ path: "json.slug", message: "is already taken" }]);
    const b = await draftCourse(mira);
    expect((await patchCourse(mira, b.id, { slug: a.slug })).status).toBe(409);
    const bad = await createCourse(mira, { level: "expert", language: "english", price: "-1" });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["json.language", "json.level", "json.price"]);
    expect((await patchCourse(mira, b.id, {})).status).toBe(422);
    expect((await api("POST", `/v1/courses/${b.id}/lessons`, { body: { title: "x", content_type: "video" }, headers: mira.headers })).status).toBe(422);
  });

  it("lists my teaching, drafts included, by cursor", async () => {
    const mira = await educator();
    const one = await draftCourse(mira);
    const { course: two } = await publishedCourse(mira, {}, 1);
    const three = await draftCourse(mira);
    const first = await api("GET", "/v1/me/teaching?limit=2", { headers: mira.headers });
    expect(first.body.items.map((c: { id: string }) => c.id)).toEqual([three.id, two.id]);
    const rest = await api("GET", `/v1/me/teaching?limit=2&cursor=${first.body.next_cursor}`, { headers: mira.headers });
    expect(rest.body).toEqual({ items: [expect.objectContaining({ id: one.id, status: "draft" })], next_cursor: null });
    const drafts = await api("GET", "/v1/me/teaching?status=draft", { headers: mira.headers });
    expect(drafts.body.items.map((c: { id: string }) => c.id)).toEqual([three.id, one.id]);
  });
});
