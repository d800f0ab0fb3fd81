import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { forbidden, notFound } from "../../lib/errors";
import { parseJson } from "../../lib/json-value";
import { courseVisibleTo } from "./course-view";
import { MIN_COHORT, type CourseStats } from "./schemas";

type StatsRow = { found: boolean; mine: boolean | null; stats: unknown };

/**
 * GET /v1/courses/:id/stats, one statement: how the educator's course is doing, in counts only —
 * enrolments by status, completions, the spread of progress, per-lesson and per-quiz counts. No
 * learner is named, no per-learner row or individual timestamp leaves the database: an educator
 * sees their course, not a log of their learners.
 *
 * Small cohorts: with fewer than MIN_COHORT (5) learners (active or completed), everything but the
 * counts by status is withheld (null, `withheld: true`) — with two learners, "one completed lesson
 * 3" points at a person the educator may know. Another educator's (or anyone else's) visible course
 * is 403, one they cannot see 404, as everywhere else.
 */
export async function courseStats(db: Database, courseId: string, userId: string): Promise<CourseStats> {
  const { rows } = await db.execute<StatsRow>(sql`
    WITH target AS (
      SELECT c.id, c.educator_id = ${userId}::uuid AS mine FROM courses c WHERE c.id = ${courseId}::uuid AND ${courseVisibleTo(userId)}
    ), enrolled AS (
      SELECT e.user_id, e.status, e.progress_percent, e.completed_at
        FROM course_enrollments e JOIN target t ON t.id = e.course_id AND t.mine
    ), learners AS (
      SELECT * FROM enrolled WHERE status IN ('active', 'completed')
    ), totals AS (
      SELECT count(*) FILTER (WHERE status = 'active')::int AS active, count(*) FILTER (WHERE status = 'completed')::int AS completed,
             count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled, count(*) FILTER (WHERE status = 'refunded')::int AS refunded,
             count(*) FILTER (WHERE status IN ('active', 'completed'))::int AS learners,
             count(*) FILTER (WHERE completed_at IS NOT NULL)::int AS completions
        FROM enrolled
    ), detail AS (
      SELECT
        (SELECT jsonb_agg(jsonb_build_object('range', b.label, 'learners', (SELECT count(*) FROM learners x WHERE x.progress_percent BETWEEN b.lo AND b.hi)) ORDER BY b.lo)
           FROM (VALUES ('0', 0, 0), ('1-25', 1, 25), ('26-50', 26, 50), ('51-75', 51, 75), ('76-99', 76, 99), ('100', 100, 100)) AS b(label, lo, hi)) AS distribution,
        (SELECT round(avg(progress_percent), 1)::float8 FROM learners) AS average,
        (SELECT COALESCE(jsonb_agg(jsonb_build_object('lesson_id', l.id, 'title', l.title, 'position', l.position,
                   'started', (SELECT count(*) FROM lesson_progress p JOIN learners x ON x.user_id = p.user_id WHERE p.lesson_id = l.id),
                   'completed', (SELECT count(*) FROM lesson_progress p JOIN learners x ON x.user_id = p.user_id WHERE p.lesson_id = l.id AND p.status = 'completed'))
                 ORDER BY l.position), '[]'::jsonb)
           FROM lessons l JOIN target t ON l.course_id = t.id) AS lessons,
        (SELECT COALESCE(jsonb_agg(jsonb_build_object('quiz_id', q.id, 'title', q.title, 'lesson_id', q.lesson_id, 'is_required', q.is_required,
                   'learners_attempted', qa.attempted, 'learners_passed', qa.passed,
                   'pass_rate', CASE WHEN qa.attempted > 0 THEN round(qa.passed::numeric / qa.attempted, 3)::float8 END)
                 ORDER BY q.lesson_id NULLS LAST, q.created_at, q.id), '[]'::jsonb)
           FROM quizzes q JOIN target t ON q.course_id = t.id
           CROSS JOIN LATERAL (
             SELECT count(DISTINCT a.user_id)::int AS attempted, count(DISTINCT a.user_id) FILTER (WHERE a.passed)::int AS passed
               FROM quiz_attempts a JOIN learners x ON x.user_id = a.user_id WHERE a.quiz_id = q.id AND a.status = 'graded'
           ) qa) AS quizzes
    )
    SELECT EXISTS (SELECT 1 FROM target) AS found, t.mine,
           CASE WHEN t.mine THEN (
             SELECT jsonb_build_object('course_id', t.id,
                      'enrollments', jsonb_build_object('active', o.active, 'completed', o.completed, 'cancelled', o.cancelled, 'refunded', o.refunded),
                      'learners', o.learners, 'completions', o.completions, 'min_cohort', ${MIN_COHORT}::int, 'withheld', o.learners < ${MIN_COHORT},
                      'progress_distribution', CASE WHEN o.learners >= ${MIN_COHORT} THEN d.distribution END,
                      'average_progress_percent', CASE WHEN o.learners >= ${MIN_COHORT} THEN d.average END,
                      'lessons', CASE WHEN o.learners >= ${MIN_COHORT} THEN d.lessons END,
                      'quizzes', CASE WHEN o.learners >= ${MIN_COHORT} THEN d.quizzes END)
               FROM totals o, detail d) END AS stats
      FROM (SELECT 1) AS one LEFT JOIN target t ON true`);
  const row = rows[0]!;
  if (!row.found) throw notFound("This course");
  if (!row.mine) throw forbidden("Only the course's educator sees its statistics.");
  return parseJson<CourseStats>(row.stats)!;
}
