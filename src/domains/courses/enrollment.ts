import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, notFound } from "../../lib/errors";
import { courseVisibleTo, enrollmentJson, toEnrollment } from "./course-view";
import type { Enrollment } from "./schemas";

type EnrolRow = {
  found: boolean;
  status: string | null;
  mine: boolean | null;
  price: string | null;
  currency: string | null;
  product_id: string | null;
  enrollment: unknown;
};

/**
 * POST /v1/courses/:id/enrollment, one statement. A free published course enrols at once; enrolling
 * again is a no-op answering the enrolment; a learner who left (cancelled) is reactivated where they
 * stopped (progress kept; completed again if they had completed). A paid course answers 402 with the
 * product to buy through the marketplace's checkout — the paid order enrols — except for a learner
 * whose cancelled enrolment came from a paid order (they paid: rejoining is theirs). Not on your own
 * course (409), nor on a draft or archived one (409: not taking learners).
 */
export async function enrol(db: Database, courseId: string, userId: string): Promise<Enrollment> {
  const { rows } = await db.execute<EnrolRow>(sql`
    WITH target AS (
      SELECT c.id, c.status, c.price, c.currency, c.product_id, c.educator_id = ${userId}::uuid AS mine
        FROM courses c WHERE c.id = ${courseId}::uuid AND ${courseVisibleTo(userId)}
    ), prior AS (
      SELECT e.* FROM course_enrollments e JOIN target t ON t.id = e.course_id WHERE e.user_id = ${userId}::uuid
    ), joined AS (
      INSERT INTO course_enrollments (course_id, user_id)
      SELECT t.id, ${userId}::uuid FROM target t LEFT JOIN prior p ON true
       WHERE NOT t.mine AND t.status = 'published'
         AND (p.id IS NULL OR p.status = 'cancelled')
         AND (t.price = 0 OR p.order_id IS NOT NULL)
      ON CONFLICT (course_id, user_id) DO UPDATE
        SET status = CASE WHEN course_enrollments.completed_at IS NOT NULL THEN 'completed' ELSE 'active' END
        WHERE course_enrollments.status = 'cancelled'
      RETURNING *
    )
    SELECT EXISTS (SELECT 1 FROM target) AS found, t.status, t.mine, t.price::text AS price, t.currency, t.product_id,
           COALESCE((SELECT ${enrollmentJson("e")} FROM joined e),
                    (SELECT ${enrollmentJson("e")} FROM prior e WHERE e.status IN ('active', 'completed'))) AS enrollment
      FROM (SELECT 1) AS one LEFT JOIN target t ON true`);
  const row = rows[0]!;
  if (row.enrollment) return toEnrollment(row.enrollment);
  if (!row.found) throw notFound("This course");
  if (row.mine) throw new ApiError("conflict", "You teach this course: you have access to it already.");
  if (row.status !== "published") throw new ApiError("conflict", "This course is not taking new learners.");
  throw new ApiError("payment_required", "This course is paid: buy its product through the marketplace's checkout to enrol.", {
    extensions: { product_id: row.product_id, price: row.price, currency: row.currency },
  });
}

/**
 * DELETE /v1/courses/:id/enrollment, one statement: I leave the course (cancelled). My progress is
 * kept, so rejoining resumes where I stopped; a certificate already issued stays mine. 404 when I
 * hold no active or completed enrolment.
 */
export async function leave(db: Database, courseId: string, userId: string): Promise<void> {
  const { rows } = await db.execute<{ id: string }>(sql`
    UPDATE course_enrollments e SET status = 'cancelled'
      FROM courses c
     WHERE e.course_id = ${courseId}::uuid AND e.user_id = ${userId}::uuid AND e.status IN ('active', 'completed')
       AND c.id = e.course_id AND c.deleted_at IS NULL
    RETURNING e.id`);
  if (!rows[0]) throw notFound("Your enrolment in this course");
}
