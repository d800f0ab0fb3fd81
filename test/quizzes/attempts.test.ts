import { describe, expect, it } from "vitest";
import { api } from "../helpers/auth";
import { sql } from "../helpers/db";
import { ALL_RIGHT, ALL_WRONG, classroom, QUESTIONS, submit } from "./fixtures";

const attemptsOf = async (quizId: string, userId: string) =>
  (await sql.query(`SELECT attempt_number, passed FROM quiz_attempts WHERE quiz_id = $1 AND user_id = $2 ORDER BY attempt_number`, [quizId, userId])).map((r) => [r.attempt_number, r.passed]);

describe("the attempt limit", () => {
  it("a second attempt beyond max_attempts = 1 is refused (409 problem) and writes nothing", async () => {
    const { learner, quizId } = await classroom({ max_attempts: 1 });
    const first = await submit(learner, quizId, ALL_WRONG);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ attempt_number: 1, attempts_left: 0, passed: false });
    const second = await submit(learner, quizId, ALL_RIGHT);
    expect(second.status).toBe(409);
    expect(second.headers.get("content-type")).toContain("application/problem+json");
    expect(second.body.detail).toMatch(/no attempts left/i);
    expect(await attemptsOf(quizId, learner.id)).toEqual([[1, false]]);
  });

  it("the database's cap (trigger) answers 409 too, never a 500, when the read saw an attempt left", async () => {
    const { learner, quizId } = await classroom({ max_attempts: 2 });
    // one attempt, numbered 2 (as if attempt 1 were being written concurrently): the read counts one
    // used, the insert numbers the next 3 and the trigger refuses it
    await sql.query(
      `INSERT INTO quiz_attempts (quiz_id, user_id, attempt_number, status, score_points, max_points, score_percent, passed, submitted_at, graded_at)
       VALUES ($1, $2, 2, 'graded', 0, 4, 0, false, now(), now())`,
      [quizId, learner.id],
    );
    const refused = await submit(learner, quizId, ALL_RIGHT);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/no attempts left/i);
    expect(await attemptsOf(quizId, learner.id)).toEqual([[2, false]]);
  });

  it("two concurrent submissions cannot both be attempt 1 of 1: one is graded, the other answered 409", async () => {
    for (let round = 0; round < 3; round++) {
      const { learner, quizId } = await classroom({ max_attempts: 1 });
      const [a, b] = await Promise.all([submit(learner, quizId, ALL_RIGHT), submit(learner, quizId, ALL_WRONG)]);
      expect([a.status, b.status].sort()).toEqual([201, 409]);
      const loser = a.status === 409 ? a : b;
      expect(loser.headers.get("content-type")).toContain("application/problem+json");
      expect((await attemptsOf(quizId, learner.id)).length).toBe(1);
    }
  });

  it("concurrent submissions with attempts to spare are numbered 1, 2, … without gaps or duplicates", async () => {
    const { learner, quizId } = await classroom();
    const answers = await Promise.all([1, 2, 3, 4].map(() => submit(learner, quizId, ALL_WRONG)));
    const ok = answers.filter((r) => r.status === 201);
    expect(answers.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    expect(ok.length).toBeGreaterThan(0);
    expect((await attemptsOf(quizId, learner.id)).map(([n]) => n)).toEqual(ok.map((_, i) => i + 1));
  });

  it("unlimited attempts (max_attempts null) keep counting; attempts_left is null", async () => {
    const { learner, quizId } = await classroom();
    for (let i = 1; i <= 3; i++) expect((await submit(learner, quizId, ALL_WRONG)).body).toMatchObject({ attempt_number: i, attempts_left: null });
  });
});

