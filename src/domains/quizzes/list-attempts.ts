import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { QuizQuestion } from "../../db/schema/education";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { iso, preciseIso } from "../tracks/track-view";
import { accessColumns, assertCanRead, type QuizAccess } from "./quiz-access";
import { answersRevealed, attemptsLeft, myAttemptsJoin } from "./quiz-view";
import { resultsOf } from "./submit-attempt";
import type { AttemptView } from "./schemas";

type AttemptRow = {
  id: string;
  attempt_number: number;
  score_points: string;
  max_points: string;
  score_percent: string;
  passed: boolean;
  submitted_at: string;
  answers: Parameters<typeof resultsOf>[0];
  cursor_at: string;
};

type ListRow = QuizAccess & { questions: QuizQuestion[]; max_attempts: number | null; attempts_used: number; passed: boolean; attempts: AttemptRow[] };

/**
 * GET /v1/quizzes/:id/attempts, one statement: my own graded attempts, newest first, by cursor.
 * Nobody sees another learner's attempts (the educator has the aggregate stats instead).
 */
export async function listMyAttempts(db: Database, quizId: string, userId: string, query: { limit: number; cursor?: string }) {
  const [at, id] = query.cursor ? decodeCursor(query.cursor) : [null, null];
  const { rows } = await db.execute<ListRow>(sql`
    SELECT q.questions, q.max_attempts, mine.attempts_used, mine.passed, ${accessColumns(userId)},
           COALESCE((
             SELECT json_agg(x ORDER BY x.cursor_at DESC, x.id DESC)
               FROM (SELECT a.id, a.attempt_number, a.score_points::text, a.max_points::text, a.score_percent::text, a.passed,
                            ${iso("a.submitted_at")} AS submitted_at, a.answers, ${preciseIso("a.created_at")} AS cursor_at
                       FROM quiz_attempts a
                      WHERE a.quiz_id = q.id AND a.user_id = ${userId}::uuid AND a.status = 'graded'
                        AND (${at}::timestamptz IS NULL OR (a.created_at, a.id) < (${at}::timestamptz, ${id}::uuid))
                      ORDER BY a.created_at DESC, a.id DESC
                      LIMIT ${query.limit + 1}) x
           ), '[]'::json) AS attempts
      FROM quizzes q
      JOIN courses c ON c.id = q.course_id AND c.deleted_at IS NULL
      ${myAttemptsJoin(userId)}
     WHERE q.id = ${quizId}::uuid`);
  const quiz = rows[0];
  // a learner whose enrolment ended still reads the attempts they made
  const row = quiz && quiz.attempts_used > 0 ? quiz : assertCanRead(quiz);
  const revealed = answersRevealed(row);
  const left = attemptsLeft(row.max_attempts, row.attempts_used);
  const page = row.attempts.slice(0, query.limit);
  const items: AttemptView[] = page.map((a) => ({
    id: a.id,
    quiz_id: quizId,
    attempt_number: a.attempt_number,
    status: "graded",
    score_points: a.score_points,
    max_points: a.max_points,
    score_percent: a.score_percent,
    passed: a.passed,
    submitted_at: a.submitted_at,
    results: resultsOf(a.answers, revealed ? row.questions : null),
    attempts_left: left,
    answers_revealed: revealed,
  }));
  const last = page.at(-1);
  return { items, next_cursor: row.attempts.length > query.limit && last ? encodeCursor(last.cursor_at, last.id) : null };
}
