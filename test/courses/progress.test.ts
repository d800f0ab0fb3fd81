import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { insert, sql } from "../helpers/db";
import { addLesson, draftCourse, educator, enrolled, makeFile, page, patchCourse, progress, publishedCourse } from "./fixtures";

describe("lesson progress", () => {
  it("counts completed lessons into the course's percentage; completed stays completed; positions are clamped", async () => {
    const mira = await educator();
    const sam = await signedInUser();
    const video = await makeFile(mira.id, { mime: "video/mp4" });
    const course = await draftCourse(mira);
    const lessons = [
      await addLesson(mira, course.id, { content_type: "video", media_file_id: video.id, duration_seconds: 120 }),
      await addLesson(mira, course.id),
      await addLesson(mira, course.id),
    ];
    await patchCourse(mira, course.id, { status: "published" });
    await enrolled(sam, course.id);

    const started = await progress(sam, course.id, lessons[0].id, { position_seconds: 500 });
    expect(started.status, started.text).toBe(200);
    expect(started.body.lesson).toMatchObject({ lesson_id: lessons[0].id, status: "started", position_seconds: 120, completed_at: null });
    expect(started.body.enrollment).toMatchObject({ status: "active", progress_percent: 0 });
    expect(started.body.enrollment.last_accessed_at).toMatch(/^\d{4}-/);
    expect(started.body.certificate).toBeNull();

    const done = await progress(sam, course.id, lessons[0].id, { completed: true, position_seconds: 30 });
    expect(done.body.lesson).toMatchObject({ status: "completed", position_seconds: 30 });
    expect(done.body.enrollment.progress_percent).toBe(33);
    // completed stays completed; only the resume point moves; a text lesson has none
    const rewatch = await progress(sam, course.id, lessons[0].id, { completed: false, position_seconds: 10 });
    expect(rewatch.body.lesson).toMatchObject({ status: "completed", position_seconds: 10, completed_at: done.body.lesson.completed_at });
    expect((await progress(sam, course.id, lessons[1].id, { completed: true, position_seconds: 99 })).body).toMatchObject({
      lesson: { status: "completed", position_seconds: 0 },
      enrollment: { progress_percent: 66 },
    });

    // a lesson added moves every learner's percentage; the page shows my progress per lesson
    await addLesson(mira, course.id);
    const mine = await page(sam, course.id);
    expect(mine.body.viewer.enrollment).toMatchObject({ status: "active", progress_percent: 50, certificate: null });
    expect(mine.body.lessons.map((l: { my_progress: { status: string } | null }) => l.my_progress?.status ?? null)).toEqual(["completed", "completed", null, null]);
    // and only mine: the educator's view carries no learner's progress
    const theirs = await page(mira, course.id);
    expect(theirs.body.lessons.every((l: { my_progress: unknown }) => l.my_progress === null)).toBe(true);
    expect(theirs.body.viewer.enrollment).toBeNull();

    const bad = await progress(sam, course.id, lessons[2].id, { position_seconds: -1 });
    expect(bad.status).toBe(422);
  });

  it("refuses anyone not enrolled, and a lesson of another course", async () => {
    const mira = await educator();
    const sam = await signedInUser();
    const { course, lessons } = await publishedCourse(mira, {}, 1);
    const { lessons: otherLessons } = await publishedCourse(mira, {}, 1);
    expect((await progress(sam, course.id, lessons[0].id, { completed: true })).status).toBe(403);
    expect((await progress(mira, course.id, lessons[0].id, { completed: true })).status).toBe(403);
    await enrolled(sam, course.id);
    expect((await progress(sam, course.id, otherLessons[0].id, { completed: true })).status).toBe(404);
    // left: no more progress, but rejoining resumes where it stopped
    await progress(sam, course.id, lessons[0].id, { position_seconds: 5 });
    expect((await api("DELETE", `/v1/courses/${course.id}/enrollment`, { headers: sam.headers })).status).toBe(204);
    expect((await progress(sam, course.id, lessons[0].id, { completed: true })).status).toBe(403);
    const back = await enrolled(sam, course.id);
    expect(back.status).toBe("active");
    expect((await page(sam, course.id)).body.lessons[0].my_progress).toMatchObject({ status: "started" });
  });

  it("issues the certificate when the write completes a course without quizzes, once", async () => {
    const mira = await educator();
    const sam = await signedInUser();
    const { course, lessons } = await publishedCourse(mira, {}, 2);
    await enrolled(sam, course.id);
    expect((await progress(sam, course.id, lessons[0].id, { completed: true })).body.certificate).toBeNull();
    const last = await progress(sam, course.id, lessons[1].id, { completed: true });
    expect(last.status, last.text).toBe(200);
    expect(last.body.enrollment).toMatchObject({ status: "completed", progress_percent: 100 });
    expect(last.body.certificate).toMatchObject({ course_id: course.id, user_id: sam.id, course_title: course.title, status: "valid", verified: true });
    expect(last.body.enrollment.certificate.code).toBe(last.body.certificate.code);
    expect(last.body.enrollment.completed_at).toMatch(/^\d{4}-/);

    const again = await progress(sam, course.id, lessons[1].id, { completed: true });
    expect(again.body.certificate).toBeNull();
    expect(again.body.enrollment).toMatchObject({ status: "completed", certificate: { code: last.body.certificate.code } });
    expect((await sql.query("SELECT count(*)::int AS n FROM certificates WHERE course_id = $1 AND user_id = $2", [course.id, sam.id]))[0]!.n).toBe(1);
    expect((await page(sam, course.id)).body.viewer.enrollment.certificate.code).toBe(last.body.certificate.code);
  });

  it("waits for the required quizzes before the certificate", async () => {
    const mira = await educator();
    const sam = await signedInUser();
    const { course, lessons } = await publishedCourse(mira, {}, 1);
    const quiz = await insert("quizzes", {
      course_id: course.id,
      lesson_id: lessons[0].id,
      title: "Bowing check",
      questions: JSON.stringify([{ id: "q1", type: "single", prompt: "Which hand bows?", options: ["left", "right"], correct: [1], points: 1 }]),
    });
    await enrolled(sam, course.id);
    const done = await progress(sam, course.id, lessons[0].id, { completed: true });
    expect(done.body.enrollment).toMatchObject({ status: "active", progress_percent: 100 });
    expect(done.body.certificate).toBeNull();
    // the page shows the quiz's summary, never its questions
    const lesson = (await page(sam, course.id)).body.lessons[0];
    expect(lesson.quizzes).toEqual([{ id: quiz.id, title: "Bowing check", lesson_id: lessons[0].id, is_required: true, question_count: 1, pass_mark_percent: 70, max_attempts: null }]);
    expect(JSON.stringify((await page(null, course.id)).body)).not.toContain("Which hand bows?");
  });
});

