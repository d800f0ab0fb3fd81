import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { accessColumns, assertEducator, type QuizAccess } from "./quiz-access";
import type { QuizStats } from "./schemas";

type StatsRow = QuizAccess & Omit<QuizStats, "quiz_id">;

/**
 * GET /v1/quizzes/:id/stats, one statement: aggregates only (no learner's rows or answers), for the
 * course's educator. Per question, over the attempts that include it (questions may have changed).
 */
export async function quizStats(db: Database, quizId: string, userId: string): Promise<QuizStats> {
  const { rows } = await db.execute<StatsRow>(sql`
    SELECT ${accessColumns(userId)},
           s.attempt_count, s.learner_count, s.passed_learner_count,
           CASE WHEN s.learner_count > 0 THEN round(100.0 * s.passed_learner_count / s.learner_count, 2)::text END AS pass_rate_percent,
           s.average_score_percent,
           COALESCE((
             SELECT json_agg(json_build_object(
                      'question_id', qq.id,
                      'attempt_count', COALESCE(pq.attempt_count, 0),
                      'correct_rate_percent', CASE WHEN pq.attempt_count > 0 THEN round(100.0 * pq.correct_count / pq.attempt_count, 2)::text END)
                    ORDER BY qq.ord)
               FROM jsonb_array_elements(q.questions) WITH ORDINALITY AS qj(question, ord)
               CROSS JOIN LATERAL (SELECT qj.question->>'id' AS id, qj.ord) qq
               LEFT JOIN LATERAL (
                 SELECT count(*)::int AS attempt_count, count(*) FILTER (WHERE (ans->>'correct')::boolean)::int AS correct_count
                   FROM quiz_attempts a, jsonb_array_elements(a.answers) ans
                  WHERE a.quiz_id = q.id AND a.status = 'graded' AND ans->>'questionId' = qq.id
               ) pq ON true
           ), '[]'::json) AS questions
      FROM quizzes q
      JOIN courses c ON c.id = q.course_id AND c.deleted_at IS NULL
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS attempt_count,
               count(DISTINCT a.user_id)::int AS learner_count,
               count(DISTINCT a.user_id) FILTER (WHERE a.passed)::int AS passed_learner_count,
               round(avg(a.score_percent), 2)::text AS average_score_percent
          FROM quiz_attempts a WHERE a.quiz_id = q.id AND a.status = 'graded'
      ) s
     WHERE q.id = ${quizId}::uuid`);
  const row = assertEducator(rows[0]);
  return {
    quiz_id: quizId,
    attempt_count: row.attempt_count,
    learner_count: row.learner_count,
    passed_learner_count: row.passed_learner_count,
    pass_rate_percent: row.pass_rate_percent,
    average_score_percent: row.average_score_percent,
    questions: row.questions,
  };
}
