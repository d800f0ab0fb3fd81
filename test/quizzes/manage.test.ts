import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { ALL_RIGHT, ALL_WRONG, classroom, createQuiz, enrol, makeCourse, QUESTIONS, submit } from "./fixtures";

const post = (who: { headers: Record<string, string> }, courseId: string, body: unknown) => api("POST", `/v1/courses/${courseId}/quizzes`, { headers: who.headers, body });

describe("POST /v1/courses/:id/quizzes", () => {
  it("the educator creates lesson and course-level quizzes, with defaults, and sees the answers", async () => {
    const educator = await signedInUser();
    const course = await makeCourse(educator.id);
    const lessonQuiz = await post(educator, course.id, { title: "Lesson 1 check", lesson_id: course.lessons[0], questions: QUESTIONS, max_attempts: 2 });
    expect(lessonQuiz.status).toBe(201);
    expect(lessonQuiz.body).toMatchObject({
      course_id: course.id,
      lesson_id: course.lessons[0],
      title: "Lesson 1 check",
      description: null,
      pass_mark_percent: 70,
      max_attempts: 2,
      is_required: true,
      question_count: 3,
      total_points: 4,
      viewer: "educator",
      my: null,
    });
    expect(lessonQuiz.body.questions).toEqual(QUESTIONS);
    const final = await post(educator, course.id, { title: "Final", questions: [{ id: "x", type: "short", prompt: "Name it", correct: ["tonic"] }], is_required: false });
    expect(final.body).toMatchObject({ lesson_id: null, is_required: false, total_points: 1 });
    expect(final.body.questions[0].points).toBe(1);
    const list = await api("GET", `/v1/courses/${course.id}/quizzes`, { headers: educator.headers });
    expect(list.body.items.map((q: { id: string }) => q.id)).toEqual([lessonQuiz.body.id, final.body.id]);
  });

  it("validates questions thoroughly (422 with field paths, nothing written)", async () => {
    const educator = await signedInUser();
    const course = await makeCourse(educator.id);
    const single = { id: "a", type: "single", prompt: "p", options: ["x", "y"], correct: [0] };
    const invalid: [string, unknown][] = [
      ["no questions", []],
      ["duplicate ids", [single, { ...single }]],
      ["bad id", [{ ...single, id: "a b" }]],
      ["single with two correct", [{ ...single, correct: [0, 1] }]],
      ["single with none", [{ ...single, correct: [] }]],
      ["index past options", [{ ...single, correct: [2] }]],
      ["one option", [{ ...single, options: ["x"] }]],
      ["repeated options", [{ ...single, options: ["x", "x"] }]],
      ["multiple with none correct", [{ ...single, type: "multiple", correct: [] }]],
      ["multiple repeating an index", [{ ...single, type: "multiple", correct: [0, 0] }]],
      ["multiple index past options", [{ ...single, type: "multiple", correct: [0, 5] }]],
      ["short without answers", [{ id: "s", type: "short", prompt: "p", correct: [] }]],
      ["short with options", [{ id: "s", type: "short", prompt: "p", options: ["a", "b"], correct: ["a"] }]],
      ["short with an index", [{ id: "s", type: "short", prompt: "p", correct: [0] }]],
      ["short answer of punctuation only", [{ id: "s", type: "short", prompt: "p", correct: ["?!"] }]],
      ["unknown type", [{ ...single, type: "essay" }]],
      ["negative points", [{ ...single, points: -1 }]],
      ["fractional points", [{ ...single, points: 1.5 }]],
      ["no points at all", [{ ...single, points: 0 }]],
      ["empty prompt", [{ ...single, prompt: " " }]],
      ["unknown key", [{ ...single, hint: "h" }]],
    ];
    for (const [why, questions] of invalid) {
      const res = await post(educator, course.id, { title: "Q", questions });
      expect(res.status, why).toBe(422);
      expect(res.body.errors.length, why).toBeGreaterThan(0);
    }
    for (const [why, body] of [
      ["pass mark above 100", { pass_mark_percent: 101 }],
      ["zero attempts", { max_attempts: 0 }],
      ["lesson id not a uuid", { lesson_id: "x" }],
      ["no title", { title: "" }],
    ] as const) {
      expect((await post(educator, course.id, { title: "Q", questions: [single], ...body })).status, why).toBe(422);
    }
    // a lesson of another course
    const other = await makeCourse(educator.id);
    const res = await post(educator, course.id, { title: "Q", questions: [single], lesson_id: other.lessons[0] });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ path: "body.lesson_id", message: "is not a lesson of this course" }]);
    expect((await sql.query(`SELECT 1 FROM quizzes WHERE course_id = $1`, [course.id])).length).toBe(0);
  });

  it("only the course's educator: a learner or another user gets 403 on a published course, 404 on a draft or deleted one", async () => {
    const [educator, learner, stranger] = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
    const course = await makeCourse(educator.id);
    await enrol(course.id, learner.id);
    const body = { title: "Q", questions: QUESTIONS };
    expect((await post(learner, course.id, body)).status).toBe(403);
    expect((await post(stranger, course.id, body)).status).toBe(403);
    const draft = await makeCourse(educator.id, { status: "draft" });
    expect((await post(stranger, draft.id, body)).status).toBe(404);
    expect((await post(educator, draft.id, body)).status).toBe(201);
    await sql.query(`UPDATE courses SET deleted_at = now() WHERE id = $1`, [course.id]);
    expect((await post(educator, course.id, body)).status).toBe(404);
    expect((await post(educator, "00000000-0000-4000-8000-000000000000", body)).status).toBe(404);
  });
});

