// Constraints and triggers of migrations/0008_education.sql (courses, lessons, enrolments, lesson
// progress, quizzes, quiz attempts, certificates). Every test creates its own rows.
import { describe, it, expect } from "vitest";
import { sql, expectPgError, createUser, createFile, MISSING, uniq, insert, insertId, once } from "../helpers/db";

const newCourse = (educatorId: string, o: Record<string, unknown> = {}) =>
  insertId("courses", { educator_id: educatorId, title: "Mixing 101", slug: `mixing-${uniq()}`, description: "EQ and compression", ...o });
const newLesson = (courseId: string, position: number, o: Record<string, unknown> = {}) =>
  insertId("lessons", { course_id: courseId, title: `Lesson ${position}`, position, ...o });
const enrol = (courseId: string, userId: string, o: Record<string, unknown> = {}) =>
  insertId("course_enrollments", { course_id: courseId, user_id: userId, ...o });
const complete = (userId: string, courseId: string, lessonId: string) =>
  insertId("lesson_progress", { user_id: userId, course_id: courseId, lesson_id: lessonId, status: "completed", completed_at: new Date().toISOString() });

async function courseCounts(courseId: string) {
  const [r] = await sql.query("SELECT lesson_count, enrollment_count FROM courses WHERE id = $1", [courseId]);
  return { lessons: r!.lesson_count as number, enrollments: r!.enrollment_count as number };
}
async function percent(courseId: string, userId: string) {
  const [r] = await sql.query("SELECT progress_percent FROM course_enrollments WHERE course_id = $1 AND user_id = $2", [courseId, userId]);
  return r!.progress_percent as number;
}

const QUESTIONS = JSON.stringify([
  { id: "q1", type: "single", prompt: "Which band?", options: ["low", "high"], correct: [0], points: 1 },
  { id: "q2", type: "multiple", prompt: "Which are dynamics?", options: ["EQ", "compressor", "limiter"], correct: [1, 2], points: 2 },
  { id: "q3", type: "short", prompt: "Name a filter", correct: ["low-pass", "high-pass"], points: 1 },
]);

/** Rows the table-driven cases lean on: a course with two lessons, an enrolled learner who has started
 * lesson A, a quiz allowing one attempt (already used), a certificate, and another course's lesson. */
interface Ctx {
  educator: string; learner: string; outsider: string; course: string; lessonA: string; lessonB: string;
  otherCourse: string; otherLesson: string; quiz: string; certCode: string; product: string;
}
const ctx = once(async (): Promise<Ctx> => {
  const educator = (await createUser()).id;
  const learner = (await createUser()).id;
  const outsider = (await createUser()).id;
  const course = await newCourse(educator);
  const lessonA = await newLesson(course, 0);
  const lessonB = await newLesson(course, 1);
  const otherCourse = await newCourse(educator);
  const otherLesson = await newLesson(otherCourse, 0);
  await enrol(course, learner);
  await insertId("lesson_progress", { user_id: learner, course_id: course, lesson_id: lessonA });
  const quiz = await insertId("quizzes", { course_id: course, lesson_id: lessonA, title: "EQ basics", questions: QUESTIONS, max_attempts: 1 });
  await insertId("quiz_attempts", { quiz_id: quiz, user_id: learner, attempt_number: 1 });
  const certCode = `CERT${uniq().toUpperCase()}`;
  await insertId("certificates", { course_id: course, user_id: learner, code: certCode, course_title: "Mixing 101", learner_name: "Learner", signature: "sig" });
  const product = await insertId("products", { seller_id: educator, name: "Mixing course", slug: `p-${uniq()}`, description: "A course", category: "course", price: "49.00" });
  await newCourse(educator, { product_id: product });
  return { educator, learner, outsider, course, lessonA, lessonB, otherCourse, otherLesson, quiz, certCode, product };
});

