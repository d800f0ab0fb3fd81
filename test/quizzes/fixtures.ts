import { expect } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { insert, insertId, sql, uniq } from "../helpers/db";

/**
 * Courses, lessons and enrolments made directly in SQL, as the courses domain leaves them (so these
 * tests do not depend on that code); quizzes and attempts go through the API under test.
 */

export async function makeCourse(educatorId: string, options: { status?: "draft" | "published" | "archived"; lessons?: number; title?: string } = {}) {
  const tag = uniq();
  const status = options.status ?? "published";
  const id = await insertId("courses", {
    educator_id: educatorId,
    title: options.title ?? `Mixing ${tag}`,
    slug: `mixing-${tag}`,
    status,
    published_at: status === "draft" ? null : new Date().toISOString(),
  });
  const lessons: string[] = [];
  for (let position = 0; position < (options.lessons ?? 2); position++) {
    lessons.push(await insertId("lessons", { course_id: id, title: `Lesson ${position + 1}`, position }));
  }
  return { id, lessons };
}

export async function enrol(courseId: string, userId: string, status: "active" | "completed" | "cancelled" | "refunded" = "active") {
  await insert("course_enrollments", { course_id: courseId, user_id: userId, status, completed_at: status === "completed" ? new Date().toISOString() : null });
}

/** Marks lessons completed for the learner, as the progress endpoint would. */
export async function completeLessons(userId: string, courseId: string, lessonIds: string[]) {
  for (const lessonId of lessonIds) {
    await sql.query(
      `INSERT INTO lesson_progress (user_id, course_id, lesson_id, status, completed_at) VALUES ($1, $2, $3, 'completed', now())
       ON CONFLICT (user_id, lesson_id) DO UPDATE SET status = 'completed', completed_at = now()`,
      [userId, courseId, lessonId],
    );
  }
}

/** Three questions of each kind, 1 + 2 + 1 points. */
export const QUESTIONS = [
  { id: "q1", type: "single", prompt: "Which meter is a waltz in?", options: ["4/4", "3/4", "6/8"], correct: [1], points: 1 },
  { id: "q2", type: "multiple", prompt: "Which are dynamics markings?", options: ["forte", "allegro", "piano", "legato"], correct: [0, 2], points: 2 },
  { id: "q3", type: "short", prompt: "The Italian for 'gradually louder'?", correct: ["crescendo", "cresc."], points: 1 },
] as const;

export const ALL_RIGHT = [
  { question_id: "q1", answer: [1] },
  { question_id: "q2", answer: [2, 0] },
  { question_id: "q3", answer: "  CRESCENDO " },
];
export const ALL_WRONG = [
  { question_id: "q1", answer: [0] },
  { question_id: "q2", answer: [0] },
  { question_id: "q3", answer: "diminuendo" },
];

export async function createQuiz(educator: SignedInUser, courseId: string, body: Record<string, unknown> = {}) {
  const res = await api("POST", `/v1/courses/${courseId}/quizzes`, { headers: educator.headers, body: { title: "Check", questions: QUESTIONS, ...body } });
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string; [key: string]: unknown };
}

/** An educator, a published course of two lessons with one quiz, and an enrolled learner. */
export async function classroom(quiz: Record<string, unknown> = {}) {
  const [educator, learner] = await Promise.all([signedInUser(), signedInUser()]);
  const course = await makeCourse(educator.id);
  await enrol(course.id, learner.id);
  const created = await createQuiz(educator, course.id, quiz);
  return { educator, learner, course, quizId: created.id };
}

export const submit = (who: SignedInUser, quizId: string, answers: unknown) =>
  api("POST", `/v1/quizzes/${quizId}/attempts`, { headers: who.headers, body: { answers } });
