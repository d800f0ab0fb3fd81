import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { Env } from "../../env";
import { issueCertificates, pendingWithoutQuizJson, type PendingCertificate } from "../certificates/issue";
import { ApiError } from "../../lib/errors";
import { accessColumns, assertEducator, type QuizAccess } from "./quiz-access";
import { quizColumns, toQuizView, type QuizRow } from "./quiz-view";
import type { CreateQuiz, QuizView, UpdateQuiz } from "./schemas";

/**
 * The educator's writes, one statement each. Changing a quiz once learners have attempted it is
 * allowed: past attempts keep the grade (and pass) they were given, new attempts are graded against
 * the quiz as it now is, and an attempt graded against the previous version while it changed is
 * refused (409, see submit-attempt.ts). Deleting a quiz deletes its attempts; certificates already
 * issued are kept. Deleting a required quiz, or making it optional, can complete the course for
 * learners who were only missing it: their certificates are issued by the same request (a second
 * round trip, only then).
 */

type WriteRow = QuizAccess & { lesson_ok: boolean; quiz: QuizRow | null; completed: PendingCertificate[] | null };

/** A new quiz has no attempts: the `mine` columns quizColumns reads. */
const noAttempts = sql`CROSS JOIN LATERAL (SELECT 0 AS attempts_used, NULL::text AS best_score_percent, false AS passed) mine`;

const lessonOk = (lessonId: string | null | undefined, courseId: SQL) =>
  lessonId ? sql`EXISTS (SELECT 1 FROM lessons l WHERE l.id = ${lessonId}::uuid AND l.course_id = ${courseId})` : sql`true`;

function written(row: WriteRow | undefined): QuizView {
  const access = assertEducator(row);
  if (!row!.lesson_ok) {
    throw new ApiError("validation_failed", "The request is not valid.", { errors: [{ path: "body.lesson_id", message: "is not a lesson of this course" }] });
  }
  return toQuizView({ ...row!.quiz!, ...access });
}

/** POST /v1/courses/:id/quizzes. */
export async function createQuiz(db: Database, courseId: string, userId: string, input: CreateQuiz): Promise<QuizView> {
  const { rows } = await db.execute<WriteRow>(sql`
    WITH course AS (
      SELECT c.id, ${accessColumns(userId)} FROM courses c WHERE c.id = ${courseId}::uuid AND c.deleted_at IS NULL
    ), checks AS (
      SELECT ${lessonOk(input.lesson_id, sql`${courseId}::uuid`)} AS lesson_ok
    ), created AS (
      INSERT INTO quizzes (course_id, lesson_id, title, description, questions, pass_mark_percent, max_attempts, is_required)
      SELECT c.id, ${input.lesson_id}::uuid, ${input.title}, ${input.description}, ${JSON.stringify(input.questions)}::jsonb,
             ${input.pass_mark_percent}::int, ${input.max_attempts}::int, ${input.is_required}::boolean
        FROM course c, checks k
       WHERE c.is_educator AND k.lesson_ok
      RETURNING *
    )
    SELECT c.is_educator, c.is_learner, c.course_visible, k.lesson_ok,
           (SELECT row_to_json(r) FROM (SELECT ${quizColumns(userId)} FROM created q ${noAttempts}) r) AS quiz
      FROM course c, checks k`);
  return written(rows[0]);
}

function assignments(input: UpdateQuiz): SQL[] {
  const set: SQL[] = [];
  if (input.lesson_id !== undefined) set.push(sql`lesson_id = ${input.lesson_id}::uuid`);
  if (input.title !== undefined) set.push(sql`title = ${input.title}`);
  if (input.description !== undefined) set.push(sql`description = ${input.description}`);
  if (input.questions !== undefined) set.push(sql`questions = ${JSON.stringify(input.questions)}::jsonb`);
  if (input.pass_mark_percent !== undefined) set.push(sql`pass_mark_percent = ${input.pass_mark_percent}::int`);
  if (input.max_attempts !== undefined) set.push(sql`max_attempts = ${input.max_attempts}::int`);
  if (input.is_required !== undefined) set.push(sql`is_required = ${input.is_required}::boolean`);
  return set;
}

/** PATCH /v1/quizzes/:id. */
export async function updateQuiz(db: Database, env: Env, quizId: string, userId: string, input: UpdateQuiz): Promise<QuizView> {
  const releases = input.is_required === false;
  const { rows } = await db.execute<WriteRow>(sql`
    WITH target AS (
      SELECT q.id, q.course_id, ${accessColumns(userId)}
        FROM quizzes q JOIN courses c ON c.id = q.course_id AND c.deleted_at IS NULL
       WHERE q.id = ${quizId}::uuid
    ), checks AS (
      SELECT ${lessonOk(input.lesson_id, sql`(SELECT course_id FROM target)`)} AS lesson_ok
    ), updated AS (
      UPDATE quizzes q SET ${sql.join(assignments(input), sql`, `)}
        FROM target t, checks k
       WHERE q.id = t.id AND t.is_educator AND k.lesson_ok
      RETURNING q.*
    )
    SELECT t.is_educator, t.is_learner, t.course_visible, k.lesson_ok,
           (SELECT row_to_json(r) FROM (SELECT ${quizColumns(userId)} FROM updated q ${noAttempts}) r) AS quiz,
           CASE WHEN ${releases} AND EXISTS (SELECT 1 FROM updated) THEN ${pendingWithoutQuizJson(sql`t.course_id`, quizId)} END AS completed
      FROM target t, checks k`);
  const view = written(rows[0]);
  await issueCertificates(db, env, rows[0]!.completed ?? []);
  return view;
}

/** DELETE /v1/quizzes/:id. */
export async function deleteQuiz(db: Database, env: Env, quizId: string, userId: string): Promise<void> {
  const { rows } = await db.execute<QuizAccess & { completed: PendingCertificate[] | null }>(sql`
    WITH target AS (
      SELECT q.id, q.course_id, q.is_required, ${accessColumns(userId)}
        FROM quizzes q JOIN courses c ON c.id = q.course_id AND c.deleted_at IS NULL
       WHERE q.id = ${quizId}::uuid
    ), deleted AS (
      DELETE FROM quizzes q USING target t WHERE q.id = t.id AND t.is_educator RETURNING q.id
    )
    SELECT t.is_educator, t.is_learner, t.course_visible,
           CASE WHEN t.is_required AND EXISTS (SELECT 1 FROM deleted) THEN ${pendingWithoutQuizJson(sql`t.course_id`, quizId)} END AS completed
      FROM target t`);
  assertEducator(rows[0]);
  await issueCertificates(db, env, rows[0]!.completed ?? []);
}
