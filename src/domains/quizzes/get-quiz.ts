import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { accessColumns, assertCanRead, type QuizAccess } from "./quiz-access";
import { myAttemptsJoin, quizColumns, toQuizView, type QuizRow } from "./quiz-view";
import type { QuizView } from "./schemas";

/** GET /v1/quizzes/:id, one statement: the quiz for its educator (with answers) or an enrolled learner. */
export async function getQuiz(db: Database, quizId: string, userId: string): Promise<QuizView> {
  const { rows } = await db.execute<QuizRow>(sql`
    SELECT ${quizColumns(userId)}, ${accessColumns(userId)}
      FROM quizzes q
      JOIN courses c ON c.id = q.course_id AND c.deleted_at IS NULL
      ${myAttemptsJoin(userId)}
     WHERE q.id = ${quizId}::uuid`);
  return toQuizView(assertCanRead(rows[0]));
}

type CourseQuizzes = QuizAccess & { quizzes: QuizRow[] };

/**
 * GET /v1/courses/:id/quizzes, one statement: the course's quizzes in course order (lesson quizzes
 * by their lesson's position, then course-level ones), each with the learner's own standing.
 */
export async function listCourseQuizzes(db: Database, courseId: string, userId: string): Promise<{ items: QuizView[] }> {
  const { rows } = await db.execute<CourseQuizzes>(sql`
    SELECT ${accessColumns(userId)},
           COALESCE((
             SELECT json_agg(x.quiz ORDER BY x.lesson_position NULLS LAST, x.created_at, x.id)
               FROM (SELECT row_to_json(qr) AS quiz, l.position AS lesson_position, q.created_at, q.id
                       FROM quizzes q
                       LEFT JOIN lessons l ON l.id = q.lesson_id
                       ${myAttemptsJoin(userId)}
                       CROSS JOIN LATERAL (SELECT ${quizColumns(userId)}) qr
                      WHERE q.course_id = c.id) x
           ), '[]'::json) AS quizzes
      FROM courses c
     WHERE c.id = ${courseId}::uuid AND c.deleted_at IS NULL`);
  const course = assertCanRead(rows[0], "This course");
  const access = { is_educator: course.is_educator, is_learner: course.is_learner, course_visible: course.course_visible };
  return { items: course.quizzes.map((q) => toQuizView({ ...q, ...access })) };
}
