import { sql, type SQL } from "drizzle-orm";
import type { QuizQuestion } from "../../db/schema/education";
import { iso } from "../tracks/track-view";
import type { QuizAccess } from "./quiz-access";
import type { QuizView } from "./schemas";

/** A quiz as read for one viewer: the row, their access and their own attempts so far. */
export type QuizRow = QuizAccess & {
  id: string;
  course_id: string;
  lesson_id: string | null;
  title: string;
  description: string | null;
  questions: QuizQuestion[];
  pass_mark_percent: number;
  max_attempts: number | null;
  is_required: boolean;
  created_at: string;
  updated_at: string;
  attempts_used: number;
  best_score_percent: string | null;
  passed: boolean;
};

/** The QuizRow columns (but access) over `quizzes q`, with user `userId`'s attempt summary. */
export const quizColumns = (userId: string): SQL => sql`
  q.id, q.course_id, q.lesson_id, q.title, q.description, q.questions, q.pass_mark_percent, q.max_attempts, q.is_required,
  ${iso("q.created_at")} AS created_at, ${iso("q.updated_at")} AS updated_at,
  mine.attempts_used, mine.best_score_percent, mine.passed`;

/** LATERAL join of user `userId`'s attempts of `q`, aliased `mine`. */
export const myAttemptsJoin = (userId: string): SQL => sql`
  CROSS JOIN LATERAL (
    SELECT count(*)::int AS attempts_used, max(a.score_percent)::text AS best_score_percent, COALESCE(bool_or(a.passed), false) AS passed
      FROM quiz_attempts a WHERE a.quiz_id = q.id AND a.user_id = ${userId}::uuid AND a.status = 'graded'
  ) mine`;

/** Null when attempts are unlimited. */
export const attemptsLeft = (maxAttempts: number | null, used: number) => (maxAttempts === null ? null : Math.max(0, maxAttempts - used));

/** The learner sees the answers once they passed or have no attempts left. */
export const answersRevealed = (row: { passed: boolean; max_attempts: number | null; attempts_used: number }) =>
  row.passed || attemptsLeft(row.max_attempts, row.attempts_used) === 0;

export function toQuizView(row: QuizRow): QuizView {
  const educator = row.is_educator;
  const revealed = educator || answersRevealed(row);
  return {
    id: row.id,
    course_id: row.course_id,
    lesson_id: row.lesson_id,
    title: row.title,
    description: row.description,
    pass_mark_percent: row.pass_mark_percent,
    max_attempts: row.max_attempts,
    is_required: row.is_required,
    question_count: row.questions.length,
    total_points: row.questions.reduce((sum, q) => sum + q.points, 0),
    questions: row.questions.map(({ correct, ...q }) => (revealed ? { ...q, correct } : q)),
    viewer: educator ? "educator" : "learner",
    my: educator
      ? null
      : {
          attempts_used: row.attempts_used,
          attempts_left: attemptsLeft(row.max_attempts, row.attempts_used),
          best_score_percent: row.best_score_percent,
          passed: row.passed,
          answers_revealed: revealed,
        },
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