describe("my courses", () => {
  it("lists my enrolments, the one I last opened first, by cursor", async () => {
    const mira = await educator();
    const sam = await signedInUser();
    const a = await publishedCourse(mira, {}, 1);
    const b = await publishedCourse(mira, {}, 1);
    const c = await publishedCourse(mira, {}, 1);
    for (const x of [a, b, c]) await enrolled(sam, x.course.id);
    await progress(sam, a.course.id, a.lessons[0].id, { completed: true });
    const first = await api("GET", "/v1/me/courses?limit=2", { headers: sam.headers });
    expect(first.status, first.text).toBe(200);
    expect(first.body.items.map((i: { course: { id: string } }) => i.course.id)).toEqual([a.course.id, c.course.id]);
    expect(first.body.items[0].enrollment).toMatchObject({ progress_percent: 100, status: "completed" });
    const rest = await api("GET", `/v1/me/courses?limit=2&cursor=${first.body.next_cursor}`, { headers: sam.headers });
    expect(rest.body.items.map((i: { course: { id: string } }) => i.course.id)).toEqual([b.course.id]);
    expect(rest.body.next_cursor).toBeNull();
    await api("DELETE", `/v1/courses/${b.course.id}/enrollment`, { headers: sam.headers });
    expect((await api("GET", "/v1/me/courses", { headers: sam.headers })).body.items).toHaveLength(2);
  });
});
