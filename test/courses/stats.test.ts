import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { insert } from "../helpers/db";
import { educator, enrolled, page, progress, publishedCourse } from "./fixtures";

const stats = (who: { headers: Record<string, string> } | null, courseId: string) => api("GET", `/v1/courses/${courseId}/stats`, { headers: who?.headers ?? {} });

describe("the educator's statistics", () => {
  it("are counts only: by status, the spread of progress, per lesson, per quiz", async () => {
    const mira = await educator();
    const { course, lessons } = await publishedCourse(mira, {}, 4);
    const quiz = await insert("quizzes", { course_id: course.id, title: "Final", questions: "[]" });
    const learners = await Promise.all(Array.from({ length: 7 }, () => signedInUser()));
    for (const l of learners) await enrolled(l, course.id);
    // completed lessons per learner: 0, 0, 1, 2, 3, 4 (+ quiz passed: certificate), and one who left
    const done = [0, 0, 1, 2, 3, 4];
    for (const [i, n] of done.entries()) for (const lesson of lessons.slice(0, n)) await progress(learners[i]!, course.id, lesson.id, { completed: true });
    await progress(learners[0]!, course.id, lessons[0].id, { position_seconds: 3 });
    await insert("quiz_attempts", { quiz_id: quiz.id, user_id: learners[5]!.id, attempt_number: 1, status: "graded", score_percent: 90, passed: true, graded_at: new Date().toISOString() });
    await insert("quiz_attempts", { quiz_id: quiz.id, user_id: learners[4]!.id, attempt_number: 1, status: "graded", score_percent: 10, passed: false, graded_at: new Date().toISOString() });
    await api("DELETE", `/v1/courses/${course.id}/enrollment`, { headers: learners[6]!.headers });

    const res = await stats(mira, course.id);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      course_id: course.id,
      enrollments: { active: 6, completed: 0, cancelled: 1, refunded: 0 },
      learners: 6,
      completions: 0,
      min_cohort: 5,
      withheld: false,
      progress_distribution: [
        { range: "0", learners: 2 },
        { range: "1-25", learners: 1 },
        { range: "26-50", learners: 1 },
        { range: "51-75", learners: 1 },
        { range: "76-99", learners: 0 },
        { range: "100", learners: 1 },
      ],
      average_progress_percent: 41.7,
      lessons: lessons.map((l: { id: string; title: string }, i: number) => ({ lesson_id: l.id, title: l.title, position: i, started: [5, 3, 2, 1][i], completed: [4, 3, 2, 1][i] })),
      quizzes: [{ quiz_id: quiz.id, title: "Final", lesson_id: null, is_required: true, learners_attempted: 2, learners_passed: 1, pass_rate: 0.5 }],
    });
    // nothing in it names a learner
    const text = res.text;
    for (const l of learners) {
      expect(text).not.toContain(l.id);
      expect(text).not.toContain(l.username);
    }
  });

  it("withholds all but the counts by status under five learners", async () => {
    const mira = await educator();
    const { course, lessons } = await publishedCourse(mira, {}, 1);
    const sam = await signedInUser();
    await enrolled(sam, course.id);
    await progress(sam, course.id, lessons[0].id, { completed: true });
    const res = await stats(mira, course.id);
    expect(res.body).toMatchObject({
      enrollments: { active: 0, completed: 1, cancelled: 0, refunded: 0 },
      learners: 1,
      completions: 1,
      withheld: true,
      progress_distribution: null,
      average_progress_percent: null,
      lessons: null,
      quizzes: null,
    });
  });
});

describe("an educator cannot read another educator's learners", () => {
  it("refuses another's statistics and shows no learner on any course view", async () => {
    const mira = await educator();
    const bob = await educator();
    const sam = await signedInUser();
    const { course, lessons } = await publishedCourse(mira, {}, 1);
    await enrolled(sam, course.id);
    await progress(sam, course.id, lessons[0].id, { completed: true });
    const draft = (await publishedCourse(mira, {}, 1)).course;
    await api("PATCH", `/v1/courses/${draft.id}`, { body: { status: "draft" }, headers: mira.headers });

    expect((await stats(bob, course.id)).status).toBe(403);
    expect((await stats(sam, course.id)).status).toBe(403);
    expect((await stats(bob, draft.id)).status).toBe(404);
    expect((await stats(null, course.id)).status).toBe(401);

    for (const view of [await page(bob, course.id), await page(null, course.id), await api("GET", `/v1/courses/${course.id}/lessons/${lessons[0].id}`, { headers: bob.headers })]) {
      expect(view.text).not.toContain(sam.id);
      expect(view.text).not.toContain(sam.username);
    }
    expect((await page(bob, course.id)).body.lessons[0].my_progress).toBeNull();
    // bob's own lists never carry mira's learners either
    for (const path of ["/v1/me/courses", "/v1/me/teaching", `/v1/users/${mira.username}/courses`]) {
      const res = await api("GET", path, { headers: bob.headers });
      expect(res.status, path).toBe(200);
      expect(res.text).not.toContain(sam.id);
    }
    // bob cannot record progress or edit lessons on mira's course either
    expect((await progress(bob, course.id, lessons[0].id, { completed: true })).status).toBe(403);
    expect((await api("PATCH", `/v1/courses/${course.id}/lessons/${lessons[0].id}`, { body: { title: "x" }, headers: bob.headers })).status).toBe(403);
  });
});