type Case = [name: string, run: (c: Ctx) => Promise<unknown>, code: string, constraint: string];
const cases: Case[] = [
  // courses
  ["rejects a course level of 'expert'", (c) => newCourse(c.educator, { level: "expert" }), "23514", "chk_courses_level_valid"],
  ["rejects a course status of 'live'", (c) => newCourse(c.educator, { status: "live" }), "23514", "chk_courses_status_valid"],
  ["rejects a published course without published_at", (c) => newCourse(c.educator, { status: "published" }), "23514", "chk_courses_published_at_set"],
  ["rejects a slug with spaces and capitals", (c) => newCourse(c.educator, { slug: "Mixing 101" }), "23514", "chk_courses_slug_format"],
  ["rejects a language that is not ISO 639-1", (c) => newCourse(c.educator, { language: "EN" }), "23514", "chk_courses_language_format"],
  ["rejects a negative price", (c) => newCourse(c.educator, { price: "-1.00" }), "23514", "chk_courses_price_positive"],
  ["rejects a lower-case currency", (c) => newCourse(c.educator, { currency: "eur" }), "23514", "chk_courses_currency_format"],
  ["rejects a slug already used by a live course", async (c) => {
    const slug = `dup-${uniq()}`;
    await newCourse(c.educator, { slug });
    return newCourse(c.educator, { slug });
  }, "23505", "uq_courses_slug"],
  ["rejects a second course sold through the same product", (c) => newCourse(c.educator, { product_id: c.product }), "23505", "uq_courses_product_id"],
  ["rejects a course of an unknown educator", () => newCourse(MISSING), "23503", "fk_courses_users"],
  ["rejects a course sold through an unknown product", (c) => newCourse(c.educator, { product_id: MISSING }), "23503", "fk_courses_products"],
  ["rejects an unknown cover file", (c) => newCourse(c.educator, { cover_file_id: MISSING }), "23503", "fk_courses_files"],
  // lessons
  ["rejects a lesson content type of 'pdf'", (c) => newLesson(c.course, 50, { content_type: "pdf" }), "23514", "chk_lessons_content_type_valid"],
  ["rejects a negative lesson position", (c) => newLesson(c.course, -1), "23514", "chk_lessons_position_non_negative"],
  ["rejects a lesson duration of 0 seconds", (c) => newLesson(c.course, 51, { duration_seconds: 0 }), "23514", "chk_lessons_duration_positive"],
  ["rejects two lessons at the same position of a course", (c) => newLesson(c.course, 0), "23505", "uq_lessons_course_position"],
  ["rejects a lesson of an unknown course", () => newLesson(MISSING, 0), "23503", "fk_lessons_courses"],
  ["rejects a lesson with an unknown media file", (c) => newLesson(c.course, 52, { content_type: "audio", media_file_id: MISSING }), "23503", "fk_lessons_files"],
  // enrolments
  ["rejects an enrolment status of 'paused'", async (c) => enrol(c.course, (await createUser()).id, { status: "paused" }), "23514", "chk_course_enrollments_status_valid"],
  ["rejects a progress of 101 %", async (c) => enrol(c.course, (await createUser()).id, { progress_percent: 101 }), "23514", "chk_course_enrollments_progress_range"],
  ["rejects a completed enrolment without completed_at", async (c) => enrol(c.course, (await createUser()).id, { status: "completed" }), "23514", "chk_course_enrollments_completed_at_set"],
  ["rejects enrolling twice in the same course", (c) => enrol(c.course, c.learner), "23505", "uq_course_enrollments_course_user"],
  ["rejects an enrolment in an unknown course", (c) => enrol(MISSING, c.outsider), "23503", "fk_course_enrollments_courses"],
  ["rejects an enrolment of an unknown user", (c) => enrol(c.course, MISSING), "23503", "fk_course_enrollments_users"],
  ["rejects an enrolment paid by an unknown order", (c) => enrol(c.otherCourse, c.outsider, { order_id: MISSING }), "23503", "fk_course_enrollments_orders"],
  // lesson progress
  ["rejects progress of a learner who is not enrolled", (c) =>
    insert("lesson_progress", { user_id: c.outsider, course_id: c.course, lesson_id: c.lessonA }), "23503", "fk_lesson_progress_course_enrollments"],
  ["rejects progress on a lesson of another course", (c) =>
    insert("lesson_progress", { user_id: c.learner, course_id: c.course, lesson_id: c.otherLesson }), "23503", "fk_lesson_progress_lessons"],
  ["rejects a lesson progress status of 'done'", (c) =>
    insert("lesson_progress", { user_id: c.learner, course_id: c.course, lesson_id: c.lessonB, status: "done" }), "23514", "chk_lesson_progress_status_valid"],
  ["rejects a completed lesson without completed_at", (c) =>
    insert("lesson_progress", { user_id: c.learner, course_id: c.course, lesson_id: c.lessonB, status: "completed" }), "23514", "chk_lesson_progress_completed_at_set"],
  ["rejects a negative playback position", (c) =>
    insert("lesson_progress", { user_id: c.learner, course_id: c.course, lesson_id: c.lessonB, position_seconds: -5 }), "23514", "chk_lesson_progress_position_non_negative"],
  ["rejects a second progress row for the same lesson", (c) =>
    insert("lesson_progress", { user_id: c.learner, course_id: c.course, lesson_id: c.lessonA }), "23505", "uq_lesson_progress_user_lesson"],
  // quizzes
  ["rejects a question set that is not an array", (c) => insert("quizzes", { course_id: c.course, title: "Q", questions: "{}" }), "23514", "chk_quizzes_questions_array"],
  ["rejects a question of type 'essay'", (c) =>
    insert("quizzes", { course_id: c.course, title: "Q", questions: JSON.stringify([{ type: "essay", points: 1 }]) }), "23514", "chk_quizzes_questions_valid"],
  ["rejects a question without a type", (c) =>
    insert("quizzes", { course_id: c.course, title: "Q", questions: JSON.stringify([{ prompt: "?" }]) }), "23514", "chk_quizzes_questions_valid"],
  ["rejects a question worth negative points", (c) =>
    insert("quizzes", { course_id: c.course, title: "Q", questions: JSON.stringify([{ type: "single", points: -1 }]) }), "23514", "chk_quizzes_questions_valid"],
  ["rejects a pass mark of 101 %", (c) => insert("quizzes", { course_id: c.course, title: "Q", pass_mark_percent: 101 }), "23514", "chk_quizzes_pass_mark_range"],
  ["rejects a limit of 0 attempts", (c) => insert("quizzes", { course_id: c.course, title: "Q", max_attempts: 0 }), "23514", "chk_quizzes_max_attempts_positive"],
  ["rejects a quiz on a lesson of another course", (c) =>
    insert("quizzes", { course_id: c.course, lesson_id: c.otherLesson, title: "Q" }), "23503", "fk_quizzes_lessons"],
  ["rejects a quiz of an unknown course", () => insert("quizzes", { course_id: MISSING, title: "Q" }), "23503", "fk_quizzes_courses"],
  // quiz attempts
  ["rejects attempt number 0", (c) => insert("quiz_attempts", { quiz_id: c.quiz, user_id: c.outsider, attempt_number: 0 }), "23514", "chk_quiz_attempts_attempt_number_positive"],
  ["rejects an attempt beyond the quiz's max_attempts", (c) =>
    insert("quiz_attempts", { quiz_id: c.quiz, user_id: c.learner, attempt_number: 2 }), "23514", "chk_quiz_attempts_max_attempts"],
  ["rejects the same attempt number twice", (c) =>
    insert("quiz_attempts", { quiz_id: c.quiz, user_id: c.learner, attempt_number: 1 }), "23505", "uq_quiz_attempts_quiz_user_attempt"],
  ["rejects an attempt status of 'done'", (c) =>
    insert("quiz_attempts", { quiz_id: c.quiz, user_id: c.outsider, attempt_number: 1, status: "done" }), "23514", "chk_quiz_attempts_status_valid"],
  ["rejects a graded attempt without a score", (c) =>
    insert("quiz_attempts", { quiz_id: c.quiz, user_id: c.outsider, attempt_number: 1, status: "graded" }), "23514", "chk_quiz_attempts_graded_complete"],
  ["rejects a score of 120 %", (c) =>
    insert("quiz_attempts", { quiz_id: c.quiz, user_id: c.outsider, attempt_number: 1, score_percent: "120" }), "23514", "chk_quiz_attempts_score_range"],
  ["rejects 5 points out of 3", (c) =>
    insert("quiz_attempts", { quiz_id: c.quiz, user_id: c.outsider, attempt_number: 1, score_points: "5", max_points: "3" }), "23514", "chk_quiz_attempts_points_range"],
  ["rejects answers that are not an array", (c) =>
    insert("quiz_attempts", { quiz_id: c.quiz, user_id: c.outsider, attempt_number: 1, answers: "{}" }), "23514", "chk_quiz_attempts_answers_array"],
  ["rejects an attempt at an unknown quiz", (c) =>
    insert("quiz_attempts", { quiz_id: MISSING, user_id: c.outsider, attempt_number: 1 }), "23503", "fk_quiz_attempts_quizzes"],
  // certificates
  ["rejects a guessable certificate code", (c) =>
    insert("certificates", { course_id: c.otherCourse, user_id: c.outsider, code: "short", course_title: "T", learner_name: "L", signature: "s" }), "23514", "chk_certificates_code_format"],
  ["rejects an empty signature", (c) =>
    insert("certificates", { course_id: c.otherCourse, user_id: c.outsider, code: `C${uniq()}`, course_title: "T", learner_name: "L", signature: "" }), "23514", "chk_certificates_signature_not_empty"],
  ["rejects a signature algorithm of 'MD5'", (c) =>
    insert("certificates", { course_id: c.otherCourse, user_id: c.outsider, code: `C${uniq()}`, course_title: "T", learner_name: "L", signature: "s", signature_algorithm: "MD5" }), "23514", "chk_certificates_signature_algorithm_valid"],
  ["rejects a certificate code already issued", (c) =>
    insert("certificates", { course_id: c.otherCourse, user_id: c.outsider, code: c.certCode, course_title: "T", learner_name: "L", signature: "s" }), "23505", "uq_certificates_code"],
  ["rejects a second certificate for the same course and learner", (c) =>
    insert("certificates", { course_id: c.course, user_id: c.learner, code: `C${uniq()}`, course_title: "T", learner_name: "L", signature: "s" }), "23505", "uq_certificates_course_user"],
  ["rejects a certificate of an unknown user", (c) =>
    insert("certificates", { course_id: c.course, user_id: MISSING, code: `C${uniq()}`, course_title: "T", learner_name: "L", signature: "s" }), "23503", "fk_certificates_users"],
];