describe("answers are never leaked to learners", () => {
  const hasAnswers = (quiz: { questions: Record<string, unknown>[] }) => quiz.questions.some((q) => "correct" in q);

  it("hidden until passed: the quiz, failed attempts and the attempts list show no correct answers", async () => {
    const { learner, educator, quizId } = await classroom({ max_attempts: 3 });
    const quiz = await api("GET", `/v1/quizzes/${quizId}`, { headers: learner.headers });
    expect(quiz.status).toBe(200);
    expect(hasAnswers(quiz.body)).toBe(false);
    expect(JSON.stringify(quiz.body)).not.toContain("crescendo");
    expect(quiz.body.my).toEqual({ attempts_used: 0, attempts_left: 3, best_score_percent: null, passed: false, answers_revealed: false });
    expect(quiz.body.questions[0]).toEqual({ id: "q1", type: "single", prompt: QUESTIONS[0].prompt, options: QUESTIONS[0].options, points: 1 });

    const failed = await submit(learner, quizId, ALL_WRONG);
    expect(failed.body.answers_revealed).toBe(false);
    expect(failed.body.results.some((r: Record<string, unknown>) => "correct_answer" in r)).toBe(false);
    expect(JSON.stringify(failed.body)).not.toContain("crescendo");
    const list = await api("GET", `/v1/quizzes/${quizId}/attempts`, { headers: learner.headers });
    expect(JSON.stringify(list.body)).not.toContain("crescendo");
    const course = await api("GET", `/v1/courses/${(await sql.query(`SELECT course_id FROM quizzes WHERE id = $1`, [quizId]))[0]!.course_id}/quizzes`, { headers: learner.headers });
    expect(course.body.items.some(hasAnswers)).toBe(false);

    // the educator always sees them
    expect(hasAnswers((await api("GET", `/v1/quizzes/${quizId}`, { headers: educator.headers })).body)).toBe(true);

    // revealed once passed
    const passed = await submit(learner, quizId, ALL_RIGHT);
    expect(passed.body.answers_revealed).toBe(true);
    expect(passed.body.results.map((r: { correct_answer: unknown }) => r.correct_answer)).toEqual([[1], [0, 2], ["crescendo", "cresc."]]);
    expect(hasAnswers((await api("GET", `/v1/quizzes/${quizId}`, { headers: learner.headers })).body)).toBe(true);
  });

  it("revealed when no attempts are left, even without passing", async () => {
    const { learner, quizId } = await classroom({ max_attempts: 2 });
    expect((await submit(learner, quizId, ALL_WRONG)).body.answers_revealed).toBe(false);
    const last = await submit(learner, quizId, ALL_WRONG);
    expect(last.body).toMatchObject({ attempts_left: 0, answers_revealed: true });
    expect(last.body.results[0].correct_answer).toEqual([1]);
    const quiz = await api("GET", `/v1/quizzes/${quizId}`, { headers: learner.headers });
    expect(quiz.body.my).toMatchObject({ attempts_used: 2, attempts_left: 0, answers_revealed: true, passed: false });
  });
});

describe("GET /v1/quizzes/:id/attempts", () => {
  it("my attempts only, newest first, by cursor", async () => {
    const { learner, quizId, course } = await classroom();
    const { signedInUser } = await import("../helpers/auth");
    const { enrol } = await import("./fixtures");
    const other = await signedInUser();
    await enrol(course.id, other.id);
    await submit(other, quizId, ALL_RIGHT);
    for (const answers of [ALL_WRONG, ALL_RIGHT, ALL_WRONG]) expect((await submit(learner, quizId, answers)).status).toBe(201);
    const first = await api("GET", `/v1/quizzes/${quizId}/attempts?limit=2`, { headers: learner.headers });
    expect(first.status).toBe(200);
    expect(first.body.items.map((a: { attempt_number: number; passed: boolean }) => [a.attempt_number, a.passed])).toEqual([[3, false], [2, true]]);
    const second = await api("GET", `/v1/quizzes/${quizId}/attempts?limit=2&cursor=${first.body.next_cursor}`, { headers: learner.headers });
    expect(second.body.items.map((a: { attempt_number: number }) => a.attempt_number)).toEqual([1]);
    expect(second.body.next_cursor).toBeNull();
    expect(second.body.items[0].results.map((r: { correct: boolean }) => r.correct)).toEqual([false, false, false]);
    const others = await api("GET", `/v1/quizzes/${quizId}/attempts`, { headers: other.headers });
    expect(others.body.items.map((a: { attempt_number: number }) => a.attempt_number)).toEqual([1]);
  });

  it("a learner whose enrolment ended still reads their attempts, but cannot answer again", async () => {
    const { learner, quizId, course } = await classroom();
    await submit(learner, quizId, ALL_WRONG);
    await sql.query(`UPDATE course_enrollments SET status = 'cancelled' WHERE course_id = $1 AND user_id = $2`, [course.id, learner.id]);
    expect((await api("GET", `/v1/quizzes/${quizId}/attempts`, { headers: learner.headers })).body.items).toHaveLength(1);
    expect((await submit(learner, quizId, ALL_RIGHT)).status).toBe(403);
    expect((await api("GET", `/v1/quizzes/${quizId}`, { headers: learner.headers })).status).toBe(403);
  });
});

describe("changing a quiz that has attempts", () => {
  it("past attempts keep their grade; new ones are graded against the new questions", async () => {
    const { educator, learner, quizId } = await classroom();
    expect((await submit(learner, quizId, ALL_RIGHT)).body.passed).toBe(true);
    const changed = await api("PATCH", `/v1/quizzes/${quizId}`, {
      headers: educator.headers,
      body: { questions: [{ id: "q1", type: "single", prompt: "Which meter is a march in?", options: ["4/4", "3/4"], correct: [0] }] },
    });
    expect(changed.status).toBe(200);
    const list = await api("GET", `/v1/quizzes/${quizId}/attempts`, { headers: learner.headers });
    expect(list.body.items[0]).toMatchObject({ score_percent: "100.00", passed: true });
    const again = await submit(learner, quizId, [{ question_id: "q1", answer: [1] }]);
    expect(again.body).toMatchObject({ passed: false, score_percent: "0.00", attempt_number: 2 });
    expect((await submit(learner, quizId, ALL_RIGHT)).status).toBe(422); // q2, q3 are gone
  });
});
