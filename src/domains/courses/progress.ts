import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { Env } from "../../env";
import { forbidden, notFound } from "../../lib/errors";
import { parseJson } from "../../lib/json-value";
import { issueCertificate, pendingCertificateQuery, type CertificateView } from "../certificates/issue";
import { courseVisibleTo, enrollmentJson, progressJson } from "./course-view";
import type { Enrollment, ProgressInput } from "./schemas";

type LessonProgress = { lesson_id: string; status: "started" | "completed"; position_seconds: number; started_at: string; completed_at: string | null; updated_at: string };
type StateRow = { lesson_found: boolean; enrolled: boolean; progress: unknown; enrollment: unknown };
export type ProgressAnswer = { lesson: LessonProgress; enrollment: Enrollment; certificate: CertificateView | null };

/**
 * PUT /v1/courses/:id/lessons/:lessonId/progress, at most two round trips. One db.batch: (1) upsert
 * the learner's progress on the lesson — started, or completed (and it stays completed), the resume
 * position clamped to the lesson's duration (text lessons have none: 0); (2) touch the enrolment's
 * last access and read back the lesson's progress and the course percentage the triggers just
 * recomputed; (3) the certificates' pending query. When (3) finds the course now complete, a second
 * round trip issues the certificate (signed, idempotent) and the answer carries it.
 *
 * Only a learner enrolled (active or completed) in a course they may see records progress: the
 * composite FKs refuse anyone else anyway, the statement just never tries. Not enrolled: 403; no
 * such lesson in a course you see: 404.
 */
export async function recordProgress(db: Database, env: Env, courseId: string, lessonId: string, userId: string, input: ProgressInput): Promise<ProgressAnswer> {
  const completed = input.completed === true;
  const position = input.position_seconds ?? null;
  const upsert = db.execute(sql`
    INSERT INTO lesson_progress (user_id, course_id, lesson_id, status, position_seconds, completed_at)
    SELECT e.user_id, l.course_id, l.id, ${completed ? "completed" : "started"},
           CASE WHEN l.content_type = 'text' THEN 0 ELSE LEAST(COALESCE(${position}::int, 0), COALESCE(l.duration_seconds, ${position}::int, 0)) END,
           ${completed ? sql`now()` : sql`NULL::timestamptz`}
      FROM lessons l
      JOIN courses c ON c.id = l.course_id
      JOIN course_enrollments e ON e.course_id = c.id AND e.user_id = ${userId}::uuid AND e.status IN ('active', 'completed')
     WHERE l.id = ${lessonId}::uuid AND l.course_id = ${courseId}::uuid AND ${courseVisibleTo(userId)}
    ON CONFLICT (user_id, lesson_id) DO UPDATE SET
      status = CASE WHEN lesson_progress.status = 'completed' THEN 'completed' ELSE EXCLUDED.status END,
      completed_at = COALESCE(lesson_progress.completed_at, EXCLUDED.completed_at),
      position_seconds = ${position === null ? sql`lesson_progress.position_seconds` : sql`EXCLUDED.position_seconds`}`);
  const state = db.execute<StateRow>(sql`
    WITH course AS (
      SELECT c.id FROM courses c WHERE c.id = ${courseId}::uuid AND ${courseVisibleTo(userId)}
    ), touched AS (
      UPDATE course_enrollments e SET last_accessed_at = now()
        FROM course
       WHERE e.course_id = course.id AND e.user_id = ${userId}::uuid AND e.status IN ('active', 'completed')
         AND EXISTS (SELECT 1 FROM lessons l WHERE l.id = ${lessonId}::uuid AND l.course_id = course.id)
      RETURNING e.*
    )
    SELECT EXISTS (SELECT 1 FROM lessons l JOIN course ON l.course_id = course.id WHERE l.id = ${lessonId}::uuid) AS lesson_found,
           EXISTS (SELECT 1 FROM touched) AS enrolled,
           (SELECT ${progressJson("p")} FROM lesson_progress p WHERE p.user_id = ${userId}::uuid AND p.lesson_id = ${lessonId}::uuid) AS progress,
           (SELECT ${enrollmentJson("e")} FROM touched e) AS enrollment`);
  const [, stateResult, pending] = await db.batch([upsert, state, pendingCertificateQuery(db, userId, courseId)]);
  const row = stateResult.rows[0]!;
  if (!row.lesson_found) throw notFound("This lesson");
  if (!row.enrolled) throw forbidden("Enrol in the course to record your progress.");
  const lesson = parseJson<LessonProgress>(row.progress)!;
  let enrollment = parseJson<Enrollment>(row.enrollment)!;
  const due = pending.rows[0];
  const certificate = due ? await issueCertificate(db, env, due) : null;
  if (certificate) {
    enrollment = {
      ...enrollment,
      status: "completed",
      completed_at: enrollment.completed_at ?? certificate.issued_at,
      certificate: { code: certificate.code, issued_at: certificate.issued_at, verification_url: certificate.verification_url },
    };
  }
  return { lesson, enrollment, certificate };
}