describe("education constraints", () => {
  it.each(cases)("%s", async (_name, run, code, constraint) => {
    const c = await ctx();
    await expectPgError(run(c), code, constraint);
  });

  it("accepts a valid course with the documented defaults", async () => {
    const c = await ctx();
    const row = await insert("courses", { educator_id: c.educator, title: "Ear training", slug: `ear-${uniq()}` });
    expect(row).toMatchObject({ level: "all", language: "en", price: "0.00", currency: "USD", status: "draft", lesson_count: 0, enrollment_count: 0 });
  });

  it("lets a new course reuse the slug of a soft-deleted one", async () => {
    const c = await ctx();
    const slug = `reuse-${uniq()}`;
    const first = await newCourse(c.educator, { slug });
    await sql.query("UPDATE courses SET deleted_at = now() WHERE id = $1", [first]);
    await expect(newCourse(c.educator, { slug })).resolves.toBeTypeOf("string");
  });

  it("accepts a course-level quiz (no lesson) with unlimited attempts", async () => {
    const c = await ctx();
    const quiz = await insert("quizzes", { course_id: c.course, title: "Final", questions: QUESTIONS });
    expect(quiz).toMatchObject({ lesson_id: null, max_attempts: null, pass_mark_percent: 70, is_required: true });
    expect((quiz.questions as unknown[]).length).toBe(3);
  });
});