describe("PATCH and DELETE /v1/quizzes/:id", () => {
  it("the educator edits any field; validation as on create", async () => {
    const { educator, course, quizId } = await classroom();
    const res = await api("PATCH", `/v1/quizzes/${quizId}`, {
      headers: educator.headers,
      body: { title: "Renamed", pass_mark_percent: 50, max_attempts: null, is_required: false, lesson_id: course.lessons[1], description: "Read lesson 2 first" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: "Renamed", pass_mark_percent: 50, max_attempts: null, is_required: false, lesson_id: course.lessons[1], description: "Read lesson 2 first" });
    expect((await api("PATCH", `/v1/quizzes/${quizId}`, { headers: educator.headers, body: {} })).status).toBe(422);
    expect((await api("PATCH", `/v1/quizzes/${quizId}`, { headers: educator.headers, body: { questions: [] } })).status).toBe(422);
    const elsewhere = await makeCourse(educator.id);
    expect((await api("PATCH", `/v1/quizzes/${quizId}`, { headers: educator.headers, body: { lesson_id: elsewhere.lessons[0] } })).status).toBe(422);
    expect((await api("PATCH", `/v1/quizzes/${quizId}`, { headers: educator.headers, body: { lesson_id: null } })).body.lesson_id).toBeNull();
  });

  it("learners and strangers cannot edit, delete or read the stats", async () => {
    const { learner, quizId } = await classroom();
    const stranger = await signedInUser();
    for (const who of [learner, stranger]) {
      expect((await api("PATCH", `/v1/quizzes/${quizId}`, { headers: who.headers, body: { title: "x" } })).status).toBe(403);
      expect((await api("DELETE", `/v1/quizzes/${quizId}`, { headers: who.headers })).status).toBe(403);
      expect((await api("GET", `/v1/quizzes/${quizId}/stats`, { headers: who.headers })).status).toBe(403);
    }
    expect((await sql.query(`SELECT title FROM quizzes WHERE id = $1`, [quizId]))[0]!.title).toBe("Check");
  });

  it("deleting takes the quiz and its attempts; issued certificates stay", async () => {
    const { educator, learner, quizId } = await classroom();
    await submit(learner, quizId, ALL_WRONG);
    expect((await api("DELETE", `/v1/quizzes/${quizId}`, { headers: educator.headers })).status).toBe(204);
    expect((await sql.query(`SELECT 1 FROM quiz_attempts WHERE quiz_id = $1`, [quizId])).length).toBe(0);
    expect((await api("GET", `/v1/quizzes/${quizId}`, { headers: educator.headers })).status).toBe(404);
    expect((await api("DELETE", `/v1/quizzes/${quizId}`, { headers: educator.headers })).status).toBe(404);
  });
});

describe("GET /v1/quizzes/:id/stats", () => {
  it("aggregates only: attempts, learners, pass rate, average score, per-question correct rate", async () => {
    const { educator, course, quizId } = await classroom();
    const [a, b] = [await signedInUser(), await signedInUser()];
    await enrol(course.id, a.id);
    await enrol(course.id, b.id);
    await submit(a, quizId, ALL_WRONG); // 0%
    await submit(a, quizId, ALL_RIGHT); // 100%
    await submit(b, quizId, [{ question_id: "q1", answer: [1] }]); // 25%
    const res = await api("GET", `/v1/quizzes/${quizId}/stats`, { headers: educator.headers });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      quiz_id: quizId,
      attempt_count: 3,
      learner_count: 2,
      passed_learner_count: 1,
      pass_rate_percent: "50.00",
      average_score_percent: "41.67",
      questions: [
        { question_id: "q1", attempt_count: 3, correct_rate_percent: "66.67" },
        { question_id: "q2", attempt_count: 3, correct_rate_percent: "33.33" },
        { question_id: "q3", attempt_count: 3, correct_rate_percent: "33.33" },
      ],
    });
    expect(JSON.stringify(res.body)).not.toContain(a.id);
    const empty = await createQuiz(educator, course.id);
    expect((await api("GET", `/v1/quizzes/${empty.id}/stats`, { headers: educator.headers })).body).toMatchObject({ attempt_count: 0, pass_rate_percent: null, average_score_percent: null });
  });
});