describe("lesson order", () => {
  it("reorders every lesson of a course atomically in one UPDATE", async () => {
    const c = await ctx();
    const course = await newCourse(c.educator);
    const ids = [await newLesson(course, 0), await newLesson(course, 1), await newLesson(course, 2)];
    // reverse: every intermediate state collides, only the final one is valid
    await sql.query("UPDATE lessons SET position = 2 - position WHERE course_id = $1", [course]);
    const rows = await sql.query("SELECT id FROM lessons WHERE course_id = $1 ORDER BY position", [course]);
    expect(rows.map((r) => r.id)).toEqual([...ids].reverse());
  });
});

describe("course counters", () => {
  it("counts lessons up and down", async () => {
    const c = await ctx();
    const course = await newCourse(c.educator);
    const a = await newLesson(course, 0);
    await newLesson(course, 1);
    expect((await courseCounts(course)).lessons).toBe(2);
    await sql.query("DELETE FROM lessons WHERE id = $1", [a]);
    expect((await courseCounts(course)).lessons).toBe(1);
  });

  it("counts active and completed enrolments, not cancelled or refunded ones", async () => {
    const c = await ctx();
    const course = await newCourse(c.educator);
    const u1 = (await createUser()).id;
    const u2 = (await createUser()).id;
    const e1 = await enrol(course, u1);
    await enrol(course, u2);
    expect((await courseCounts(course)).enrollments).toBe(2);
    await sql.query("UPDATE course_enrollments SET status = 'cancelled' WHERE id = $1", [e1]);
    expect((await courseCounts(course)).enrollments).toBe(1);
    await sql.query("UPDATE course_enrollments SET status = 'active' WHERE id = $1", [e1]);
    expect((await courseCounts(course)).enrollments).toBe(2);
    await sql.query("UPDATE course_enrollments SET status = 'completed', completed_at = now() WHERE id = $1", [e1]);
    expect((await courseCounts(course)).enrollments).toBe(2);
    await sql.query("UPDATE course_enrollments SET status = 'refunded' WHERE id = $1", [e1]);
    expect((await courseCounts(course)).enrollments).toBe(1);
    await sql.query("DELETE FROM course_enrollments WHERE course_id = $1", [course]);
    expect((await courseCounts(course)).enrollments).toBe(0);
  });

  it("never lets a counter go below zero", async () => {
    const c = await ctx();
    const course = await newCourse(c.educator);
    await enrol(course, (await createUser()).id);
    await newLesson(course, 0);
    await sql.query("UPDATE courses SET enrollment_count = 0, lesson_count = 0 WHERE id = $1", [course]);
    await sql.query("DELETE FROM course_enrollments WHERE course_id = $1", [course]);
    await sql.query("DELETE FROM lessons WHERE course_id = $1", [course]);
    expect(await courseCounts(course)).toEqual({ lessons: 0, enrollments: 0 });
  });
});

describe("course progress", () => {
  it("follows completed lessons, and is not moved by a playback position", async () => {
    const c = await ctx();
    const course = await newCourse(c.educator);
    const l = [await newLesson(course, 0), await newLesson(course, 1), await newLesson(course, 2), await newLesson(course, 3)];
    const u = (await createUser()).id;
    await enrol(course, u);
    expect(await percent(course, u)).toBe(0);
    await complete(u, course, l[0]!);
    expect(await percent(course, u)).toBe(25);
    const started = await insertId("lesson_progress", { user_id: u, course_id: course, lesson_id: l[1], position_seconds: 30 });
    expect(await percent(course, u)).toBe(25);
    await sql.query("UPDATE lesson_progress SET status = 'completed', completed_at = now() WHERE id = $1", [started]);
    expect(await percent(course, u)).toBe(50);
    await sql.query("UPDATE lesson_progress SET status = 'started', completed_at = NULL WHERE id = $1", [started]);
    expect(await percent(course, u)).toBe(25);
  });

  it("recomputes every learner's percentage when a lesson is added or removed", async () => {
    const c = await ctx();
    const course = await newCourse(c.educator);
    const a = await newLesson(course, 0);
    const b = await newLesson(course, 1);
    const u1 = (await createUser()).id;
    const u2 = (await createUser()).id;
    await enrol(course, u1);
    await enrol(course, u2);
    await complete(u1, course, a);
    await complete(u1, course, b);
    await complete(u2, course, a);
    expect([await percent(course, u1), await percent(course, u2)]).toEqual([100, 50]);
    const extra = await newLesson(course, 2);
    expect([await percent(course, u1), await percent(course, u2)]).toEqual([66, 33]);
    await sql.query("DELETE FROM lessons WHERE id = $1", [a]);
    expect([await percent(course, u1), await percent(course, u2)]).toEqual([50, 0]);
    await sql.query("DELETE FROM lessons WHERE id = $1", [extra]);
    expect([await percent(course, u1), await percent(course, u2)]).toEqual([100, 0]);
  });

  it("deletes a learner's progress with their enrolment", async () => {
    const c = await ctx();
    const course = await newCourse(c.educator);
    const a = await newLesson(course, 0);
    const u = (await createUser()).id;
    const e = await enrol(course, u);
    await complete(u, course, a);
    await sql.query("DELETE FROM course_enrollments WHERE id = $1", [e]);
    const rows = await sql.query("SELECT 1 FROM lesson_progress WHERE user_id = $1", [u]);
    expect(rows).toHaveLength(0);
  });
});

describe("quiz attempts", () => {
  it("allows attempts up to max_attempts and numbers them per learner", async () => {
    const c = await ctx();
    const quiz = await insertId("quizzes", { course_id: c.course, title: "Two tries", max_attempts: 2 });
    const u = (await createUser()).id;
    const next = `INSERT INTO quiz_attempts (quiz_id, user_id, attempt_number)
                  SELECT $1, $2, COALESCE(MAX(attempt_number), 0) + 1 FROM quiz_attempts WHERE quiz_id = $1 AND user_id = $2
                  RETURNING attempt_number`;
    expect((await sql.query(next, [quiz, u]))[0]!.attempt_number).toBe(1);
    expect((await sql.query(next, [quiz, u]))[0]!.attempt_number).toBe(2);
    await expectPgError(sql.query(next, [quiz, u]), "23514", "chk_quiz_attempts_max_attempts");
  });

  it("accepts a graded attempt with its score", async () => {
    const c = await ctx();
    const a = await insertId("quiz_attempts", { quiz_id: c.quiz, user_id: (await createUser()).id, attempt_number: 1 });
    const [row] = await sql.query(
      `UPDATE quiz_attempts SET status = 'graded', score_points = 3, max_points = 4, score_percent = 75, passed = true,
              submitted_at = now(), graded_at = now() WHERE id = $1 RETURNING score_percent, passed`, [a]);
    expect(row).toEqual({ score_percent: "75.00", passed: true });
  });
});

describe("certificates", () => {
  it("survive the deletion of their course, with the course snapshot", async () => {
    const c = await ctx();
    const course = await newCourse(c.educator);
    const code = `KEEP${uniq().toUpperCase()}`;
    await insert("certificates", { course_id: course, user_id: c.learner, code, course_title: "Gone course", learner_name: "L", signature: "s" });
    await sql.query("DELETE FROM courses WHERE id = $1", [course]);
    const [row] = await sql.query("SELECT course_id, course_title FROM certificates WHERE code = $1", [code]);
    expect(row).toEqual({ course_id: null, course_title: "Gone course" });
  });
});

describe("updated_at", () => {
  const bumps: [table: string, make: (c: Ctx) => Promise<string>, set: string][] = [
    ["courses", (c) => newCourse(c.educator), "title = 'Renamed'"],
    ["lessons", async (c) => newLesson(await newCourse(c.educator), 0), "title = 'Renamed'"],
    ["course_enrollments", async (c) => enrol(c.otherCourse, (await createUser()).id), "last_accessed_at = now()"],
    ["lesson_progress", async (c) => {
      const u = (await createUser()).id;
      await enrol(c.course, u);
      return insertId("lesson_progress", { user_id: u, course_id: c.course, lesson_id: c.lessonB });
    }, "position_seconds = 42"],
    ["quizzes", (c) => insertId("quizzes", { course_id: c.course, title: "Q" }), "title = 'Renamed'"],
    ["quiz_attempts", async (c) => insertId("quiz_attempts", { quiz_id: c.quiz, user_id: (await createUser()).id, attempt_number: 1 }), "submitted_at = now(), status = 'submitted'"],
    ["certificates", async (c) => insertId("certificates", { course_id: c.otherCourse, user_id: (await createUser()).id, code: `U${uniq()}`, course_title: "T", learner_name: "L", signature: "s" }), "revoked_at = now()"],
  ];
  it.each(bumps)("moves on UPDATE of %s", async (table, make, set) => {
    const c = await ctx();
    const id = await make(c);
    const [row] = await sql.query(`UPDATE ${table} SET ${set} WHERE id = $1 RETURNING updated_at > created_at AS moved`, [id]);
    expect(row!.moved).toBe(true);
  });
});

describe("lesson media", () => {
  it("keeps the lesson when its media file is deleted (media_file_id SET NULL)", async () => {
    const c = await ctx();
    const file = await createFile(c.educator);
    const lesson = await newLesson(await newCourse(c.educator), 0, { content_type: "video", media_file_id: file.id });
    await sql.query("DELETE FROM files WHERE id = $1", [file.id]);
    const [row] = await sql.query("SELECT media_file_id FROM lessons WHERE id = $1", [lesson]);
    expect(row!.media_file_id).toBeNull();
  });
});
